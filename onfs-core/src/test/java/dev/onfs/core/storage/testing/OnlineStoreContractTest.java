package dev.onfs.core.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.ConditionalRow;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.WriteConflict;
import dev.onfs.core.testing.TestingClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link OnlineStore} must show, run by each adapter's subclass against a real
 * server (or, for the in-memory store, in-process). Tests that depend on an optional behaviour check the
 * store's declared {@link dev.onfs.core.storage.StoreCapabilities} instead of its type.
 *
 * <p>Each test uses keys unique to it, so subclasses may share one server and one table between tests.
 */
public abstract class OnlineStoreContractTest {
  /** Five feature groups, each split across two columns (reference column order). */
  protected static final List<StoreFeatureGroup> FEATURE_GROUPS = List.of(
      StoreFeatureGroup.withReferenceColumnOrder(1, List.of("seg_0", "seg_1")),
      StoreFeatureGroup.withReferenceColumnOrder(2, List.of("seg_2", "seg_3")),
      StoreFeatureGroup.withReferenceColumnOrder(3, List.of("seg_4", "seg_5")),
      StoreFeatureGroup.withReferenceColumnOrder(7, List.of("seg_10", "seg_6")),
      StoreFeatureGroup.withReferenceColumnOrder(300, List.of("seg_11", "seg_12")));

  /** Primary-key columns of the contract table. */
  protected static final List<String> PRIMARY_KEY = List.of("user_id", "region");
  /** Column size of the contract table: small, so blocks span several columns. */
  protected static final int MAX_COLUMN_SIZE = 64;

  protected OnlineStore store;
  protected StoreTable table;
  private String run;

  /** A new store for one test; closed after it. */
  protected abstract OnlineStore createStore();

  /** A new store judging expiry by {@code clock}, as the adapter's factory builds it; closed by the test. */
  protected abstract OnlineStore createStore(Clock clock);

  /**
   * The table the suite writes to, with {@link #PRIMARY_KEY} and columns for {@link #FEATURE_GROUPS};
   * column stores create it (once) here.
   */
  protected StoreTable createTable() {
    return new StoreTable("contract_user", "1", "onfs_contract", "contract_user", PRIMARY_KEY, MAX_COLUMN_SIZE);
  }

  /** Current time in epoch seconds as the store judges expiry. */
  protected long nowEpochSecond() {
    return System.currentTimeMillis() / 1000;
  }

  /** Makes the store's time pass {@code epochSecond}; by default real time is awaited by the caller. */
  protected void advancePast(long epochSecond) {}

  /** How long a test waits for real time to pass an expiry. */
  protected Duration expiryWait() {
    return Duration.ofSeconds(10);
  }

  @BeforeEach
  void openStore() {
    run = UUID.randomUUID().toString().substring(0, 8);
    table = createTable();
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** A key unique to the running test. */
  protected EntityKey key(int i) {
    return EntityKey.of(run + "-" + i, "in");
  }

  protected List<EntityKey> keys(int count) {
    List<EntityKey> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keys.add(key(i));
    }
    return keys;
  }

  protected static List<StoreFeatureGroup> fgs(int... indexes) {
    List<StoreFeatureGroup> out = new ArrayList<>();
    for (int i : indexes) {
      out.add(FEATURE_GROUPS.get(i));
    }
    return out;
  }

  /** Writes version {@code version} of the given feature groups (by index) for every key. */
  protected void writeVersion(List<EntityKey> keys, int version, int payload, int... fgIndexes) {
    List<StoreFeatureGroup> groups = fgs(fgIndexes);
    List<StoreRow> rows = new ArrayList<>();
    for (EntityKey key : keys) {
      List<ByteRange> blocks = new ArrayList<>();
      for (StoreFeatureGroup g : groups) {
        blocks.add(TestBlocks.block(key, g.id(), version, payload));
      }
      rows.add(new StoreRow(key, blocks));
    }
    int max = store.capabilities().maxBatchSize();
    for (int from = 0; from < rows.size(); from += max) {
      store.write(table, groups, rows.subList(from, Math.min(rows.size(), from + max)));
    }
  }

  protected static void assertBlock(ReadResult result, int k, int f, ByteRange expected) {
    assertThat(result.isPresent(k, f)).as("cell (%s, %s) present", k, f).isTrue();
    ByteRange actual = result.block(k, f);
    assertThat(actual.toByteArray()).as("cell (%s, %s)", k, f).isEqualTo(expected.toByteArray());
  }

