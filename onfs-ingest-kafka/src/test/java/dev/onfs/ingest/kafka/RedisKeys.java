package dev.onfs.ingest.kafka;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/** How many keys Redis holds: the tests' cheap "has the consumer written something yet" probe. */
final class RedisKeys {
  private RedisKeys() {}

  static long count(String host, int port) {
    try (Jedis j = new Jedis(host, port, 2000)) {
      return j.dbSize();
    } catch (JedisException e) {
      return -1;
    }
  }
}
