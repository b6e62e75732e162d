package dev.onfs.storage.redis;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.storage.EntityKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * One distributed cache (Redis, Redis Cluster, Sentinel-managed Redis or Dragonfly): the connection and the
 * three operations {@link DistributedCacheStore} needs, each one round trip per node. Thread-safe.
 *
 * <p>A cached value is the CSDB of an entity's distributed-cached feature groups, as the reference keeps it.
 * Its key is {@code <prefix>{<entity>:<key values joined by |>}}; the braces make the value and its lease
 * key ({@code ...}:lease}) one Redis Cluster hash slot, so a write-back can check the lease and store the
 * value atomically.
 *
 * <p>Why leases: a reader that missed reads the database and writes the value back; a persist in between
 * would otherwise be overwritten by that older value. The reader takes a lease (a random token) before it
 * reads the database, and the write-back stores the value only if the lease is still its own. A persist
 * deletes lease and value together after its database write, so any read that started before the write
 * cannot store what it read, and a value stored before the delete is gone when the persist returns.
 */
public final class DistributedCache implements AutoCloseable {
  /** Sets the value (ARGV[2], TTL ARGV[3] seconds) and drops the lease only if the lease holds ARGV[1]. */
  private static final String WRITE_BACK = """
      if redis.call('GET', KEYS[2]) == ARGV[1] then
        redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
        redis.call('DEL', KEYS[2])
        return 1
      end
      return 0
      """;
  private static final byte[] WRITE_BACK_BYTES = WRITE_BACK.getBytes(StandardCharsets.UTF_8);
  private static final byte[] LEASE_SUFFIX = ":lease".getBytes(StandardCharsets.UTF_8);

  private final int id;
  private final RedisStore connection;
  private final byte[] prefix;
  private final long leaseMillis;

  private DistributedCache(int id, RedisStore connection, long leaseMillis) {
    this.id = id;
    this.connection = connection;
    this.prefix = connection.config().keyPrefix().getBytes(StandardCharsets.UTF_8);
    this.leaseMillis = leaseMillis;
  }

  /**
   * Connects to the cache with the id entities name in {@code distributed-cache/conf-id}; the connection
   * settings are those of a Redis store (its layout is ignored). {@code leaseMillis} bounds how long a
   * reader that missed may take between its lease and its write-back; later write-backs are dropped.
   */
  public static DistributedCache connect(int id, RedisStoreConfig config, long leaseMillis) {
    if (leaseMillis <= 0) {
      throw new IllegalArgumentException("leaseMillis must be positive: " + leaseMillis);
    }
    return new DistributedCache(id, RedisStore.create(requireNonNull(config, "config is null")), leaseMillis);
  }

  /** The id entities select this cache by. */
  public int id() {
    return id;
  }

  /** The cache key of an entity's row: {@code <prefix>{<entity>:<v1>|<v2>...}}. */
  byte[] key(String entity, EntityKey key) {
    StringBuilder text = new StringBuilder(entity.length() + 16).append('{').append(entity).append(':');
    for (int i = 0; i < key.size(); i++) {
      if (i > 0) {
        text.append('|');
      }
      text.append(key.get(i));
    }
    byte[] body = text.append('}').toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  private static byte[] leaseKey(byte[] key) {
    byte[] out = new byte[key.length + LEASE_SUFFIX.length];
    System.arraycopy(key, 0, out, 0, key.length);
    System.arraycopy(LEASE_SUFFIX, 0, out, key.length, LEASE_SUFFIX.length);
    return out;
  }

  /** The cached values of {@code keys}, in order; null where nothing is cached. */
  List<byte[]> get(byte[][] keys) {
    try {
      return connection.getAll(keys);
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, "distributed cache " + id + " read of " + keys.length + " keys", connection.config());
    }
  }

  /** Takes a lease on each key for a reader about to read the database; returns the token to write back with. */
  byte[] lease(List<byte[]> keys) {
    byte[] token = Long.toHexString(ThreadLocalRandom.current().nextLong()).getBytes(StandardCharsets.US_ASCII);
    try (AbstractPipeline pipeline = connection.pipeline()) {
      List<Response<String>> replies = new ArrayList<>(keys.size());
      for (byte[] key : keys) {
        replies.add(pipeline.psetex(leaseKey(key), leaseMillis, token));
      }
      pipeline.sync();
      for (Response<String> reply : replies) {
        reply.get();
      }
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, "distributed cache " + id + " lease of " + keys.size() + " keys", connection.config());
    }
    return token;
  }

  /**
   * Stores each value under its key for {@code ttlSeconds} where the key's lease is still {@code token};
   * returns how many were stored (the others were invalidated or re-leased meanwhile).
   */
  int writeBack(List<byte[]> keys, List<byte[]> values, byte[] token, long ttlSeconds) {
    byte[] ttl = Long.toString(ttlSeconds).getBytes(StandardCharsets.US_ASCII);
    int stored = 0;
    try (AbstractPipeline pipeline = connection.pipeline()) {
      List<Response<Object>> replies = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        byte[] key = keys.get(i);
        replies.add(pipeline.eval(WRITE_BACK_BYTES, List.of(key, leaseKey(key)), List.of(token, values.get(i), ttl)));
      }
      pipeline.sync();
      for (Response<Object> reply : replies) {
        if (Long.valueOf(1).equals(reply.get())) {
          stored++;
        }
      }
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, "distributed cache " + id + " write-back of " + keys.size() + " keys", connection.config());
    }
    return stored;
  }

  /** Deletes each key's lease and value in one command per key, so no write-back can land in between. */
  void invalidate(List<byte[]> keys) {
    try (AbstractPipeline pipeline = connection.pipeline()) {
      List<Response<Long>> replies = new ArrayList<>(keys.size());
      for (byte[] key : keys) {
        replies.add(pipeline.del(leaseKey(key), key));
      }
      pipeline.sync();
      for (Response<Long> reply : replies) {
        reply.get();
      }
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, "distributed cache " + id + " invalidation of " + keys.size() + " keys", connection.config());
    }
  }

  /** Checks the cache answers. */
  public void ping() {
    connection.ping();
  }

  @Override
  public void close() {
    connection.close();
  }

  @Override
  public String toString() {
    return "DistributedCache{id=" + id + ", " + connection + "}";
  }
}
