/** The Redis store (standalone, Cluster, Sentinel, Dragonfly) in the reference's layout. */
module dev.onfs.storage.redis {
  requires static org.jspecify;
  requires transitive dev.onfs.core;
  requires redis.clients.jedis;

  exports dev.onfs.storage.redis;

  provides dev.onfs.core.storage.StoreFactory with dev.onfs.storage.redis.RedisStoreFactory;
}
