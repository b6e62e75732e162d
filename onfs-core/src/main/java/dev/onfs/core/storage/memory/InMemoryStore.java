package dev.onfs.core.storage.memory;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.BlockExpiry;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.ConditionalRow;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreCapabilities;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.WriteConflict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An {@link OnlineStore} in JVM memory. Thread-safe; a write of several feature groups of one entity is
 * atomic, and so is each row of a {@link #writeIfUnchanged conditional write}. A block reads as missing once its header expiry has passed on the store's clock; entities
 * whose blocks have all expired are dropped on access and by a sweep every few thousand writes.
 */
public final class InMemoryStore implements OnlineStore {
  /** The name under which {@link InMemoryStoreFactory} registers. */
  public static final String NAME = "memory";

  private static final int SWEEP_EVERY_WRITES = 4096;

  private final Clock clock;
  private final StoreCapabilities capabilities;
  private final ConcurrentMap<TableId, ConcurrentMap<EntityKey, Entity>> tables = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();
  private volatile boolean closed;

  private InMemoryStore(Builder builder) {
    this.clock = builder.clock;
    this.capabilities = new StoreCapabilities(true, builder.maxBatchSize, true, true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A store on the system clock with default limits. */
  public static InMemoryStore create() {
    return builder().build();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StoreCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    checkOpen();
    capabilities.checkBatchSize(keys.size());
    for (EntityKey key : keys) {
      table.checkKey(key);
    }
    ReadResult.Builder result = ReadResult.builder(keys, featureGroups);
    ConcurrentMap<EntityKey, Entity> entities = tables.get(TableId.of(table));
    if (entities == null) {
      return result.build();
    }
    long now = clock.instant().getEpochSecond();
    for (int k = 0; k < keys.size(); k++) {
      EntityKey key = keys.get(k);
      Entity entity = entities.get(key);
      if (entity == null) {
        continue;
      }
      if (entity.expiresBefore(now)) {
        entities.remove(key, entity);
        continue;
      }
      for (int f = 0; f < featureGroups.size(); f++) {
        byte[] block = entity.block(featureGroups.get(f).id());
        if (block != null && !BlockExpiry.isExpired(block, 0, block.length, now)) {
          result.set(k, f, block, 0, block.length);
        }
      }
    }
    return result.build();
  }

  @Override
  public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    checkOpen();
    capabilities.checkBatchSize(rows.size());
    int[] ids = new int[featureGroups.size()];
    for (int f = 0; f < ids.length; f++) {
      ids[f] = featureGroups.get(f).id();
    }
    for (StoreRow row : rows) {
      row.check(table, featureGroups);
    }
    ConcurrentMap<EntityKey, Entity> entities =
        tables.computeIfAbsent(TableId.of(table), id -> new ConcurrentHashMap<>());
    long now = clock.instant().getEpochSecond();
    for (StoreRow row : rows) {
      // Copy: the caller may reuse its buffers once write returns.
      byte[][] blocks = new byte[ids.length][];
      for (int f = 0; f < ids.length; f++) {
        blocks[f] = row.blocks().get(f).toByteArray();
      }
      entities.compute(row.key(), (key, old) -> Entity.merge(old, ids, blocks, now));
    }
    if (writes.addAndGet(rows.size()) % SWEEP_EVERY_WRITES < rows.size()) {
      purgeExpired();
    }
  }

  @Override
  public List<WriteConflict> writeIfUnchanged(
      StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
    checkOpen();
    capabilities.checkBatchSize(rows.size());
    ConditionalRow.checkAll(table, featureGroups, rows);
    int[] ids = new int[featureGroups.size()];
    for (int f = 0; f < ids.length; f++) {
      ids[f] = featureGroups.get(f).id();
    }
    ConcurrentMap<EntityKey, Entity> entities =
        tables.computeIfAbsent(TableId.of(table), id -> new ConcurrentHashMap<>());
    long now = clock.instant().getEpochSecond();
    List<WriteConflict> conflicts = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      ConditionalRow row = rows.get(r);
      byte[][] blocks = new byte[ids.length][];
      for (int f = 0; f < ids.length; f++) {
        blocks[f] = row.row().blocks().get(f).toByteArray();
      }
      List<@Nullable ByteRange> held = new ArrayList<>(ids.length);
      // compute runs the function once, atomically for the key: compare and swap in one step.
      entities.compute(row.key(), (key, old) -> {
        // An entity whose blocks all expired is gone, as write() and read() treat it.
        Entity live = old == null || old.expiresBefore(now) ? null : old;
        boolean same = true;
        for (int f = 0; f < ids.length; f++) {
          byte[] stored = live == null ? null : live.block(ids[f]);
          held.add(stored == null ? null : ByteRange.of(stored));
          ByteRange expected = row.expected().get(f);
          same &= expected == null ? stored == null : stored != null && expected.contentEquals(ByteRange.of(stored));
        }
        if (!same) {
          return old;
        }
        held.clear();
        return Entity.merge(old, ids, blocks, now);
      });
      if (!held.isEmpty()) {
        conflicts.add(new WriteConflict(r, held));
      }
    }
    if (writes.addAndGet(rows.size()) % SWEEP_EVERY_WRITES < rows.size()) {
      purgeExpired();
    }
    return conflicts;
  }

  @Override
  public void delete(StoreTable table, List<EntityKey> keys) {
    checkOpen();
    capabilities.checkBatchSize(keys.size());
    ConcurrentMap<EntityKey, Entity> entities = tables.get(TableId.of(table));
    for (EntityKey key : keys) {
      table.checkKey(key);
      if (entities != null) {
        entities.remove(key);
      }
    }
  }

  /** Drops every entity whose blocks have all expired; returns how many were dropped. */
  public int purgeExpired() {
    long now = clock.instant().getEpochSecond();
    int[] dropped = {0};
    for (ConcurrentMap<EntityKey, Entity> entities : tables.values()) {
      entities.entrySet().removeIf(e -> {
        boolean expired = e.getValue().expiresBefore(now);
        if (expired) {
          dropped[0]++;
        }
        return expired;
      });
    }
    return dropped[0];
  }

  /** Number of entities held (expired ones included until purged). */
  public long size() {
    return tables.values().stream().mapToLong(ConcurrentMap::size).sum();
  }

  /** Answers while the store is open. */
  @Override
  public void ping() {
    checkOpen();
  }

  @Override
  public void close() {
    closed = true;
    tables.clear();
  }

  private void checkOpen() {
    if (closed) {
      throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "in-memory store is closed");
    }
  }

  private record TableId(String storeId, String entityLabel) {
    static TableId of(StoreTable table) {
      return new TableId(table.storeId(), table.entityLabel());
    }
  }

  /** Immutable: blocks by feature group id plus the longest expiry (0 = some block never expires). */
  private static final class Entity {
    private final int[] ids;
    private final byte[][] blocks;
    private final long expiry;

    private Entity(int[] ids, byte[][] blocks) {
      this.ids = ids;
      this.blocks = blocks;
      long max = 1;
      for (byte[] block : blocks) {
        long e = BlockExpiry.expiryEpochSecond(block, 0, block.length);
        if (e == 0) {
          max = 0;
          break;
        }
        max = Math.max(max, e);
      }
      this.expiry = max;
    }

    static Entity merge(@Nullable Entity old, int[] ids, byte[][] blocks, long now) {
      if (old == null || old.expiresBefore(now)) {
        return new Entity(ids.clone(), blocks);
      }
      int[] mergedIds = Arrays.copyOf(ids, ids.length + old.ids.length);
      byte[][] mergedBlocks = Arrays.copyOf(blocks, mergedIds.length);
      int n = ids.length;
      for (int i = 0; i < old.ids.length; i++) {
        if (indexOf(ids, old.ids[i]) < 0) {
          mergedIds[n] = old.ids[i];
          mergedBlocks[n++] = old.blocks[i];
        }
      }
      return new Entity(Arrays.copyOf(mergedIds, n), Arrays.copyOf(mergedBlocks, n));
    }

    byte @Nullable [] block(int id) {
      int i = indexOf(ids, id);
      return i < 0 ? null : blocks[i];
    }

    boolean expiresBefore(long now) {
      return expiry != 0 && expiry < now;
    }

    private static int indexOf(int[] ids, int id) {
      for (int i = ids.length - 1; i >= 0; i--) {
        if (ids[i] == id) {
          return i;
        }
      }
      return -1;
    }
  }

  /** Configures an {@link InMemoryStore}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private int maxBatchSize = 10_000;

    private Builder() {}

    /** The clock block expiry is judged by; tests inject a controllable one. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    public Builder maxBatchSize(int maxBatchSize) {
      if (maxBatchSize <= 0) {
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "maxBatchSize must be positive, was " + maxBatchSize);
      }
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    public InMemoryStore build() {
      return new InMemoryStore(this);
    }
  }
}