  @Test
  void readsWhatItWrote() {
    List<EntityKey> keys = keys(3);
    writeVersion(keys, 1, 40, 0, 1, 2);

    ReadResult result = store.read(table, keys, fgs(0, 1, 2));

    assertThat(result.keyCount()).isEqualTo(3);
    assertThat(result.featureGroupCount()).isEqualTo(3);
    for (int k = 0; k < 3; k++) {
      for (int f = 0; f < 3; f++) {
        assertBlock(result, k, f, TestBlocks.block(keys.get(k), FEATURE_GROUPS.get(f).id(), 1, 40));
      }
    }
  }

  @Test
  void missingKeysAndFeatureGroupsReadAsMissing() {
    writeVersion(List.of(key(1)), 1, 20, 0);

    ReadResult result = store.read(table, List.of(key(0), key(1), key(2)), fgs(0, 1));

    assertThat(result.isPresent(0, 0)).isFalse();
    assertThat(result.isPresent(0, 1)).isFalse();
    assertBlock(result, 1, 0, TestBlocks.block(key(1), FEATURE_GROUPS.get(0).id(), 1, 20));
    assertThat(result.isPresent(1, 1)).as("unwritten feature group of a written entity").isFalse();
    assertThat(result.block(1, 1)).isNull();
    assertThat(result.isPresent(2, 0)).isFalse();
    assertThat(result.presentCount()).isEqualTo(1);
  }

  @Test
  void holdsManyFeatureGroupsPerEntityWrittenSeparately() {
    EntityKey key = key(0);
    for (int f = 0; f < FEATURE_GROUPS.size(); f++) {
      writeVersion(List.of(key), 10 + f, 30 + 17 * f, f);
    }

    ReadResult all = store.read(table, List.of(key), FEATURE_GROUPS);
    for (int f = 0; f < FEATURE_GROUPS.size(); f++) {
      assertBlock(all, 0, f, TestBlocks.block(key, FEATURE_GROUPS.get(f).id(), 10 + f, 30 + 17 * f));
    }
    // A subset in another order comes back in request order.
    ReadResult subset = store.read(table, List.of(key), fgs(4, 1));
    assertBlock(subset, 0, 0, TestBlocks.block(key, FEATURE_GROUPS.get(4).id(), 14, 30 + 17 * 4));
    assertBlock(subset, 0, 1, TestBlocks.block(key, FEATURE_GROUPS.get(1).id(), 11, 30 + 17));
  }

