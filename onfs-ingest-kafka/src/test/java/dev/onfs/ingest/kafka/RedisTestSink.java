package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A minimal Redis-backed sink for the fault tests: one hash per entity key, one field per feature
 * group holding the group's values (protobuf bytes), written with one pipeline per batch. It stands
 * in for the store's persist path so the tests exercise a real server going away and coming back.
 */
final class RedisTestSink implements FeatureSink, AutoCloseable {
  private final String host;
  private final int port;
  private Jedis jedis;

  RedisTestSink(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public synchronized void persist(List<PersistQuery> queries) {
    try {
      if (jedis == null) {
        jedis = new Jedis(host, port, 2000);
      }
      Pipeline p = jedis.pipelined();
      for (PersistQuery q : queries) {
        for (PersistQuery.Data row : q.data()) {
          byte[] key = (q.entityLabel() + ":" + String.join("|", row.keyValues())).getBytes(UTF_8);
          for (int g = 0; g < q.featureGroupSchema().size(); g++) {
            p.hset(key, q.featureGroupSchema().get(g).label().getBytes(UTF_8), encode(row.featureValues().get(g)));
          }
        }
      }
      p.sync();
    } catch (JedisConnectionException e) {
      closeQuietly();
      throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "redis " + host + ":" + port + " unavailable: " + e, e);
    } catch (JedisException e) {
      closeQuietly();
      throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "redis " + host + ":" + port + " failed: " + e, e);
    }
  }

  /** Everything stored: "entity:key|..." -> group -> values. */
  static Map<String, Map<String, Values>> readAll(String host, int port) {
    Map<String, Map<String, Values>> all = new HashMap<>();
    try (Jedis j = new Jedis(host, port, 5000)) {
      for (byte[] key : j.keys("*".getBytes(UTF_8))) {
        Map<String, Values> groups = new HashMap<>();
        j.hgetAll(key).forEach((f, v) -> groups.put(new String(f, UTF_8), decode(v)));
        all.put(new String(key, UTF_8), groups);
      }
    }
    return all;
  }

  static long keyCount(String host, int port) {
    try (Jedis j = new Jedis(host, port, 2000)) {
      return j.dbSize();
    } catch (JedisException e) {
      return -1;
    }
  }

  private static byte[] encode(Values v) {
    return PersistQueryCodec.encode(new PersistQuery("", List.of(), List.of(), List.of(new PersistQuery.Data(List.of(), List.of(v)))));
  }

  private static Values decode(byte[] bytes) {
    return PersistQueryCodec.decode(bytes).data().get(0).featureValues().get(0);
  }

  private void closeQuietly() {
    if (jedis != null) {
      try {
        jedis.close();
      } catch (RuntimeException ignored) {
        // already broken
      }
      jedis = null;
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }
}
