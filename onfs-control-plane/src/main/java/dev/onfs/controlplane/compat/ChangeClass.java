package dev.onfs.controlplane.compat;

/**
 * How a change relates to what is published. Ordered from harmless to refused; a plan's class is
 * the highest of its changes.
 */
public enum ChangeClass {
  /** Adds something (an entity, store, feature group, reader, writer, or features as a new version). */
  ADDITIVE,
  /**
   * Changes settings that do not alter any published version's layout (TTL, caches, job, source
   * mappings), or replaces the active version with a new one (new defaults, removed features).
   */
  COMPATIBLE,
  /** Would alter a published version (type, store, order, names, lengths): refused. */
  BREAKING
}
