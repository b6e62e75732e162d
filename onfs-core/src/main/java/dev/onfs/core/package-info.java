/**
 * The error model every module shares: {@link dev.onfs.core.OnfsException} carrying an {@link
 * dev.onfs.core.ErrorCode} whose {@link dev.onfs.core.ErrorKind} decides retry and transport status.
 * Depends on nothing else in the core, so every other package can use it without a cycle.
 */
@NullMarked
package dev.onfs.core;

import org.jspecify.annotations.NullMarked;
