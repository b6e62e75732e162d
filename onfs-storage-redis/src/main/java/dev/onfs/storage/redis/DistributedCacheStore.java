package dev.onfs.storage.redis;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.storage.BlockExpiry;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.ConditionalRow;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.SchemaManager;
import dev.onfs.core.storage.StoreCapabilities;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.WriteConflict;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A database store (typically Scylla/Cassandra) with a distributed cache in front, configured per entity as
 * the reference does: the entity's {@code distributed-cache} setting (enabled, TTL, jitter, conf id) and each
 * feature group's {@code distributed-cache-enabled}. Thread-safe.
 *
 * <p>A read asks the entity's cache first (one MGET); keys it does not hold, or holds without every requested
 * cached group, are read from the database with all the entity's cached groups of this store, and written
 * back under a lease (see {@link DistributedCache}). Groups that are not cached are read from the database.
 * When the cache cannot be reached, reads go to the database instead (the reference answers defaults).
 *
 * <p>Every write, conditional write and delete drops the written keys from every configured cache after the
 * database accepted it, so a read never returns a value older than the last acknowledged write, whichever
 * path wrote it (gRPC, embedded or the Kafka consumer). If a cache cannot drop them the write fails with
 * {@code STORE_UNAVAILABLE}: the database holds the new value, and retrying the write is safe.
 */
public final class DistributedCacheStore implements OnlineStore {
  private static final System.Logger LOG = System.getLogger(DistributedCacheStore.class.getName());

  private final OnlineStore database;
  private final FeatureRegistry registry;
  private final Map<Integer, DistributedCache> caches;
  private final Clock clock;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private volatile Policies policies = new Policies(RegistrySnapshot.empty());

  private DistributedCacheStore(
      OnlineStore database, FeatureRegistry registry, Map<Integer, DistributedCache> caches, Clock clock) {
    this.database = database;
    this.registry = registry;
    this.caches = caches;
    this.clock = clock;
  }

  /**
   * Puts {@code caches} in front of {@code database}. The registry is read on every call, so cache settings
   * changed in the registry apply to the next read. The caches are not closed with the store: several
   * stores may share them.
   */
  public static DistributedCacheStore wrap(
      OnlineStore database, FeatureRegistry registry, Collection<DistributedCache> caches, Clock clock) {
    Map<Integer, DistributedCache> byId = new TreeMap<>();
    for (DistributedCache cache : caches) {
      if (byId.put(cache.id(), cache) != null) {
        throw new IllegalArgumentException("two distributed caches with id " + cache.id());
      }
    }
    return new DistributedCacheStore(
        requireNonNull(database, "database is null"),
        requireNonNull(registry, "registry is null"),
        Map.copyOf(byId),
        requireNonNull(clock, "clock is null"));
  }

  /** Keys answered from a cache since start. */
  public long hits() {
    return hits.sum();
  }

  /** Keys read from the database for a cached group since start (misses, and reads while a cache failed). */
  public long misses() {
    return misses.sum();
  }

  /** Cache calls that failed since start (reads fell back to the database). */
  public long failures() {
    return failures.sum();
  }

  @Override
  public String name() {
    return database.name();
  }

  @Override
  public StoreCapabilities capabilities() {
    return database.capabilities();
  }

  @Override
  public Optional<SchemaManager> schemaManager() {
    return database.schemaManager();
  }

  @Override
  public void ping() {
    database.ping();
  }

