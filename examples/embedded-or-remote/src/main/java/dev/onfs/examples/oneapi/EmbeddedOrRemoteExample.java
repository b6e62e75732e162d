package dev.onfs.examples.oneapi;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.registry.DefaultValues;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.types.DataType;
import dev.onfs.grpc.CallerTokens;
import dev.onfs.server.OnfsServer;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.health.Readiness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link UserFeatures#writeAndRead} twice: on an embedded store, then through {@link OnfsClient}
 * against an onfs server on a loopback port, each with its own empty in-memory store and the same
 * registry. Both print the same lines.
 */
public final class EmbeddedOrRemoteExample {
  static final String CALLER = "example";
  static final String TOKEN = "example-token";

  private EmbeddedOrRemoteExample() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the code both ways, printing what each run found to {@code out}. */
  public static void run(PrintStream out) {
    out.println("embedded:");
    embedded().forEach(line -> out.println("  " + line));
    out.println("over gRPC:");
    remote().forEach(line -> out.println("  " + line));
  }

  static List<String> embedded() {
    try (OnlineFeatureStore onfs = OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(registry()))
        .store(InMemoryStore.create())
        .build()) {
      return UserFeatures.writeAndRead(onfs);
    }
  }

  static List<String> remote() {
    try (OnfsServer server = startServer();
        OnlineFeatureStore onfs = OnfsClient.builder()
            .target("127.0.0.1:" + server.grpcPort())
            .plaintext()
            .credentials(CALLER, TOKEN)
            .build()) {
      return UserFeatures.writeAndRead(onfs);
    }
  }

  /** What {@code onfs serve} runs, started in this process on free loopback ports. */
  private static OnfsServer startServer() {
    FeatureRegistry registry = new InMemoryFeatureRegistry(registry());
    InMemoryStore store = InMemoryStore.create();
    OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build();
    ServerConfig config = ServerConfig.fromMap(Map.of(
        "bind-address", "127.0.0.1", "grpc-port", "0", "http-port", "0", "shutdown-grace", "1s"));
    return OnfsServer.start(config, features, Readiness.builder(registry).store("memory", store).build(),
        CallerTokens.of(registry), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        List.of(features, store, registry));
  }

  /** Entity {@code user} with one feature group per data type the example reads, and its caller. */
  static RegistrySnapshot registry() {
    Entity.Builder user = Entity.builder("user").key("user_id", "user_id");
    user.featureGroup(group("user_stats", 0, DataType.FP32, "ctr", DefaultValues.encode(DataType.FP32, "0", 0, 0), 0, 0));
    user.featureGroup(group("user_orders", 1, DataType.INT64, "orders_30d",
        DefaultValues.encode(DataType.INT64, "0", 0, 0), 0, 0));
    user.featureGroup(group("user_profile", 2, DataType.STRING, "city",
        DefaultValues.encode(DataType.STRING, "unknown", 32, 0), 32, 0));
    user.featureGroup(group("user_flags", 3, DataType.BOOL, "is_premium",
        DefaultValues.encode(DataType.BOOL, "false", 0, 0), 0, 0));
    user.featureGroup(group("user_embedding", 4, DataType.FP16_VECTOR, "emb", new byte[8], 0, 4));
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "memory", 0, "user_features", List.of("user_id"), 0))
        .entity(user.build())
        .readerToken(CALLER, TOKEN)
        .writerToken(CALLER, TOKEN)
        .build();
  }

  private static FeatureGroup group(String label, int id, DataType type, String feature, byte[] defaultValue,
      int stringLength, int vectorLength) {
    return FeatureGroup.builder(label)
        .id(id)
        .storeId("1")
        .dataType(type)
        .ttlInSeconds(86_400)
        .activeVersion(1)
        .column("seg_" + id, 17)
        .version(FeatureVersion.builder(1).feature(feature, defaultValue, stringLength, vectorLength).build())
        .build();
  }
}
