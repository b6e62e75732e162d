package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Key values that would collide or corrupt Redis keys are refused over gRPC: entity {@code order} with
 * keys {@code [shop_id, item_id]} stores both {@code ("a|b","c")} and {@code ("a","b|c")} under the one
 * Redis key {@code order:a|b|c}, so the second write silently replaced the first.
 */
class KeySafetyIT {
  private static RegistrySnapshot orders() {
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "redis", 0, "order_features", List.of("shop_id", "item_id"), 0))
        .entity(Entity.builder("order").key("shop_id", "shop_id").key("item_id", "item_id")
            .featureGroup(FeatureGroup.builder("prices").id(1).storeId("1").dataType(DataType.FP32).ttlInSeconds(3600)
                .activeVersion(1).layoutVersion(1).column("seg_1", 64)
                .version(FeatureVersion.builder(1).feature("price", new byte[4], 0, 0).build()).build())
            .build())
        .readerToken("test", "test")
        .writerToken("test", "test")
        .build();
  }

  private static PersistQuery price(String shop, String item, double price) {
    return new PersistQuery("order", List.of("shop_id", "item_id"),
        List.of(new PersistQuery.FeatureGroupSchema("prices", List.of("price"))),
        List.of(new PersistQuery.Data(List.of(shop, item), List.of(Values.fp32(price)))));
  }

  private static RetrieveQuery read(String shop, String item) {
    return new RetrieveQuery("order", List.of(new RetrieveQuery.FeatureGroup("prices", List.of("price"))),
        List.of("shop_id", "item_id"), List.of(RetrieveQuery.Keys.of(shop, item)));
  }

  private static void assertInvalid(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(OnfsException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(e.getMessage()).isEqualTo("INVALID_ARGUMENT: " + message);
    });
  }

  @Test
  void keysThatWouldShareARedisKeyOrCorruptOneAreRefused() {
    try (RedisServer redis = RedisServer.start()) {
      InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(orders());
      OnlineStore store = StoreFactories.create("redis", Map.of("nodes", redis.host() + ":" + redis.port()));
      OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build();
      ServerConfig config = ServerConfig.fromMap(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
          "http-port", "0", "shutdown-grace", "2s"));
      CallerTokens tokens = CallerTokens.of(registry);
      try (OnfsServer server = OnfsServer.start(config, features, Readiness.builder(registry).store("redis", store).build(), tokens,
               new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(features, store, registry));
           OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
               .credentials("test", "test").maxRetries(0).build()) {
        assertInvalid(() -> client.persist(price("a|b", "c", 1)),
            "data[0].keyValues: key column 'shop_id' contains the separator '|' (at index 1)");
        assertInvalid(() -> client.persist(price("a", "b|c", 2)),
            "data[0].keyValues: key column 'item_id' contains the separator '|' (at index 1)");
        assertInvalid(() -> client.retrieveDecoded(read("a|b", "c")),
            "keys[0].cols: key column 'shop_id' contains the separator '|' (at index 1)");

        // Keys that differ stay apart.
        client.persist(price("a", "bc", 1));
        client.persist(price("ab", "c", 2));
        assertThat(client.retrieveDecoded(read("a", "bc")).rows().get(0).columns()).containsExactly("1");
        assertThat(client.retrieveDecoded(read("ab", "c")).rows().get(0).columns()).containsExactly("2");

        assertInvalid(() -> client.persist(price("", "c", 1)), "data[0].keyValues: key column 'shop_id' is empty");
        assertInvalid(() -> client.persist(price("x".repeat(1_000_000), "c", 1)),
            "data[0].keyValues: key column 'shop_id' is longer than 1024 bytes (1000000 characters; option max-key-bytes)");
        assertInvalid(() -> client.persist(price("a\0", "c", 1)),
            "data[0].keyValues: key column 'shop_id' contains the control character U+0000 (at index 1)");
        assertInvalid(() -> client.persist(price("a", "c\n", 1)),
            "data[0].keyValues: key column 'item_id' contains the control character U+000A (at index 1)");
        assertInvalid(() -> client.retrieveDecoded(read("a", "")), "keys[0].cols: key column 'item_id' is empty");
      }
    }
  }
}
