package dev.onfs.benchmarks.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the load generator against a real Redis: briefly by default (a sanity run in the build), for
 * as long as {@code -Donfs.load.seconds} says when measuring.
 */
class GrpcServingLoadIT {
  @Test
  void loadGeneratorRunsEveryPhaseAndReportsRatios() throws Exception {
    GrpcServingLoad.Settings settings = new GrpcServingLoad.Settings(
        Integer.getInteger("onfs.load.clients", 2), Integer.getInteger("onfs.load.seconds", 1),
        Integer.getInteger("onfs.load.warmup", 1), Integer.getInteger("onfs.load.users", 1000), 100);
    // The server on network threads of its own, so that its CPU is reported apart from the clients'.
    if (System.getProperty("onfs.load.eventLoops") == null) {
      System.setProperty("onfs.load.eventLoops", "2");
    }
    List<String> report = GrpcServingLoad.run(settings);
    report.forEach(System.out::println);
    assertThat(report).hasSize(19);
    assertThat(report.get(1)).startsWith("onfs gRPC retrieve").doesNotContain(" 0 req/s")
        .doesNotContain(" 0 us in server threads").doesNotContain(" 0.0 KB in server threads")
        .doesNotContain("redis commands per request: 0.00");
    assertThat(report.get(2)).startsWith("onfs gRPC near cache").doesNotContain(" 0 req/s");
    assertThat(report.get(5)).startsWith("raw jedis MGET").doesNotContain(" 0 us in redis-server");
    assertThat(report.get(7)).startsWith("onfs gRPC at ").doesNotContain(" 0 req/s");
    assertThat(report.get(8)).startsWith("onfs gRPC / raw MGET: throughput x");
    assertThat(report.get(14)).startsWith("onfs server threads per gRPC retrieve / redis-server per raw MGET: CPU x");
    assertThat(report.get(15)).startsWith("onfs client per gRPC retrieve");
    assertThat(report.get(16)).startsWith("redis-server per gRPC retrieve / per raw MGET: CPU x");
    assertThat(report.get(17)).startsWith("onfs gRPC retrieve: server threads allocate ").doesNotContain(" 0.0 KB");
    assertThat(report.get(18)).startsWith("onfs gRPC near cache: server threads allocate ");
  }
}
