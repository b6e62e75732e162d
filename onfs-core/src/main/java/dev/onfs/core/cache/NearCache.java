package dev.onfs.core.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * An in-process cache of feature-group blocks per entity key, the counterpart of the reference's
 * in-memory cache. Each entry holds, for one entity key, the blocks of the feature groups last read
 * for it, decoded into cells or encoded (or the fact that the store had none), and answers for the
 * entity's in-memory-cache TTL plus a random jitter; a TTL of 0 means the entry stays until evicted
 * by size or invalidated, as in the reference. Bounded by the total bytes of the cached blocks and
 * cells. Thread-safe.
 */
public final class NearCache {
  private static final int ENTRY_OVERHEAD_BYTES = 64;

  /** Invalidation counters, striped by key hash (power of two). */
  private static final int STRIPES = 1024;

  private final Cache<Key, Entry> cache;
  private final Clock clock;
  /**
   * Bumped by every invalidation of a key in the stripe, before the entry is dropped. A reader takes
   * the stripe's count before it reads the store ({@link #stamp}) and its {@code put} only stays when
   * the count is unchanged after the put: a value read before a write can never outlive the write's
   * invalidation. (Other keys of the stripe can cost a skipped put, never a stale one.)
   */
  private final AtomicLongArray invalidations = new AtomicLongArray(STRIPES);