  @Override
  public ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    Policy policy = policy(table);
    if (policy == null || keys.isEmpty()) {
      return database.read(table, keys, featureGroups);
    }
    List<StoreFeatureGroup> cachedRequested = new ArrayList<>();
    List<StoreFeatureGroup> uncachedRequested = new ArrayList<>();
    for (StoreFeatureGroup group : featureGroups) {
      (policy.caches(group.id()) ? cachedRequested : uncachedRequested).add(group);
    }
    if (cachedRequested.isEmpty()) {
      return database.read(table, keys, featureGroups);
    }
    ReadResult.Builder out = ReadResult.builder(keys, featureGroups);
    readCached(policy, table, keys, featureGroups, cachedRequested, out);
    if (!uncachedRequested.isEmpty()) {
      copy(database.read(table, keys, uncachedRequested), featureGroups, null, out);
    }
    return out.build();
  }

  /** Fills the cells of the cached groups: from the cache where it holds them all, else from the database. */
  private void readCached(
      Policy policy,
      StoreTable table,
      List<EntityKey> keys,
      List<StoreFeatureGroup> requested,
      List<StoreFeatureGroup> cachedRequested,
      ReadResult.Builder out) {
    DistributedCache cache = policy.cache;
    byte[][] cacheKeys = new byte[keys.size()][];
    for (int k = 0; k < cacheKeys.length; k++) {
      cacheKeys[k] = cache.key(table.entityLabel(), keys.get(k));
    }
    List<byte[]> values;
    try {
      values = cache.get(cacheKeys);
    } catch (OnfsException e) {
      cacheFailed(cache, e);
      misses.add(keys.size());
      copy(database.read(table, keys, cachedRequested), requested, null, out);
      return;
    }
    long now = clock.instant().getEpochSecond();
    int n = cachedRequested.size();
    int[] column = new int[n];
    for (int f = 0; f < n; f++) {
      column[f] = requested.indexOf(cachedRequested.get(f));
    }
    int[] offsets = new int[n];
    int[] lengths = new int[n];
    List<Integer> missed = new ArrayList<>();
    for (int k = 0; k < cacheKeys.length; k++) {
      byte[] value = values.get(k);
      if (value == null || !locateAll(value, cachedRequested, offsets, lengths)) {
        missed.add(k);
        continue;
      }
      hits.increment();
      for (int f = 0; f < n; f++) {
        // Length 0 marks a group the database did not hold: absent, as the reference's negative entries.
        if (lengths[f] > 0 && !BlockExpiry.isExpired(value, offsets[f], lengths[f], now)) {
          out.set(k, column[f], value, offsets[f], lengths[f]);
        }
      }
    }
    if (!missed.isEmpty()) {
      misses.add(missed.size());
      readThrough(policy, table, keys, cacheKeys, missed, requested, out);
    }
  }

  /** Reads the missed keys with every cached group of the entity and writes them back under a lease. */
  private void readThrough(
      Policy policy,
      StoreTable table,
      List<EntityKey> keys,
      byte[][] cacheKeys,
      List<Integer> missed,
      List<StoreFeatureGroup> requested,
      ReadResult.Builder out) {
    List<EntityKey> missedKeys = new ArrayList<>(missed.size());
    List<byte[]> missedCacheKeys = new ArrayList<>(missed.size());
    for (int k : missed) {
      missedKeys.add(keys.get(k));
      missedCacheKeys.add(cacheKeys[k]);
    }
    byte @Nullable [] token;
    try {
      token = policy.cache.lease(missedCacheKeys);
    } catch (OnfsException e) {
      cacheFailed(policy.cache, e);
      token = null;
    }
    ReadResult stored = database.read(table, missedKeys, policy.groups);
    int[] rows = missed.stream().mapToInt(Integer::intValue).toArray();
    copy(stored, requested, rows, out);
    if (token == null || policy.ttlSeconds <= 0) {
      return;
    }
    try {
      List<byte[]> values = new ArrayList<>(rows.length);
      List<ByteRange> blocks = new ArrayList<>(policy.ids.length);
      for (int r = 0; r < rows.length; r++) {
        blocks.clear();
        for (int f = 0; f < policy.ids.length; f++) {
          blocks.add(stored.isPresent(r, f)
              ? new ByteRange(stored.array(r, f), stored.offset(r, f), stored.length(r, f))
              : ByteRange.of(new byte[0]));
        }
        values.add(Csdb.encode(policy.ids, blocks));
      }
      policy.cache.writeBack(missedCacheKeys, values, token, policy.jitteredTtl());
    } catch (OnfsException e) {
      cacheFailed(policy.cache, e); // the answer is complete; the next read misses again
    }
  }

  /** Locates every group in the cached value; false when one has no entry (the value predates it). */
  private static boolean locateAll(byte[] value, List<StoreFeatureGroup> groups, int[] offsets, int[] lengths) {
    Csdb.locate(value, 0, value.length, groups, offsets, lengths);
    for (int f = 0; f < groups.size(); f++) {
      if (lengths[f] < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Copies the present cells of {@code from} into {@code out}, matching groups by id; {@code rows} maps
   * the rows of {@code from} to rows of {@code out} (null: the same rows).
   */
  private static void copy(ReadResult from, List<StoreFeatureGroup> outGroups, int @Nullable [] rows, ReadResult.Builder out) {
    List<StoreFeatureGroup> fromGroups = from.featureGroups();
    for (int g = 0; g < outGroups.size(); g++) {
      int f = indexOfId(fromGroups, outGroups.get(g).id());
      if (f < 0) {
        continue;
      }
      for (int r = 0; r < from.keyCount(); r++) {
        if (from.isPresent(r, f)) {
          out.set(rows == null ? r : rows[r], g, from.array(r, f), from.offset(r, f), from.length(r, f));
        }
      }
    }
  }

  private static int indexOfId(List<StoreFeatureGroup> groups, int id) {
    for (int i = 0; i < groups.size(); i++) {
      if (groups.get(i).id() == id) {
        return i;
      }
    }
    return -1;
  }

  private void cacheFailed(DistributedCache cache, OnfsException e) {
    failures.increment();
    LOG.log(Level.WARNING, "distributed cache " + cache.id() + " failed, reading the database instead: " + e.getMessage());
  }

  @Override
  public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    database.write(table, featureGroups, rows);
    invalidate(table, rows.stream().map(StoreRow::key).toList());
  }

  @Override
  public List<WriteConflict> writeIfUnchanged(
      StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
    List<WriteConflict> conflicts = database.writeIfUnchanged(table, featureGroups, rows);
    // Rows that conflicted were not written; dropping their cached values as well is harmless.
    invalidate(table, rows.stream().map(ConditionalRow::key).toList());
    return conflicts;
  }

  @Override
  public void delete(StoreTable table, List<EntityKey> keys) {
    database.delete(table, keys);
    invalidate(table, keys);
  }

  /**
   * Drops the keys from every configured cache, whatever the entity's setting now says: a cache that was
   * turned off and on again, or an entity moved between caches, must not serve values from before.
   */
  private void invalidate(StoreTable table, List<EntityKey> keys) {
    if (keys.isEmpty()) {
      return;
    }
    for (DistributedCache cache : caches.values()) {
      List<byte[]> cacheKeys = new ArrayList<>(keys.size());
      for (EntityKey key : keys) {
        cacheKeys.add(cache.key(table.entityLabel(), key));
      }
      try {
        cache.invalidate(cacheKeys);
      } catch (OnfsException e) {
        throw new OnfsException(
            ErrorCode.STORE_UNAVAILABLE,
            "written to store '" + table.storeId() + "', but distributed cache " + cache.id()
                + " could not drop the old values of entity '" + table.entityLabel() + "' (" + e.getMessage()
                + "); the write is safe to retry",
            e);
      }
    }
  }

  @Override
  public void close() {
    database.close();
  }

  @Override
  public String toString() {
    return "DistributedCacheStore{" + database + ", caches=" + caches.keySet() + "}";
  }

  /** The entity's cache setting for this store's table, or null when its reads go to the database only. */
  private @Nullable Policy policy(StoreTable table) {
    RegistrySnapshot snapshot = registry.snapshot();
    Policies current = policies;
    if (current.snapshot != snapshot) {
      current = new Policies(snapshot);
      policies = current;
    }
    return current.get(table.entityLabel(), table.storeId(), caches);
  }

  /** Policies computed from one registry snapshot. */
  private static final class Policies {
    final RegistrySnapshot snapshot;
    final Map<String, Optional<Policy>> byTable = new ConcurrentHashMap<>();

    Policies(RegistrySnapshot snapshot) {
      this.snapshot = snapshot;
    }

    @Nullable Policy get(String entityLabel, String storeId, Map<Integer, DistributedCache> caches) {
      return byTable.computeIfAbsent(entityLabel + '\0' + storeId, k -> Optional.ofNullable(
          Policy.of(snapshot.entity(entityLabel), storeId, caches))).orElse(null);
    }
  }

  /** One entity's caching in one store: the cache, its TTL and jitter, and the cached groups. */
  private static final class Policy {
    final DistributedCache cache;
    final long ttlSeconds;
    final int jitterPercentage;
    final List<StoreFeatureGroup> groups;
    final int[] ids;

    private Policy(DistributedCache cache, CacheConfig config, List<StoreFeatureGroup> groups) {
      this.cache = cache;
      this.ttlSeconds = config.ttlInSeconds();
      this.jitterPercentage = config.jitterPercentage();
      this.groups = List.copyOf(groups);
      this.ids = groups.stream().mapToInt(StoreFeatureGroup::id).toArray();
    }

    static @Nullable Policy of(@Nullable Entity entity, String storeId, Map<Integer, DistributedCache> caches) {
      if (entity == null || !entity.distributedCache().enabled()) {
        return null;
      }
      DistributedCache cache = caches.get(entity.distributedCache().confId());
      if (cache == null) {
        LOG.log(Level.WARNING, "entity '" + entity.label() + "' asks for distributed cache "
            + entity.distributedCache().confId() + ", which this server does not configure; reading the database");
        return null;
      }
      List<StoreFeatureGroup> groups = new ArrayList<>();
      for (FeatureGroup group : entity.featureGroups().values()) {
        if (group.distributedCacheEnabled() && group.storeId().equals(storeId)) {
          groups.add(StoreFeatureGroup.withReferenceColumnOrder(group.id(), group.columnLabels()));
        }
      }
      return groups.isEmpty() ? null : new Policy(cache, entity.distributedCache(), groups);
    }

    boolean caches(int featureGroupId) {
      for (int id : ids) {
        if (id == featureGroupId) {
          return true;
        }
      }
      return false;
    }

    /** The TTL spread by up to ± the jitter percentage, as the reference draws it; at least one second. */
    long jitteredTtl() {
      if (jitterPercentage == 0) {
        return ttlSeconds;
      }
      double spread = ttlSeconds * jitterPercentage / 100.0;
      long ttl = Math.round(ttlSeconds + ThreadLocalRandom.current().nextDouble(-spread, spread));
      return Math.max(1, ttl);
    }
  }
}
