package dev.onfs.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Every key of one Redis database with its serialized value ({@code DUMP}), to tell whether a test
 * changed stored data and to put the database back as it was. Expiry times are kept for
 * {@link #restore} but not compared: they run down while a test runs.
 *
 * <p>Reads with jedis, an optional dependency of this module: every module that stores in Redis has it.
 */
public final class RedisSnapshot {
  private static final int MAX_LISTED = 5;

  /** One key's DUMP payload and remaining time to live in milliseconds (0 when it has none). */
  private record Entry(byte[] dump, long ttlMillis) {}

  private final int database;
  /** Key bytes as ISO-8859-1 text (one char per byte, so no byte is lost) to entry, in key order. */
  private final Map<String, Entry> entries;

  private RedisSnapshot(int database, Map<String, Entry> entries) {
    this.database = database;
    this.entries = entries;
  }

  /** Reads every key of {@code database}. */
  public static RedisSnapshot take(RedisServer redis, int database) {
    requireNonNull(redis, "redis is null");
    try (Jedis jedis = connect(redis, database)) {
      List<byte[]> keys = new ArrayList<>(jedis.keys("*".getBytes(ISO_8859_1)));
      List<Response<byte[]>> dumps = new ArrayList<>(keys.size());
      List<Response<Long>> ttls = new ArrayList<>(keys.size());
      // One round trip for all keys: a test that wrongly wrote thousands of rows stays quick to check.
      Pipeline pipeline = jedis.pipelined();
      for (byte[] key : keys) {
        dumps.add(pipeline.dump(key));
        ttls.add(pipeline.pttl(key));
      }
      pipeline.sync();
      Map<String, Entry> entries = new TreeMap<>();
      for (int i = 0; i < keys.size(); i++) {
        byte[] dump = dumps.get(i).get();
        if (dump != null) { // expired between KEYS and DUMP
          entries.put(new String(keys.get(i), ISO_8859_1), new Entry(dump, Math.max(0, ttls.get(i).get())));
        }
      }
      return new RedisSnapshot(database, entries);
    }
  }

  /** A snapshot without keys: restoring it empties the database. */
  public static RedisSnapshot empty(int database) {
    return new RedisSnapshot(database, new TreeMap<>());
  }

  /** Deletes every key of the database, then writes back the keys of this snapshot. */
  public void restore(RedisServer redis) {
    requireNonNull(redis, "redis is null");
    try (Jedis jedis = connect(redis, database)) {
      jedis.flushDB();
      Pipeline pipeline = jedis.pipelined();
      entries.forEach((key, entry) -> pipeline.restore(key.getBytes(ISO_8859_1), entry.ttlMillis, entry.dump));
      pipeline.sync();
    }
  }

  private static Jedis connect(RedisServer redis, int database) {
    return new Jedis(redis.host(), redis.port(), DefaultJedisClientConfig.builder()
        .timeoutMillis(10_000)
        .database(database)
        .autoNegotiateProtocol(false)
        .build());
  }

  /** The same snapshot without the keys {@code exclude} matches (keys as ISO-8859-1 text). */
  public RedisSnapshot without(Predicate<String> exclude) {
    Map<String, Entry> kept = new TreeMap<>();
    entries.forEach((key, entry) -> {
      if (!exclude.test(key)) {
        kept.put(key, entry);
      }
    });
    return new RedisSnapshot(database, kept);
  }

  public int size() {
    return entries.size();
  }

  /**
   * How this snapshot differs from {@code earlier}: counts of added, removed and changed keys with
   * the first few of each, printable; empty when both hold the same keys and values.
   */
  public List<String> differencesFrom(RedisSnapshot earlier) {
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    entries.forEach((key, entry) -> {
      Entry before = earlier.entries.get(key);
      if (before == null) {
        added.add(key);
      } else if (!Arrays.equals(before.dump, entry.dump)) {
        changed.add(key);
      }
    });
    earlier.entries.keySet().stream().filter(key -> !entries.containsKey(key)).forEach(removed::add);
    List<String> out = new ArrayList<>();
    describe(out, "added", added);
    describe(out, "changed", changed);
    describe(out, "removed", removed);
    return out;
  }

  private static void describe(List<String> out, String what, List<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    List<String> shown = new ArrayList<>();
    for (String key : keys.subList(0, Math.min(MAX_LISTED, keys.size()))) {
      shown.add(printable(key));
    }
    out.add(keys.size() + " key(s) " + what + ": " + String.join(", ", shown) + (keys.size() > MAX_LISTED ? ", ..." : ""));
  }

  /** A key as quoted text: printable ASCII as is, other bytes as \xNN, long keys cut. */
  static String printable(String key) {
    StringBuilder sb = new StringBuilder("'");
    int shown = Math.min(key.length(), 60);
    for (int i = 0; i < shown; i++) {
      char c = key.charAt(i);
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        sb.append(c);
      } else {
        sb.append(String.format("\\x%02X", (int) c));
      }
    }
    if (shown < key.length()) {
      sb.append("...(").append(key.length()).append(" bytes)");
    }
    return sb.append('\'').toString();
  }

  @Override
  public String toString() {
    return "RedisSnapshot[db " + database + ", " + entries.size() + " keys]";
  }
}
