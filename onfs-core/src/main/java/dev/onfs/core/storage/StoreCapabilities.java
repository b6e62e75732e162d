package dev.onfs.core.storage;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;

/**
 * What a store promises beyond the basic contract; callers and the contract suite check these instead of
 * the store's type.
 *
 * @param nativeTtl the store itself drops expired entities (Redis key TTL, Cassandra cell TTL); without
 *     it, expired blocks are still filtered on read but use space until overwritten or deleted
 * @param maxBatchSize the most entity keys (reads, deletes) or rows (writes) accepted in one call;
 *     larger calls fail with {@link ErrorCode#INVALID_ARGUMENT}
 * @param atomicMultiFeatureGroupWrite writing several feature groups of one entity in one call becomes
 *     visible all at once, and concurrent writes of different feature groups of one entity never lose
 *     each other's blocks
 * @param conditionalWrite the store implements {@link OnlineStore#writeIfUnchanged}: a row's blocks are
 *     compared with the expected ones and replaced in one atomic step; serving needs it to merge persists
 *     that name only some features of a group
 */
public record StoreCapabilities(
    boolean nativeTtl, int maxBatchSize, boolean atomicMultiFeatureGroupWrite, boolean conditionalWrite) {
  public StoreCapabilities {
    if (maxBatchSize <= 0) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "maxBatchSize must be positive, was " + maxBatchSize);
    }
  }

  /** Capabilities of a store without conditional writes. */
  public StoreCapabilities(boolean nativeTtl, int maxBatchSize, boolean atomicMultiFeatureGroupWrite) {
    this(nativeTtl, maxBatchSize, atomicMultiFeatureGroupWrite, false);
  }

  /** Throws {@link ErrorCode#INVALID_ARGUMENT} when {@code size} exceeds {@link #maxBatchSize()}. */
  public void checkBatchSize(int size) {
    if (size > maxBatchSize) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT, "batch of " + size + " exceeds the store's maximum of " + maxBatchSize);
    }
  }
}
