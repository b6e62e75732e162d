package dev.onfs.core.serving;

/**
 * What a persist does with the features of a feature group that it does not name.
 *
 * @see OnlineFeatureStoreBuilder#partialPersist(PartialPersist)
 */
public enum PartialPersist {
  /**
   * Keep their stored values: the stored block is read, merged with the named values and written back
   * only if nobody changed it meanwhile (compare-and-set, retried on conflict). Costs one store read and
   * a conditional write per partial persist; persists naming every feature skip both. Needs a store
   * with {@link dev.onfs.core.storage.StoreCapabilities#conditionalWrite()}. The default.
   */
  MERGE,
  /**
   * Reset them to their registry defaults, as the reference does: every persist writes whole blocks
   * without reading.
   */
  RESET
}
