package dev.onfs.controlplane.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.controlplane.storage.KeyValueStore.Condition;
import dev.onfs.controlplane.storage.KeyValueStore.Entry;
import dev.onfs.controlplane.storage.KeyValueStore.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link KeyValueStore} guarantees; run against the directory store and real etcd.
 * Subclasses give a store and a prefix no other test uses.
 */
abstract class KeyValueStoreContract {
  abstract KeyValueStore store();

  /** Keys of one test start with this (etcd is shared between tests). */
  abstract String prefix();

  private String key(String name) {
    return prefix() + name;
  }

  @Test
  void putsGetAndRevisions() {
    KeyValueStore kv = store();
    long first = kv.commit(List.of(Condition.absent(key("a"))), List.of(new Write.Put(key("a"), "1")));
    assertThat(first).isPositive();
    Entry a = kv.get(key("a"));
    assertThat(a).isEqualTo(new Entry(key("a"), "1", first, first));

    long second = kv.commit(List.of(new Condition(key("a"), first)), List.of(new Write.Put(key("a"), "2")));
    assertThat(second).isGreaterThan(first);
    assertThat(kv.get(key("a"))).isEqualTo(new Entry(key("a"), "2", first, second));
  }

  @Test
  void aFailedConditionWritesNothing() {
    KeyValueStore kv = store();
    long rev = kv.commit(List.of(), List.of(new Write.Put(key("x"), "1")));
    long failed = kv.commit(List.of(Condition.absent(key("y")), new Condition(key("x"), rev - 1)),
        List.of(new Write.Put(key("x"), "2"), new Write.Put(key("y"), "2")));
    assertThat(failed).isEqualTo(-1);
    assertThat(kv.get(key("x")).value()).isEqualTo("1");
    assertThat(kv.get(key("y"))).isNull();
    assertThat(kv.commit(List.of(Condition.absent(key("x"))), List.of(new Write.Put(key("z"), "1")))).isEqualTo(-1);
    assertThat(kv.get(key("z"))).isNull();
  }

  @Test
  void deletesAndRanges() {
    KeyValueStore kv = store();
    kv.commit(List.of(), List.of(new Write.Put(key("r/1"), "a"), new Write.Put(key("r/2"), "b"),
        new Write.Put(key("r2/1"), "c"), new Write.Put(key("s"), "d")));
    assertThat(kv.range(key("r/")).entries().keySet()).containsExactly(key("r/1"), key("r/2"));
    long rev = kv.commit(List.of(), List.of(new Write.Delete(key("r/1"))));
    KeyValueStore.Range range = kv.range(key("r/"));
    assertThat(range.entries().keySet()).containsExactly(key("r/2"));
    assertThat(range.revision()).isGreaterThanOrEqualTo(rev);
    assertThat(kv.get(key("r/1"))).isNull();
    // A deleted key is absent again for conditions.
    assertThat(kv.commit(List.of(Condition.absent(key("r/1"))), List.of(new Write.Put(key("r/1"), "again")))).isPositive();
  }

  @Test
  void compareAndSetUnderContentionLosesNoUpdate() throws Exception {
    KeyValueStore kv = store();
    String counter = key("counter");
    int threads = 4;
    int increments = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          int conflicts = 0;
          for (int i = 0; i < increments; ) {
            Entry now = kv.get(counter);
            long value = now == null ? 0 : Long.parseLong(now.value());
            if (kv.commit(List.of(new Condition(counter, now == null ? 0 : now.modRevision())),
                List.of(new Write.Put(counter, Long.toString(value + 1)))) > 0) {
              i++;
            } else {
              conflicts++;
            }
          }
          return conflicts;
        }));
      }
      for (Future<Integer> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(kv.get(counter).value()).isEqualTo(Integer.toString(threads * increments));
  }
}
