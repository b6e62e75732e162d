package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.ErrorKind;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.types.DataType;
import dev.onfs.grpc.CallerTokens;
import dev.onfs.server.health.Readiness;
import dev.onfs.testing.RedisServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Serving over gRPC against a real Redis: every data type, and UNAVAILABLE while Redis is down. */
class RedisServingIT {

  @Test
  void everyDataTypeRoundTripsAndAStoreOutageIsUnavailable() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(TypedRegistry.snapshot());
      OnlineStore store = StoreFactories.create("redis", Map.of("nodes", redis.host() + ":" + redis.port(),
          "connect-timeout-ms", "500", "socket-timeout-ms", "500", "pool-max-wait-ms", "500"));
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build();
      ServerConfig config = ServerConfig.fromMap(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
          "http-port", "0", "shutdown-grace", "2s"));
      CallerTokens tokens = CallerTokens.of(registry);
      try (OnfsServer server = OnfsServer.start(config, features, Readiness.builder(registry).store("redis", store).build(),
               tokens, meters, List.of(features, store, registry));
           OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
               .credentials("test", "test").maxRetries(1).retryBackoff(Duration.ofMillis(10)).build()) {
        List<PersistQuery.FeatureGroupSchema> schema = new ArrayList<>();
        List<Values> values = new ArrayList<>();
        List<RetrieveQuery.FeatureGroup> groups = new ArrayList<>();
        for (DataType type : TypedRegistry.types()) {
          schema.add(new PersistQuery.FeatureGroupSchema(TypedRegistry.label(type), List.of("a", "b")));
          groups.add(new RetrieveQuery.FeatureGroup(TypedRegistry.label(type), List.of("a", "b")));
          values.add(TypedRegistry.values(type));
        }
        client.persist(new PersistQuery("user", List.of("user_id"), schema,
            List.of(new PersistQuery.Data(List.of("1"), values), new PersistQuery.Data(List.of("2"), values))));

        RetrieveQuery query = new RetrieveQuery("user", groups, List.of("user_id"),
            List.of(RetrieveQuery.Keys.of("2"), RetrieveQuery.Keys.of("1")));
        DecodedResult decoded = client.retrieveDecoded(query);
        List<String> expected = new ArrayList<>();
        for (DataType type : TypedRegistry.types()) {
          expected.addAll(TypedRegistry.text(type));
        }
        assertThat(decoded.rows()).hasSize(2);
        assertThat(decoded.rows()).allSatisfy(row -> assertThat(row.columns()).isEqualTo(expected));

        redis.stop();
        assertThatThrownBy(() -> client.retrieve(query)).isInstanceOfSatisfying(OnfsException.class, e -> {
          assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.UNAVAILABLE);
          assertThat(e.getMessage()).startsWith("UNAVAILABLE");
        });
        redis.restart();
        assertThat(client.retrieveDecoded(query).rows()).hasSize(2);
      }
    }
  }
}
