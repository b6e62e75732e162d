/** Validation helpers shared by the registry model and its sources; not a public API. */
@NullMarked
package dev.onfs.core.registry.internal;

import org.jspecify.annotations.NullMarked;
