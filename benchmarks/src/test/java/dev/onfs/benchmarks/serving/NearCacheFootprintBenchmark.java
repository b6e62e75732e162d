package dev.onfs.benchmarks.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.storage.memory.InMemoryStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Heap that the near cache really holds per cached entity key, for sizing {@code near-cache-bytes}:
 * the retained heap after caching {@code n} keys (after full collections), divided by {@code n}. Same entity as
 * {@link RetrieveBenchmark}: FP32 x 10, INT64 x 5 and one FP16 vector of 32 per key.
 *
 * <p>Run: {@code java -Xmx4g -cp <benchmarks test classpath> dev.onfs.benchmarks.serving.NearCacheFootprintBenchmark
 * [keys]}. Not a JMH benchmark: it measures space, not time.
 */
public final class NearCacheFootprintBenchmark {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  /** Bytes of heap per cached key, measured after full collections. */
  record Footprint(int keys, long heapBytesPerKey) {}

  /** The cells' own bytes per key: 10 x 4 (FP32) + 5 x 8 (INT64) + 32 x 2 (FP16). */
  static final int PAYLOAD_BYTES_PER_KEY = 144;

  static Footprint measure(int keys) throws InterruptedException {
    RetrieveBenchmark fixture = new RetrieveBenchmark();
    fixture.setup(keys);
    // A cache far larger than the keys, so nothing is evicted while it fills.
    try (OnlineFeatureStore cached = OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(RetrieveBenchmarkEntity.registry()))
        .store(fixture.store)
        .nearCache(16L << 30)
        .build()) {
      long before = retainedHeap();
      for (int from = 0; from < keys; from += RetrieveBenchmark.IDS_PER_QUERY) {
        cached.retrieve(fixture.queryFor(from, Math.min(keys, from + RetrieveBenchmark.IDS_PER_QUERY)));
      }
      long after = retainedHeap();
      return new Footprint(keys, (after - before) / keys);
    }
  }

  private static long retainedHeap() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Footprint f = measure(keys);
    System.out.printf("%,d keys cached: %,d bytes of heap per key (%,d bytes of cell payload)%n",
        f.keys(), f.heapBytesPerKey(), PAYLOAD_BYTES_PER_KEY);
  }

  @Test
  void everyCachedKeyHoldsAtLeastItsCells() throws Exception {
    // 20,000 keys retain megabytes, far above what the collector leaves behind between readings.
    assertThat(measure(20_000).heapBytesPerKey()).isGreaterThan(PAYLOAD_BYTES_PER_KEY);
  }
}
