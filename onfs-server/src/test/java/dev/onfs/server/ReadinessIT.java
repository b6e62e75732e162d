package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.grpc.CallerTokens;
import dev.onfs.server.health.Readiness;
import dev.onfs.testing.RedisServer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows a real Redis: a frozen (SIGSTOP) or stopped Redis makes {@code /health/ready} 503
 * and gRPC health NOT_SERVING within seconds, and both recover with it; liveness stays up throughout.
 */
class ReadinessIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void readinessAndGrpcHealthFollowTheStore() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(TypedRegistry.snapshot());
      OnlineStore store = StoreFactories.create("redis", Map.of("nodes", redis.host() + ":" + redis.port(),
          "connect-timeout-ms", "500", "socket-timeout-ms", "1000", "pool-max-wait-ms", "500"));
      OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build();
      ServerConfig config = ServerConfig.fromMap(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
          "http-port", "0", "shutdown-grace", "2s"));
      Readiness readiness = Readiness.builder(registry).store("redis", store).storeTimeout(Duration.ofMillis(250)).build();
      CallerTokens tokens = CallerTokens.of(registry);
      try (OnfsServer server = OnfsServer.start(config, features, readiness, tokens,
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(features, store, registry))) {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.grpcPort(),
            InsecureChannelCredentials.create()).build();
        try {
          var health = HealthGrpc.newBlockingStub(channel);
          Supplier<ServingStatus> overall = () -> health.withDeadlineAfter(5, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance()).getStatus();
          Supplier<ServingStatus> retrieve = () -> health.withDeadlineAfter(5, TimeUnit.SECONDS)
              .check(HealthCheckRequest.newBuilder().setService("retrieve.FeatureService").build()).getStatus();
          int port = server.httpPort();

          awaitReady(port, true);
          assertThat(overall.get()).isEqualTo(ServingStatus.SERVING);
          assertThat(retrieve.get()).isEqualTo(ServingStatus.SERVING);

          redis.pause();
          try {
            String body = awaitReady(port, false);
            assertThat(body).contains("{\"name\":\"store:redis\",\"state\":\"DOWN\"")
                .contains("{\"name\":\"registry\",\"state\":\"UP\"");
            awaitStatus(overall, ServingStatus.NOT_SERVING);
            awaitStatus(retrieve, ServingStatus.NOT_SERVING);
            assertThat(AdminHttp.get(port, "/health/live").statusCode()).isEqualTo(200);
          } finally {
            redis.resume();
          }
          awaitReady(port, true);
          awaitStatus(overall, ServingStatus.SERVING);
          awaitStatus(retrieve, ServingStatus.SERVING);

          redis.stop();
          assertThat(awaitReady(port, false)).contains("STORE_UNAVAILABLE");
          awaitStatus(overall, ServingStatus.NOT_SERVING);
          assertThat(AdminHttp.get(port, "/health/live").statusCode()).isEqualTo(200);
          redis.restart();
          awaitReady(port, true);
          awaitStatus(overall, ServingStatus.SERVING);
        } finally {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** Polls {@code /health/ready} until it says {@code ready}; returns that answer's body. */
  private static String awaitReady(int port, boolean ready) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    HttpResponse<String> last;
    do {
      last = AdminHttp.get(port, "/health/ready");
      assertThat(AdminHttp.get(port, "/health/live").statusCode()).as("liveness").isEqualTo(200);
      if ((last.statusCode() == 200) == ready) {
        assertThat(last.statusCode()).isEqualTo(ready ? 200 : 503);
        assertThat(last.body()).startsWith(ready ? "{\"status\":\"SERVING\"" : "{\"status\":\"NOT_SERVING\"");
        return last.body();
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("/health/ready did not become " + (ready ? "ready" : "unready") + " within " + WAIT
        + "; last answer " + last.statusCode() + " " + last.body());
  }

  private static void awaitStatus(Supplier<ServingStatus> status, ServingStatus expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    ServingStatus last;
    do {
      last = status.get();
      if (last == expected) {
        return;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("gRPC health did not become " + expected + " within " + WAIT + "; last " + last);
  }
}
