package dev.onfs.storage.redis;

/** How an entity's feature-group blocks are laid out in Redis. */
public enum RedisLayout {
  /**
   * The reference's layout: one string value per entity holding a CSDB of all its blocks; reads fetch
   * the whole value; partial writes merge server-side in a Lua script. Compatible with the reference.
   */
  CSDB,
  /**
   * One hash per entity with one field per feature group id (decimal): reads fetch only the requested
   * fields (HMGET), writes set fields without reading. Not readable by the reference.
   */
  HASH
}
