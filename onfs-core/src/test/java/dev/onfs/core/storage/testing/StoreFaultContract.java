package dev.onfs.core.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Fault behaviour of stores that talk to a server the test controls: implemented by the integration
 * tests of remote adapters next to {@link OnlineStoreContractTest}. Configure the store with short
 * timeouts so a stopped server is noticed in seconds.
 */
public interface StoreFaultContract {
  /** The store under test (the one the contract suite opened). */
  OnlineStore faultStore();

  /** The table the store writes to. */
  StoreTable faultTable();

  /** Stops the server; the store must keep existing. */
  void stopServer();

  /** Starts the server again on the same address. */
  void restartServer();

  /** How long the store may take to work again after the server is back. */
  default Duration recoveryWait() {
    return Duration.ofSeconds(60);
  }

  @Test
  default void serverStoppedMidBatchFailsTransientlyAndLeavesNoPartialBlocks() throws Exception {
    OnlineStore store = faultStore();
    StoreTable table = faultTable();
    List<StoreFeatureGroup> groups = List.of(
        OnlineStoreContractTest.FEATURE_GROUPS.get(0), OnlineStoreContractTest.FEATURE_GROUPS.get(1));
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<EntityKey> keys = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      keys.add(EntityKey.of("fault-" + run + "-" + i, "in"));
    }
    write(store, table, groups, keys, 1);
    assertThat(store.read(table, keys.subList(0, 100), groups).presentCount()).isEqualTo(200);

    AtomicInteger attempted = new AtomicInteger(1);
    AtomicReference<Throwable> writerError = new AtomicReference<>();
    CountDownLatch oneRoundDone = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      try {
        for (int v = 2; v < 1_000_000; v++) {
          attempted.set(v);
          write(store, table, groups, keys, v);
          oneRoundDone.countDown();
        }
      } catch (Throwable t) {
        writerError.set(t);
      } finally {
        oneRoundDone.countDown();
      }
    });
    writer.start();
    assertThat(oneRoundDone.await(60, TimeUnit.SECONDS)).isTrue();
    stopServer();
    try {
      writer.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(writer.isAlive()).as("writer noticed the stopped server").isFalse();
      assertThat(writerError.get())
          .as("writer failure")
          .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.isTransient()).as(e.toString()).isTrue());
      assertThatThrownBy(() -> store.read(table, keys.subList(0, 100), groups))
          .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.isTransient()).as(e.toString()).isTrue());
      assertThatThrownBy(store::ping)
          .as("ping of a stopped server")
          .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.isTransient()).as(e.toString()).isTrue());
    } finally {
      restartServer();
    }

    ReadResult after = awaitRecovery(store, table, keys, groups);
    store.ping();
    int maxVersion = attempted.get();
    for (int k = 0; k < keys.size(); k++) {
      for (int f = 0; f < groups.size(); f++) {
        ByteRange block = after.block(k, f);
        if (block == null) {
          continue; // a server without persistence may lose data; it must not invent any
        }
        int version = TestBlocks.version(block);
        assertThat(version).as("version of key %s", k).isBetween(1, maxVersion);
        assertThat(block.toByteArray())
            .as("key %s feature group %s is a whole block of version %s", k, f, version)
            .isEqualTo(TestBlocks.block(keys.get(k), groups.get(f).id(), version, 40).toByteArray());
      }
    }
    write(store, table, groups, keys.subList(0, 10), maxVersion + 1);
    ReadResult again = store.read(table, keys.subList(0, 10), groups);
    for (int k = 0; k < 10; k++) {
      assertThat(TestBlocks.version(again.block(k, 0))).isEqualTo(maxVersion + 1);
    }
  }

  private ReadResult awaitRecovery(
      OnlineStore store, StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> groups)
      throws InterruptedException {
    long deadline = System.nanoTime() + recoveryWait().toNanos();
    while (true) {
      try {
        return store.read(table, keys, groups);
      } catch (OnfsException e) {
        assertThat(e.isTransient()).as(e.toString()).isTrue();
        assertThat(System.nanoTime()).as("store recovered within %s: %s", recoveryWait(), e).isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  private static void write(
      OnlineStore store, StoreTable table, List<StoreFeatureGroup> groups, List<EntityKey> keys, int version) {
    List<StoreRow> rows = new ArrayList<>();
    for (EntityKey key : keys) {
      rows.add(StoreRow.of(
          key,
          TestBlocks.block(key, groups.get(0).id(), version, 40),
          TestBlocks.block(key, groups.get(1).id(), version, 40)));
      if (rows.size() == 100) {
        store.write(table, groups, rows);
        rows = new ArrayList<>();
      }
    }
    if (!rows.isEmpty()) {
      store.write(table, groups, rows);
    }
  }
}
