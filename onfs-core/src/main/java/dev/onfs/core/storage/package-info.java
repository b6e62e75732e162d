/**
 * The storage SPI: how OnFS reads and writes encoded feature-group blocks in a key-value or wide-column
 * store.
 *
 * <p>A store holds, per entity key, one opaque block per feature group. Reads are batch-first: many
 * entity keys times many feature groups in one call, answered as byte ranges into buffers the adapter
 * already holds ({@link dev.onfs.core.storage.ReadResult}). Writes replace the blocks of the feature
 * groups they carry and leave the entity's other feature groups alone. The only thing a store looks at
 * inside a block is its expiry (header bytes 2-6, {@link dev.onfs.core.storage.BlockExpiry}): an
 * expired block reads as missing.
 *
 * <p>The SPI speaks in neutral descriptors ({@link dev.onfs.core.storage.StoreTable},
 * {@link dev.onfs.core.storage.StoreFeatureGroup}) that the serving layer builds from its registry, so
 * adapters depend on nothing but this package. Adapters are found by name through
 * {@link java.util.ServiceLoader} and {@link dev.onfs.core.storage.StoreFactory}.
 *
 * <p>Errors: adapters throw {@link dev.onfs.core.OnfsException} with
 * {@link dev.onfs.core.ErrorCode#STORE_UNAVAILABLE} or {@link dev.onfs.core.ErrorCode#STORE_TIMEOUT}
 * (transient: retry later) or {@link dev.onfs.core.ErrorCode#STORE_REJECTED} (permanent: the store
 * refused the request), and {@link dev.onfs.core.ErrorCode#INVALID_ARGUMENT} for a request no store
 * could serve. Async variants complete exceptionally with the same exceptions.
 */
@NullMarked
package dev.onfs.core.storage;

import org.jspecify.annotations.NullMarked;