  private NearCache(long maximumBytes, Clock clock) {
    this.clock = clock;
    // Bounded by size only: each entry carries its own deadline, checked on read (one clock read),
    // which is cheaper per hit than Caffeine's variable expiry; an expired entry is dropped when read
    // or evicted by size like any other.
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maximumBytes)
        .weigher((Key key, Entry entry) -> entry.weight())
        .executor(Runnable::run)
        .build();
  }

  /**
   * A cache bounded to about {@code maximumBytes} of blocks, aging entries by {@code clock}.
   *
   * @throws IllegalArgumentException when {@code maximumBytes} is not positive
   */
  public static NearCache create(long maximumBytes, Clock clock) {
    if (maximumBytes <= 0) {
      throw new IllegalArgumentException("maximumBytes must be positive, got " + maximumBytes);
    }
    return new NearCache(maximumBytes, requireNonNull(clock, "clock is null"));
  }

  /** The cached blocks of one entity key, or null when absent or expired. */
  public @Nullable Entry get(String entityLabel, List<String> keyValues) {
    Key key = new Key(entityLabel, keyValues);
    Entry entry = cache.getIfPresent(key);
    if (entry != null && entry.expiresAtMillis != Long.MAX_VALUE && clock.millis() >= entry.expiresAtMillis) {
      cache.asMap().remove(key, entry);
      return null;
    }
    return entry;
  }

  /**
   * The key's invalidation stamp: take it before reading the store for the key, and hand it to
   * {@link #put(String, List, Entry, long, int, long)}.
   */
  public long stamp(String entityLabel, List<String> keyValues) {
    return invalidations.get(stripe(new Key(entityLabel, keyValues)));
  }

  /**
   * Caches {@code entry}, read from the store after {@link #stamp} returned {@code stamp}, unless the
   * key was invalidated since: then nothing is cached (and a racing write's value is read next time).
   */
  public void put(
      String entityLabel, List<String> keyValues, Entry entry, long ttlSeconds, int jitterPercentage, long stamp) {
    Key key = new Key(entityLabel, keyValues);
    int stripe = stripe(key);
    if (invalidations.get(stripe) != stamp) {
      return;
    }
    Entry stored = withDeadline(entry, ttlSeconds, jitterPercentage);
    cache.put(key, stored);
    // An invalidation between the check and the put bumped the count first: undo the put.
    if (invalidations.get(stripe) != stamp) {
      cache.asMap().remove(key, stored);
    }
  }

  /**
   * Caches {@code entry} for the entity key, replacing what was there.
   *
   * @param ttlSeconds the entity's in-memory-cache TTL; 0 keeps the entry until evicted or invalidated
   * @param jitterPercentage adds a random 0 to this percentage of the TTL, so entries written together
   *     do not all expire together
   */
  public void put(String entityLabel, List<String> keyValues, Entry entry, long ttlSeconds, int jitterPercentage) {
    cache.put(new Key(entityLabel, keyValues), withDeadline(entry, ttlSeconds, jitterPercentage));
  }

  private Entry withDeadline(Entry entry, long ttlSeconds, int jitterPercentage) {
    requireNonNull(entry, "entry is null");
    if (ttlSeconds < 0) {
      throw new IllegalArgumentException("ttlSeconds is negative: " + ttlSeconds);
    }
    if (jitterPercentage < 0) {
      throw new IllegalArgumentException("jitterPercentage is negative: " + jitterPercentage);
    }
    long expiresAtMillis = Long.MAX_VALUE;
    if (ttlSeconds > 0) {
      long millis = TimeUnit.SECONDS.toMillis(ttlSeconds);
      if (jitterPercentage > 0) {
        millis += (long) (ThreadLocalRandom.current().nextDouble() * millis * jitterPercentage / 100.0);
      }
      expiresAtMillis = clock.millis() + millis;
    }
    return entry.withDeadline(expiresAtMillis);
  }

  /** Drops the entry of one entity key (after a write to it). */
  public void invalidate(String entityLabel, List<String> keyValues) {
    Key key = new Key(entityLabel, keyValues);
    invalidations.incrementAndGet(stripe(key));
    cache.invalidate(key);
  }

  public void invalidateAll() {
    for (int i = 0; i < STRIPES; i++) {
      invalidations.incrementAndGet(i);
    }
    cache.invalidateAll();
  }

  private static int stripe(Key key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }

  /** Approximate number of cached entity keys. */
  public long estimatedSize() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Hand-written equals/hashCode: the record's generated ones go through a method handle per call. */
  private static final class Key {
    private final String entityLabel;
    private final List<String> keyValues;
    private final int hash;

    Key(String entityLabel, List<String> keyValues) {
      this.entityLabel = requireNonNull(entityLabel, "entityLabel is null");
      this.keyValues = List.copyOf(requireNonNull(keyValues, "keyValues is null"));
      this.hash = 31 * entityLabel.hashCode() + this.keyValues.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key other
          && hash == other.hash
          && entityLabel.equals(other.entityLabel)
          && keyValues.equals(other.keyValues);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * The cached state of one entity key: for each cached feature group id, either its block decoded
   * into cells, or its encoded block, or nothing when the store had no live block (so a hit answers
   * with the registry defaults).
   */
  public static final class Entry {
    private final int[] featureGroupIds;
    private final byte[] @Nullable [] blocks;
    private final @Nullable DecodedBlock[] decoded;
    /** When the entry stops answering (clock millis), {@code Long.MAX_VALUE} for never. */
    private final long expiresAtMillis;

    private Entry(
        int[] featureGroupIds, byte[] @Nullable [] blocks, @Nullable DecodedBlock[] decoded, long expiresAtMillis) {
      this.featureGroupIds = featureGroupIds;
      this.blocks = blocks;
      this.decoded = decoded;
      this.expiresAtMillis = expiresAtMillis;
    }

    /**
     * An entry holding {@code blocks[i]} for feature group {@code featureGroupIds[i]}; a null block
     * records that the store had none. The arrays are not copied: hand over arrays nobody changes.
     */
    public static Entry of(int[] featureGroupIds, byte[] @Nullable [] blocks) {
      return of(featureGroupIds, blocks, new DecodedBlock[blocks.length]);
    }

    /**
     * An entry holding, for feature group {@code featureGroupIds[i]}, the decoded block
     * {@code decoded[i]} when not null, else the encoded block {@code blocks[i]}, else nothing.
     */
    public static Entry of(int[] featureGroupIds, byte[] @Nullable [] blocks, @Nullable DecodedBlock[] decoded) {
      if (featureGroupIds.length != blocks.length || blocks.length != decoded.length) {
        throw new IllegalArgumentException(featureGroupIds.length + " feature group ids but " + blocks.length
            + " blocks and " + decoded.length + " decoded blocks");
      }
      return new Entry(featureGroupIds.clone(), blocks.clone(), decoded.clone(), Long.MAX_VALUE);
    }

    /** True when the entry records feature group {@code featureGroupId} (with or without a block). */
    public boolean contains(int featureGroupId) {
      return indexOf(featureGroupId) >= 0;
    }

    /**
     * The cached encoded block of the feature group, or null when the store had none, when it is
     * cached decoded ({@link #decoded}) or when the group is not cached.
     */
    public byte @Nullable [] block(int featureGroupId) {
      int i = indexOf(featureGroupId);
      return i < 0 ? null : blocks[i];
    }

    /** The feature group's block as decoded cells, or null. */
    public @Nullable DecodedBlock decoded(int featureGroupId) {
      int i = indexOf(featureGroupId);
      return i < 0 ? null : decoded[i];
    }

    private int indexOf(int featureGroupId) {
      for (int i = 0; i < featureGroupIds.length; i++) {
        if (featureGroupIds[i] == featureGroupId) {
          return i;
        }
      }
      return -1;
    }

    Entry withDeadline(long expiresAtMillis) {
      return new Entry(featureGroupIds, blocks, decoded, expiresAtMillis);
    }

    int weight() {
      long bytes = ENTRY_OVERHEAD_BYTES;
      for (int i = 0; i < blocks.length; i++) {
        byte[] block = blocks[i];
        bytes += block == null ? 8 : block.length + 16;
        if (decoded[i] != null) {
          bytes += decoded[i].weight();
        }
      }
      return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
  }

  /**
   * A block decoded once into its cells, so that a cache hit copies nothing: the cells are shared by
   * every answer served from this entry (readers must not modify them).
   *
   * @param schemaVersion the feature group version the block was written with
   * @param expiresAtEpochSecond the block's own expiry, 0 for never
   * @param cells the cell of each feature, by feature sequence
   */
  public record DecodedBlock(int schemaVersion, long expiresAtEpochSecond, byte[][] cells) {
    public DecodedBlock {
      requireNonNull(cells, "cells is null");
    }

    /** True once {@code nowMillis} is past the block's expiry, as {@code PsdbReader#isExpired} decides. */
    public boolean isExpired(long nowMillis) {
      return expiresAtEpochSecond != 0 && nowMillis > expiresAtEpochSecond * 1000;
    }

    long weight() {
      long bytes = 32 + 16 + 8L * cells.length;
      for (byte[] cell : cells) {
        bytes += cell.length + 16;
      }
      return bytes;
    }
  }
}
