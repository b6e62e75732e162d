package dev.onfs.benchmarks.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A load generator that alternates short slices of adapter reads and raw-client reads (same threads,
 * same connections warm) and reports the median of the per-round throughput ratios. On a shared,
 * noisy machine this cancels drift in background load that separate JMH runs pick up.
 * Arguments: [backend...]; system properties {@code rounds} (default 20), {@code sliceMillis} (250),
 * {@code threads} (4).
 */
public final class StorageInterleavedLoad {
  private StorageInterleavedLoad() {}

  public static void main(String[] args) throws Exception {
    List<String> backends = args.length > 0 ? List.of(args) : StorageMultiGetBenchmark.BACKENDS;
    int rounds = Integer.getInteger("rounds", 20);
    long slice = Long.getLong("sliceMillis", 250);
    int threads = Integer.getInteger("threads", 4);
    long warm = Long.getLong("warmMillis", 3_000);
    System.out.println("| backend | adapter ops/s (median) | raw client ops/s (median) | adapter / raw (median of "
        + rounds + " interleaved rounds) |");
    System.out.println("|---|---|---|---|");
    for (String backend : backends) {
      try (StorageFixture fixture = StorageMultiGetBenchmark.open(backend)) {
        // Warm both paths.
        for (int w = 0; w < 2; w++) {
          run(fixture::adapterRead, threads, warm);
          run(fixture::rawRead, threads, warm);
        }
        double[] ratios = new double[rounds];
        double[] adapter = new double[rounds];
        double[] raw = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          // Alternate which path goes first so neither always follows the other.
          if (r % 2 == 0) {
            adapter[r] = run(fixture::adapterRead, threads, slice);
            raw[r] = run(fixture::rawRead, threads, slice);
          } else {
            raw[r] = run(fixture::rawRead, threads, slice);
            adapter[r] = run(fixture::adapterRead, threads, slice);
          }
          ratios[r] = adapter[r] / raw[r];
        }
        System.out.printf("| %s | %.0f | %.0f | %.2f |%n", backend, median(adapter), median(raw), median(ratios));
      }
    }
  }

  /** Ops per second of {@code op} on {@code threads} threads for about {@code millis}. */
  static double run(LongSupplier op, int threads, long millis) throws InterruptedException {
    AtomicLong ops = new AtomicLong();
    AtomicLong sink = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    long[] deadline = new long[1];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        long n = 0;
        long s = 0;
        while (System.nanoTime() < deadline[0]) {
          s += op.getAsLong();
          n++;
        }
        ops.addAndGet(n);
        sink.addAndGet(s);
      });
      w.start();
      workers.add(w);
    }
    long begin = System.nanoTime();
    deadline[0] = begin + millis * 1_000_000L;
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    if (sink.get() == 42) {
      System.out.print("");
    }
    return ops.get() / seconds;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