  @Test
  void readsAndWritesThousandKeyBatches() {
    List<EntityKey> keys = keys(1000);
    writeVersion(keys, 3, 24, 0, 3);
    List<EntityKey> request = new ArrayList<>(keys);
    request.add(key(5)); // duplicates are answered too
    request.add(key(100_000)); // never written

    List<ReadResult> parts = new ArrayList<>();
    int max = store.capabilities().maxBatchSize();
    for (int from = 0; from < request.size(); from += max) {
      parts.add(store.read(table, request.subList(from, Math.min(request.size(), from + max)), fgs(0, 3)));
    }

    int k = 0;
    for (ReadResult part : parts) {
      for (int i = 0; i < part.keyCount(); i++, k++) {
        EntityKey key = request.get(k);
        assertThat(part.keys().get(i)).isEqualTo(key);
        if (k == request.size() - 1) {
          assertThat(part.isPresent(i, 0)).isFalse();
          assertThat(part.isPresent(i, 1)).isFalse();
        } else {
          assertBlock(part, i, 0, TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 3, 24));
          assertBlock(part, i, 1, TestBlocks.block(key, FEATURE_GROUPS.get(3).id(), 3, 24));
        }
      }
    }
    assertThat(k).isEqualTo(1002);
  }

  @Test
  void expiredBlocksReadAsMissingWhileLongerLivedSiblingsStay() throws InterruptedException {
    EntityKey key = key(0);
    long now = nowEpochSecond();
    long expiry = now + 2;
    ByteRange shortLived = TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 1, 16, expiry, now);
    ByteRange forever = TestBlocks.block(key, FEATURE_GROUPS.get(1).id(), 1, 16);
    ByteRange alsoShort = TestBlocks.block(key(1), FEATURE_GROUPS.get(0).id(), 1, 16, expiry, now);
    store.write(table, fgs(0, 1), List.of(StoreRow.of(key, shortLived, forever)));
    store.write(table, fgs(0), List.of(StoreRow.of(key(1), alsoShort)));

    ReadResult before = store.read(table, List.of(key, key(1)), fgs(0, 1));
    assertBlock(before, 0, 0, shortLived);
    assertBlock(before, 0, 1, forever);
    assertBlock(before, 1, 0, alsoShort);

    advancePast(expiry);
    ReadResult after = awaitMissing(List.of(key, key(1)), fgs(0, 1), 0, 0);
    assertThat(after.isPresent(1, 0)).isFalse();
    assertBlock(after, 0, 1, forever);
  }

  @Test
  void expiryFollowsTheClockTheStoreWasGiven() {
    // Ten days behind the system clock: by system time the block below expired long ago.
    TestingClock clock = new TestingClock(Instant.now().minus(Duration.ofDays(10)));
    try (OnlineStore clocked = createStore(clock)) {
      EntityKey key = key(0);
      long now = clock.instant().getEpochSecond();
      long expiry = now + 3600;
      ByteRange block = TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 1, 16, expiry, now);
      clocked.write(table, fgs(0), List.of(StoreRow.of(key, block)));

      assertBlock(clocked.read(table, List.of(key), fgs(0)), 0, 0, block);

      clock.set(Instant.ofEpochSecond(expiry + 2));
      assertThat(clocked.read(table, List.of(key), fgs(0)).isPresent(0, 0)).isFalse();
    }
  }

  /** Polls until cell (k, f) reads as missing, within {@link #expiryWait()}. */
  protected ReadResult awaitMissing(List<EntityKey> keys, List<StoreFeatureGroup> groups, int k, int f)
      throws InterruptedException {
    long deadline = System.nanoTime() + expiryWait().toNanos();
    while (true) {
      ReadResult result = store.read(table, keys, groups);
      if (!result.isPresent(k, f)) {
        return result;
      }
      assertThat(System.nanoTime()).as("block expired within %s", expiryWait()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void overwriteReplacesOnlyTheFeatureGroupsWritten() {
    EntityKey key = key(0);
    writeVersion(List.of(key), 1, 150, 0, 1); // spans several columns
    writeVersion(List.of(key), 2, 12, 0); // shorter: no stale tail may survive

    ReadResult result = store.read(table, List.of(key), fgs(0, 1));

    assertBlock(result, 0, 0, TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 2, 12));
    assertBlock(result, 0, 1, TestBlocks.block(key, FEATURE_GROUPS.get(1).id(), 1, 150));
  }

  @Test
  void valuesAndKeysAreBinarySafe() {
    EntityKey odd = EntityKey.of("ключ ü " + run, "a b\tc\n");
    ByteRange block = TestBlocks.binaryBlock(new byte[] {0, 0, '\r', '\n', (byte) 0xFF, 0, '"', '\\'});
    byte[] shared = new byte[block.length() + 10];
    System.arraycopy(block.array(), 0, shared, 5, block.length());
    ByteRange sliced = new ByteRange(shared, 5, block.length()); // writes honour offsets

    store.write(table, fgs(2), List.of(StoreRow.of(odd, sliced)));
    ReadResult result = store.read(table, List.of(odd, EntityKey.of("ключ ü " + run, "a b\tc")), fgs(2));

    assertBlock(result, 0, 0, block);
    assertThat(result.isPresent(1, 0)).isFalse();
  }

  @Test
  void concurrentWritersOfDifferentFeatureGroupsAllSurvive() throws Exception {
    List<EntityKey> keys = keys(20);
    int writers = FEATURE_GROUPS.size();
    int rounds = 30;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int f = w;
        done.add(pool.submit(() -> {
          start.await();
          for (int v = 1; v <= rounds; v++) {
            writeVersion(keys, v, 20 + f, f);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> d : done) {
        d.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    ReadResult result = store.read(table, keys, FEATURE_GROUPS);
    for (int k = 0; k < keys.size(); k++) {
      for (int f = 0; f < writers; f++) {
        assertBlock(result, k, f, TestBlocks.block(keys.get(k), FEATURE_GROUPS.get(f).id(), rounds, 20 + f));
      }
    }
  }

  @Test
  void multiFeatureGroupWritesAreSeenWholeWhenDeclaredAtomic() throws Exception {
    EntityKey key = key(0);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> torn = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      while (!stop.get() && torn.get() == null) {
        ReadResult r = store.read(table, List.of(key), fgs(0, 1));
        if (r.isPresent(0, 0) && r.isPresent(0, 1)) {
          int a = TestBlocks.version(r.block(0, 0));
          int b = TestBlocks.version(r.block(0, 1));
          if (a != b) {
            torn.set("read versions " + a + " and " + b);
          }
        } else if (r.isPresent(0, 0) || r.isPresent(0, 1)) {
          torn.set("read one block without the other");
        }
      }
    });
    reader.start();
    try {
      for (int v = 1; v <= 200; v++) {
        writeVersion(List.of(key), v, 30, 0, 1);
      }
    } finally {
      stop.set(true);
      reader.join(10_000);
    }
    if (store.capabilities().atomicMultiFeatureGroupWrite()) {
      assertThat(torn.get()).as("torn multi-feature-group write").isNull();
    }
    ReadResult last = store.read(table, List.of(key), fgs(0, 1));
    assertThat(TestBlocks.version(last.block(0, 0))).isEqualTo(200);
    assertThat(TestBlocks.version(last.block(0, 1))).isEqualTo(200);
  }

  @Test
  void deleteRemovesEveryFeatureGroupOfTheEntity() {
    List<EntityKey> keys = keys(3);
    writeVersion(keys, 1, 20, 0, 1, 2);

    store.delete(table, List.of(key(0), key(2), key(99)));

    ReadResult result = store.read(table, keys, fgs(0, 1, 2));
    for (int f = 0; f < 3; f++) {
      assertThat(result.isPresent(0, f)).isFalse();
      assertThat(result.isPresent(2, f)).isFalse();
      assertBlock(result, 1, f, TestBlocks.block(key(1), FEATURE_GROUPS.get(f).id(), 1, 20));
    }
  }

  @Test
  void asyncVariantsMatchTheBlockingOnes() throws Exception {
    List<EntityKey> keys = keys(4);
    List<StoreRow> rows = new ArrayList<>();
    for (EntityKey key : keys) {
      rows.add(StoreRow.of(key, TestBlocks.block(key, FEATURE_GROUPS.get(1).id(), 5, 33)));
    }
    store.writeAsync(table, fgs(1), rows).toCompletableFuture().get(30, TimeUnit.SECONDS);

    ReadResult result = store.readAsync(table, keys, fgs(1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    for (int k = 0; k < keys.size(); k++) {
      assertBlock(result, k, 0, TestBlocks.block(keys.get(k), FEATURE_GROUPS.get(1).id(), 5, 33));
    }

    store.deleteAsync(table, keys.subList(0, 2)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    ReadResult afterDelete = store.read(table, keys, fgs(1));
    assertThat(afterDelete.presentCount()).isEqualTo(2);
  }

  @Test
  void rejectsMalformedRequestsAsInvalid() {
    EntityKey shortKey = EntityKey.of("only-one-" + run);
    assertThatThrownBy(() -> store.read(table, List.of(shortKey), fgs(0)))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("only-one-");
    assertThatThrownBy(() -> store.write(table, fgs(0, 1), List.of(StoreRow.of(key(0), TestBlocks.block(key(0), 1, 1, 8)))))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("2 feature groups");

    int max = store.capabilities().maxBatchSize();
    List<EntityKey> tooMany = new ArrayList<>(max + 1);
    for (int i = 0; i <= max; i++) {
      tooMany.add(key(0));
    }
    assertThatThrownBy(() -> store.read(table, tooMany, fgs(0)))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("exceeds");
  }

  @Test
  void pingAnswersWhileTheStoreIsUp() {
    store.ping();
    store.ping();
  }

  @Test
  void emptyRequestsAreAnsweredEmpty() {
    assertThat(store.read(table, List.of(), fgs(0)).keyCount()).isZero();
    store.write(table, fgs(0), List.of());
    store.delete(table, List.of());
  }
  // ---------------------------------------------------------------- conditional writes

  /** A conditional row for {@code key} writing version {@code version} of each group, expecting {@code expected}. */
  protected static ConditionalRow conditional(
      EntityKey key, int version, int payload, List<StoreFeatureGroup> groups, List<@Nullable ByteRange> expected) {
    List<ByteRange> blocks = new ArrayList<>();
    for (StoreFeatureGroup g : groups) {
      blocks.add(TestBlocks.block(key, g.id(), version, payload));
    }
    return new ConditionalRow(new StoreRow(key, blocks), expected);
  }

  private static List<@Nullable ByteRange> none(int groups) {
    return java.util.Arrays.asList(new ByteRange[groups]);
  }

  /** Stores without conditional writes must refuse them plainly; the others run the test body. */
  private boolean conditionalWrites() {
    if (store.capabilities().conditionalWrite()) {
      return true;
    }
    assertThatThrownBy(() -> store.writeIfUnchanged(table, fgs(0), List.of(conditional(key(0), 1, 8, fgs(0), none(1)))))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_REJECTED));
    return false;
  }

  @Test
  void conditionalWriteAppliesWhileExpectationsHold() {
    if (!conditionalWrites()) {
      return;
    }
    EntityKey key = key(0);
    writeVersion(List.of(key), 1, 20, 2); // another group of the entity, kept throughout

    assertThat(store.writeIfUnchanged(table, fgs(0, 1), List.of(conditional(key, 1, 150, fgs(0, 1), none(2)))))
        .as("nothing stored, nothing expected").isEmpty();
    ReadResult first = store.read(table, List.of(key), fgs(0, 1));
    assertBlock(first, 0, 0, TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 1, 150));

    // Expect what read returned; a shorter block must not leave a tail of the longer one.
    List<@Nullable ByteRange> expected = java.util.Arrays.asList(first.block(0, 0), first.block(0, 1));
    assertThat(store.writeIfUnchanged(table, fgs(0, 1), List.of(conditional(key, 2, 12, fgs(0, 1), expected))))
        .isEmpty();

    ReadResult result = store.read(table, List.of(key), fgs(0, 1, 2));
    assertBlock(result, 0, 0, TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 2, 12));
    assertBlock(result, 0, 1, TestBlocks.block(key, FEATURE_GROUPS.get(1).id(), 2, 12));
    assertBlock(result, 0, 2, TestBlocks.block(key, FEATURE_GROUPS.get(2).id(), 1, 20));
  }

  @Test
  void conflictingRowIsNotWrittenAndReportsTheHeldBlocks() {
    if (!conditionalWrites()) {
      return;
    }
    EntityKey key = key(0);
    writeVersion(List.of(key), 1, 40, 0); // group 1 has no block
    ByteRange held = TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 1, 40);
    ByteRange stale = TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 7, 40);

    // Group 0 expected absent, but it is there.
    List<WriteConflict> absent = store.writeIfUnchanged(table, fgs(0, 1), List.of(conditional(key, 2, 30, fgs(0, 1), none(2))));
    // Group 0 expected another block of the same length; group 1 as expected.
    List<WriteConflict> other = store.writeIfUnchanged(table, fgs(0, 1),
        List.of(conditional(key, 3, 30, fgs(0, 1), java.util.Arrays.asList(stale, null))));
    // Group 0 as expected, group 1 expected present but absent: still nothing may be written.
    List<WriteConflict> partly = store.writeIfUnchanged(table, fgs(0, 1),
        List.of(conditional(key, 4, 30, fgs(0, 1), java.util.Arrays.asList(held, held))));

    for (List<WriteConflict> conflicts : List.of(absent, other, partly)) {
      assertThat(conflicts).hasSize(1);
      assertThat(conflicts.get(0).row()).isZero();
      assertThat(conflicts.get(0).current()).hasSize(2);
      assertThat(conflicts.get(0).current().get(0).toByteArray()).isEqualTo(held.toByteArray());
      assertThat(conflicts.get(0).current().get(1)).isNull();
    }
    ReadResult result = store.read(table, List.of(key), fgs(0, 1));
    assertBlock(result, 0, 0, held);
    assertThat(result.isPresent(0, 1)).isFalse();

    // The reported blocks are the expectation that succeeds.
    assertThat(store.writeIfUnchanged(table, fgs(0, 1), List.of(conditional(key, 5, 30, fgs(0, 1), partly.get(0).current()))))
        .isEmpty();
    assertBlock(store.read(table, List.of(key), fgs(0)), 0, 0, TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 5, 30));
  }

  @Test
  void conditionalRowsOfOneCallAreIndependent() {
    if (!conditionalWrites()) {
      return;
    }
    List<EntityKey> keys = keys(3);
    writeVersion(List.of(keys.get(1)), 1, 24, 3);

    List<WriteConflict> conflicts = store.writeIfUnchanged(table, fgs(3), List.of(
        conditional(keys.get(0), 2, 24, fgs(3), none(1)),
        conditional(keys.get(1), 2, 24, fgs(3), none(1)),
        conditional(keys.get(2), 2, 24, fgs(3), none(1))));

    assertThat(conflicts).extracting(WriteConflict::row).containsExactly(1);
    ReadResult result = store.read(table, keys, fgs(3));
    int id = FEATURE_GROUPS.get(3).id();
    assertBlock(result, 0, 0, TestBlocks.block(keys.get(0), id, 2, 24));
    assertBlock(result, 1, 0, TestBlocks.block(keys.get(1), id, 1, 24));
    assertBlock(result, 2, 0, TestBlocks.block(keys.get(2), id, 2, 24));
  }

  @Test
  void expiredBlockIsHeldUntilReplacedByExpectingIt() throws InterruptedException {
    if (!conditionalWrites()) {
      return;
    }
    EntityKey key = key(0);
    long now = nowEpochSecond();
    ByteRange shortLived = TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 1, 16, now + 2, now);
    ByteRange forever = TestBlocks.block(key, FEATURE_GROUPS.get(1).id(), 1, 16);
    store.write(table, fgs(0, 1), List.of(StoreRow.of(key, shortLived, forever)));
    advancePast(now + 2);
    awaitMissing(List.of(key), fgs(0), 0, 0);

    // Read says missing; the store may still hold the expired bytes (and then reports them) or not.
    List<WriteConflict> conflicts = store.writeIfUnchanged(table, fgs(0), List.of(conditional(key, 2, 16, fgs(0), none(1))));
    if (!conflicts.isEmpty()) {
      assertThat(conflicts.get(0).current().get(0).toByteArray()).isEqualTo(shortLived.toByteArray());
      assertThat(store.writeIfUnchanged(table, fgs(0), List.of(conditional(key, 2, 16, fgs(0), conflicts.get(0).current()))))
          .isEmpty();
    }
    ReadResult result = store.read(table, List.of(key), fgs(0, 1));
    assertBlock(result, 0, 0, TestBlocks.block(key, FEATURE_GROUPS.get(0).id(), 2, 16));
    assertBlock(result, 0, 1, forever);
  }

  @Test
  void concurrentReadModifyWriteLosesNoUpdate() throws Exception {
    if (!conditionalWrites()) {
      return;
    }
    List<EntityKey> keys = keys(3);
    int writers = 4;
    int increments = 25;
    List<StoreFeatureGroup> group = fgs(1);
    int id = group.get(0).id();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    AtomicInteger conflicts = new AtomicInteger();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < increments; i++) {
            // Each increment: read the counter (the block's version), write counter + 1 if unchanged.
            ReadResult read = store.read(table, keys, group);
            List<@Nullable ByteRange> held = new ArrayList<>();
            for (int k = 0; k < keys.size(); k++) {
              held.add(read.block(k, 0));
            }
            List<Integer> open = new ArrayList<>(List.of(0, 1, 2));
            while (!open.isEmpty()) {
              List<ConditionalRow> rows = new ArrayList<>();
              for (int k : open) {
                ByteRange current = held.get(k);
                int next = current == null ? 1 : TestBlocks.version(current) + 1;
                rows.add(conditional(keys.get(k), next, 12, group, java.util.Arrays.asList(current)));
              }
              List<Integer> retry = new ArrayList<>();
              for (WriteConflict c : store.writeIfUnchanged(table, group, rows)) {
                int k = open.get(c.row());
                held.set(k, c.current().get(0));
                retry.add(k);
                conflicts.incrementAndGet();
              }
              open = retry;
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> d : done) {
        d.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    ReadResult result = store.read(table, keys, group);
    for (int k = 0; k < keys.size(); k++) {
      assertBlock(result, k, 0, TestBlocks.block(keys.get(k), id, writers * increments, 12));
    }
  }

  @Test
  void conditionalWriteRejectsARepeatedKey() {
    if (!conditionalWrites()) {
      return;
    }
    assertThatThrownBy(() -> store.writeIfUnchanged(table, fgs(0), List.of(
            conditional(key(0), 1, 8, fgs(0), none(1)), conditional(key(0), 2, 8, fgs(0), none(1)))))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("appears twice");
    assertThat(store.read(table, List.of(key(0)), fgs(0)).isPresent(0, 0)).isFalse();
    assertThat(store.writeIfUnchanged(table, fgs(0), List.of())).isEmpty();
  }
}
