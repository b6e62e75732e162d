/**
 * The embedded default store: feature-group blocks in a concurrent map inside the JVM. Honours block
 * expiry with an injectable clock; nothing survives a restart.
 */
@NullMarked
package dev.onfs.core.storage.memory;

import org.jspecify.annotations.NullMarked;
