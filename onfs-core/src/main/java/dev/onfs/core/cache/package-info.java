/**
 * The near cache: encoded blocks per entity key kept in process (Caffeine), honouring the registry's
 * in-memory-cache settings.
 */
@NullMarked
package dev.onfs.core.cache;

import org.jspecify.annotations.NullMarked;
