package dev.onfs.benchmarks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.storage.redis.RedisLayout;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * A multi-get of 100 entities x 3 feature groups through each storage adapter, against the raw client
 * doing the same reads by hand (jedis MGET/pipeline, driver async statements) in the same run. Run with
 * {@code main}; prints adapter/raw throughput ratios per backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(1)
@Threads(4)
public class StorageMultiGetBenchmark {
  /** Every backend {@link #open} knows; the {@code @Param} list below names the same (the test checks). */
  static final List<String> BACKENDS = List.of("redis-csdb", "redis-hash", "redis-cluster", "cassandra");

  @Param({"redis-csdb", "redis-hash", "redis-cluster", "cassandra"})
  public String backend;

  private StorageFixture fixture;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = open(backend);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    fixture.close();
  }

  @Benchmark
  public long adapter() {
    return fixture.adapterRead();
  }

  @Benchmark
  public long rawClient() {
    return fixture.rawRead();
  }

  static StorageFixture open(String backend) {
    return switch (backend) {
      case "redis-csdb" -> new RedisStorageFixture(RedisLayout.CSDB, false);
      case "redis-hash" -> new RedisStorageFixture(RedisLayout.HASH, false);
      case "redis-cluster" -> new RedisStorageFixture(RedisLayout.CSDB, true);
      case "cassandra" -> new CassandraStorageFixture();
      default -> throw new IllegalArgumentException("unknown backend " + backend);
    };
  }

  /**
   * Runs both paths per backend, one backend after the other so that each ratio compares
   * measurements taken close together in time (the machine may be shared). Arguments: backends to
   * run (default all).
   */
  public static void main(String[] args) throws RunnerException {
    List<String> backends = args.length > 0 ? List.of(args) : BACKENDS;
    Map<String, double[]> byBackend = new LinkedHashMap<>();
    for (String backend : backends) {
      Collection<RunResult> results = new Runner(new OptionsBuilder()
          .include(StorageMultiGetBenchmark.class.getName() + "\\.")
          .param("backend", backend)
          .build()).run();
      for (RunResult r : results) {
        double[] pair = byBackend.computeIfAbsent(backend, k -> new double[2]);
        pair[r.getParams().getBenchmark().endsWith("adapter") ? 0 : 1] = r.getPrimaryResult().getScore();
      }
    }
    System.out.println("| backend | adapter ops/s | raw client ops/s | adapter / raw |");
    System.out.println("|---|---|---|---|");
    byBackend.forEach((b, pair) ->
        System.out.printf("| %s | %.0f | %.0f | %.2f |%n", b, pair[0], pair[1], pair[0] / pair[1]));
  }

  /** Runs each read once per backend and checks both paths see the same blocks. */
  @Test
  void bothPathsReadEveryBlockOnce() throws NoSuchFieldException {
    assertThat(StorageMultiGetBenchmark.class.getField("backend").getAnnotation(Param.class).value())
        .containsExactlyElementsOf(BACKENDS);
    for (String b : BACKENDS) {
      try (StorageFixture f = open(b)) {
        assertThat(f.adapterRead()).as(b + " adapter").isEqualTo(StorageFixture.expectedBytes());
        assertThat(f.rawRead()).as(b + " raw").isEqualTo(StorageFixture.expectedBytes());
      }
    }
  }
}
