package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.metrics.OnfsStatsRecorder;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.ConditionalRow;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.WriteConflict;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Writes one store's share of a persist that leaves some features of a group unnamed, without losing
 * their stored values or a concurrent writer's: reads the stored blocks, merges the new ones over them
 * ({@link BlockMerger}) and writes the result with {@link OnlineStore#writeIfUnchanged}, expecting the
 * blocks it read. Rows that conflict are merged again and retried in smaller chunks (a quarter each
 * time, down to single rows), the first chunk at once over the blocks the store reported, the others
 * after reading them again; from attempt {@link #IMMEDIATE_RETRIES} + 1 on, each retry first pauses for
 * a random, growing time so racing writers spread out. After {@link #MAX_ATTEMPTS} writes of a row the
 * persist fails with the transient {@link ErrorCode#WRITE_CONFLICT}. Rows of one key are folded into
 * one write, in query order, so a later row's values win.
 */
final class MergingWriter {
  /** Conditional writes per row before giving up. */
  static final int MAX_ATTEMPTS = 24;
  /** Attempts made without pausing; later ones pause first and read the rows again. */
  static final int IMMEDIATE_RETRIES = 4;
  /** Each retry splits the conflicting rows into this many chunks (at least one row each). */
  private static final int SHRINK = 4;
  private static final long FIRST_PAUSE_MICROS = 200;
  private static final long MAX_PAUSE_MICROS = 50_000;

  private final OnfsStatsRecorder stats;
  private final ThreadLocal<BlockMerger> mergers;

  MergingWriter(Clock clock, OnfsStatsRecorder stats) {
    requireNonNull(clock, "clock is null");
    this.stats = requireNonNull(stats, "stats is null");
    this.mergers = ThreadLocal.withInitial(() -> new BlockMerger(clock));
  }

  /**
   * @param groups the store's feature groups in the persist, in the order of each row's blocks
   * @param namedSequences per group: the active sequences of the features the persist named
   * @param rows the persist's rows for this store, in query order; their blocks hold defaults for
   *     unnamed features
   */
  void write(
      OnlineStore store,
      StoreTable table,
      List<ServingSchema.FeatureGroup> groups,
      List<int[]> namedSequences,
      List<StoreRow> rows) {
    String entityLabel = table.entityLabel();
    if (!store.capabilities().conditionalWrite()) {
      throw new OnfsException(
          ErrorCode.STORE_REJECTED,
          "persist of entity '" + entityLabel + "' names only some features of feature group '" + partialLabel(groups,
              namedSequences) + "'; keeping the others needs conditional writes, which store '" + store.name()
              + "' does not support (name every feature, or set partial-persist to reset)");
    }
    boolean[][] named = new boolean[groups.size()][];
    List<StoreFeatureGroup> storeGroups = new ArrayList<>(groups.size());
    for (int g = 0; g < groups.size(); g++) {
      named[g] = new boolean[groups.get(g).active().size()];
      for (int s : namedSequences.get(g)) {
        named[g][s] = true;
      }
      storeGroups.add(groups.get(g).storeFeatureGroup());
    }
    // Each distinct key once, with its rows in query order.
    Map<EntityKey, List<StoreRow>> byKey = new LinkedHashMap<>();
    for (StoreRow row : rows) {
      byKey.computeIfAbsent(row.key(), k -> new ArrayList<>(1)).add(row);
    }
    List<Pending> pending = new ArrayList<>(byKey.size());
    byKey.forEach((key, keyRows) -> pending.add(new Pending(key, keyRows, groups.size())));
    int batch = store.capabilities().maxBatchSize();
    for (int from = 0; from < pending.size(); from += batch) {
      write(store, table, groups, storeGroups, named, pending.subList(from, Math.min(pending.size(), from + batch)));
    }
  }

  /** One distinct key: its rows, and the blocks the store is believed to hold (null: none). */
  private static final class Pending {
    final EntityKey key;
    final List<StoreRow> rows;
    final @Nullable ByteRange[] expected;

    Pending(EntityKey key, List<StoreRow> rows, int groups) {
      this.key = key;
      this.rows = rows;
      this.expected = new ByteRange[groups];
    }
  }

  /** Rows to write at one attempt; their expectations are read first when {@code read} is set. */
  private record Chunk(List<Pending> rows, int attempt, boolean read) {}

  private void write(
      OnlineStore store,
      StoreTable table,
      List<ServingSchema.FeatureGroup> groups,
      List<StoreFeatureGroup> storeGroups,
      boolean[][] named,
      List<Pending> slice) {
    String entityLabel = table.entityLabel();
    BlockMerger merger = mergers.get();
    // Depth first: a conflicting chunk is retried before the rest, while what the store reported is fresh.
    Deque<Chunk> todo = new ArrayDeque<>();
    todo.push(new Chunk(slice, 1, true));
    while (!todo.isEmpty()) {
      Chunk chunk = todo.pop();
      if (chunk.attempt > IMMEDIATE_RETRIES) {
        pause(chunk.attempt - IMMEDIATE_RETRIES);
      }
      if (chunk.read) {
        readExpected(store, table, storeGroups, chunk.rows);
      }
      List<ConditionalRow> writes = new ArrayList<>(chunk.rows.size());
      for (Pending p : chunk.rows) {
        writes.add(merged(merger, groups, named, p, entityLabel));
      }
      long writeStart = System.nanoTime();
      List<WriteConflict> conflicts = store.writeIfUnchanged(table, storeGroups, writes);
      stats.recordStoreWrite(entityLabel, writes.size(), System.nanoTime() - writeStart);
      if (conflicts.isEmpty()) {
        continue;
      }
      List<Pending> retry = new ArrayList<>(conflicts.size());
      for (WriteConflict conflict : conflicts) {
        Pending p = chunk.rows.get(conflict.row());
        for (int g = 0; g < groups.size(); g++) {
          p.expected[g] = conflict.current().get(g);
        }
        retry.add(p);
      }
      if (chunk.attempt == MAX_ATTEMPTS) {
        throw new OnfsException(
            ErrorCode.WRITE_CONFLICT,
            "persist of entity '" + entityLabel + "': " + retry.size() + " rows (first key " + retry.get(0).key.values()
                + ") were changed by concurrent writes during each of " + MAX_ATTEMPTS
                + " merge attempts; retry the persist");
      }
      // Smaller chunks under contention: a chunk's rows are exposed to other writers for as long as it
      // takes to merge and send them all.
      int size = Math.max(1, (retry.size() + SHRINK - 1) / SHRINK);
      int next = chunk.attempt + 1;
      List<Chunk> parts = new ArrayList<>();
      for (int from = 0; from < retry.size(); from += size) {
        // Only the first part goes straight back with the reported blocks; the others have aged by then.
        parts.add(new Chunk(retry.subList(from, Math.min(retry.size(), from + size)), next,
            from > 0 || next > IMMEDIATE_RETRIES));
      }
      for (int i = parts.size() - 1; i >= 0; i--) {
        todo.push(parts.get(i));
      }
    }
  }

  /** Sets each row's expectation to the blocks the store holds now. */
  private void readExpected(OnlineStore store, StoreTable table, List<StoreFeatureGroup> storeGroups, List<Pending> rows) {
    List<EntityKey> keys = new ArrayList<>(rows.size());
    for (Pending p : rows) {
      keys.add(p.key);
    }
    long readStart = System.nanoTime();
    ReadResult stored = store.read(table, keys, storeGroups);
    stats.recordStoreRead(table.entityLabel(), keys.size(), System.nanoTime() - readStart);
    for (int k = 0; k < rows.size(); k++) {
      for (int g = 0; g < storeGroups.size(); g++) {
        rows.get(k).expected[g] = stored.block(k, g);
      }
    }
  }

  /** The key's rows folded over the expected blocks, in query order, as one conditional row. */
  private ConditionalRow merged(
      BlockMerger merger, List<ServingSchema.FeatureGroup> groups, boolean[][] named, Pending p, String entityLabel) {
    List<ByteRange> blocks = new ArrayList<>(groups.size());
    for (int g = 0; g < groups.size(); g++) {
      ServingSchema.FeatureGroup fg = groups.get(g);
      ByteRange base = p.expected[g];
      try {
        for (StoreRow row : p.rows) {
          byte[] update = row.blocks().get(g).toByteArray();
          base = ByteRange.of(merger.merge(fg, update, named[g], base));
        }
      } catch (OnfsException e) {
        throw new OnfsException(e.code(), "entity '" + entityLabel + "' key " + p.key.values() + ", feature group '"
            + fg.label() + "': " + e.getMessage() + " (a persist naming every feature replaces it)", e);
      }
      blocks.add(base);
    }
    return new ConditionalRow(new StoreRow(p.key, blocks), Arrays.asList(p.expected));
  }

  /** Sleeps between half and all of a bound that doubles per pause, so racing writers spread out. */
  private static void pause(int pauses) {
    long bound = Math.min(MAX_PAUSE_MICROS, FIRST_PAUSE_MICROS << Math.min(pauses - 1, 20));
    long micros = ThreadLocalRandom.current().nextLong(bound / 2, bound + 1);
    try {
      TimeUnit.MICROSECONDS.sleep(micros);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnfsException(ErrorCode.WRITE_CONFLICT, "interrupted while retrying a conflicting persist", e);
    }
  }

  private static String partialLabel(List<ServingSchema.FeatureGroup> groups, List<int[]> namedSequences) {
    for (int g = 0; g < groups.size(); g++) {
      if (namedSequences.get(g).length < groups.get(g).active().size()) {
        return groups.get(g).label();
      }
    }
    return groups.get(0).label();
  }
}
