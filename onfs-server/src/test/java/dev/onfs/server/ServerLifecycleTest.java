package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.grpc.CallerTokens;
import dev.onfs.server.health.Readiness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shutdown drains in-flight calls; unexpected exceptions become INTERNAL; request size is bounded. */
class ServerLifecycleTest {
  private static final RetrieveQuery QUERY = new RetrieveQuery("user",
      List.of(new RetrieveQuery.FeatureGroup("g", List.of("f"))), List.of("user_id"), List.of(RetrieveQuery.Keys.of("1")));

  private static OnfsServer start(ScriptedFeatureStore store, String... settings) {
    Map<String, String> values = new java.util.HashMap<>(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
        "http-port", "0", "shutdown-grace", "10s"));
    for (int i = 0; i < settings.length; i += 2) {
      values.put(settings[i], settings[i + 1]);
    }
    Readiness readiness = Readiness.builder(new InMemoryFeatureRegistry(TypedRegistry.snapshot()))
        .store("memory", InMemoryStore.create()).build();
    return OnfsServer.start(ServerConfig.fromMap(values), store, readiness, CallerTokens.of(Map.of("test", "test")),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of());
  }

  private static OnfsClient client(OnfsServer server) {
    return OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext().credentials("test", "test")
        .deadline(Duration.ofSeconds(20)).maxRetries(0).build();
  }

  @Test
  void shutdownWaitsForInFlightCallsAndReportsNotServing() throws Exception {
    ScriptedFeatureStore store = new ScriptedFeatureStore();
    OnfsServer server = start(store);
    int httpPort = server.httpPort();
    try (OnfsClient client = client(server)) {
      CompletableFuture<RetrieveResult> inFlight = client.retrieveAsync(QUERY);
      assertThat(store.started.await(10, TimeUnit.SECONDS)).isTrue();
      List<Integer> healthDuringDrain = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      // While draining, /health says 503 and the held call is still running.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (healthDuringDrain.isEmpty() && System.nanoTime() < deadline) {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 503) {
          healthDuringDrain.add(503);
        }
      }
      assertThat(healthDuringDrain).containsExactly(503);
      assertThat(AdminHttp.get(httpPort, "/health/live").statusCode()).isEqualTo(503);
      assertThat(AdminHttp.get(httpPort, "/health/ready").body()).contains("\"detail\":\"shutting down\"");
      assertThat(closing).isNotDone();
      assertThat(inFlight).isNotDone();

      store.pending.complete(ScriptedFeatureStore.empty(QUERY));
      assertThat(inFlight.get(10, TimeUnit.SECONDS).entityLabel()).isEqualTo("user");
      closing.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void ownNetworkThreadsServeCallsAndStopWithTheServer() throws Exception {
    ScriptedFeatureStore store = new ScriptedFeatureStore();
    store.pending.complete(ScriptedFeatureStore.empty(QUERY));
    OnfsServer server = start(store, "grpc-event-loop-threads", "3", "grpc-executor", "direct");
    try (OnfsClient client = client(server)) {
      assertThat(client.retrieve(QUERY).entityLabel()).isEqualTo("user");
      assertThat(onfsNetworkThreads()).isNotEmpty();
    }
    server.close();
    assertThat(onfsNetworkThreads()).isEmpty();
  }

  private static List<String> onfsNetworkThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.startsWith("onfs-grpc-")).toList();
  }

  @Test
  void unexpectedExceptionsBecomeInternal() {
    ScriptedFeatureStore store = new ScriptedFeatureStore();
    store.failWith = new IllegalStateException("boom");
    try (OnfsServer server = start(store); OnfsClient client = client(server)) {
      assertThatThrownBy(() -> client.retrieve(QUERY)).isInstanceOfSatisfying(OnfsException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.getMessage()).isEqualTo("INTERNAL: internal error: IllegalStateException: boom");
      });
    }
  }

  @Test
  void requestsOverTheInboundLimitAreRejected() {
    ScriptedFeatureStore store = new ScriptedFeatureStore();
    store.pending.complete(ScriptedFeatureStore.empty(QUERY));
    try (OnfsServer server = start(store, "max-inbound-message-size", "1024");
         OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
             .credentials("test", "test").batchSize(1000).maxRetries(0).build()) {
      assertThat(client.retrieve(QUERY).entityLabel()).isEqualTo("user");
      List<RetrieveQuery.Keys> many = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        many.add(RetrieveQuery.Keys.of("key-" + i));
      }
      RetrieveQuery big = new RetrieveQuery("user", QUERY.featureGroups(), List.of("user_id"), many);
      assertThatThrownBy(() -> client.retrieve(big)).isInstanceOfSatisfying(OnfsException.class,
          e -> assertThat(e.getMessage()).startsWith("RESOURCE_EXHAUSTED"));
    }
  }
}
