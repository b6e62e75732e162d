package dev.onfs.storage.redis;

/** How the store reaches Redis. */
public enum RedisMode {
  /** One server (or a Dragonfly instance), addressed by the single node. */
  STANDALONE,
  /** A primary found through Sentinels (the nodes), following failover. */
  SENTINEL,
  /** Redis Cluster; the nodes are seeds, the slot map is discovered. */
  CLUSTER
}
