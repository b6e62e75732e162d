package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.testing.WorkedExample;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.testing.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * {@code distributed-cache.<id>.*} puts a distributed cache in front of the configured store: the worked
 * example's entity (distributed cache on, conf-id 2) is read through a second real Redis, and a persist
 * drops what it changed from it.
 */
class DistributedCacheWiringIT {
  @TempDir Path dir;

  @Test
  void theConfiguredCacheServesTheEntityAndPersistsDropWhatTheyChange() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, RegistryFiles.toYaml(WorkedExample.snapshot()));
    try (RedisServer database = RedisServer.start();
        RedisServer cache = RedisServer.start();
        RedisClient cacheClient = RedisClient.builder().hostAndPort(cache.host(), cache.port()).build()) {
      ServerConfig config = ServerConfig.fromMap(Map.of(
          "store", "redis",
          "store-settings.nodes", database.host() + ":" + database.port(),
          "registry-file", registry.toString(),
          "distributed-cache.2.nodes", cache.host() + ":" + cache.port()));
      try (Backends backends = Backends.open(config.backends(), "")) {
        OnlineFeatureStore features =
            OnlineFeatureStore.builder().registry(backends.registry()).store(backends.store()).build();
        features.persist(ctr("7", 0.5));
        assertThat(ctrOf(features, "7")).isEqualTo("0.5");
        assertThat(cacheClient.exists("{user:7}")).as("read through the cache").isTrue();

        features.persist(ctr("7", 0.75));
        assertThat(cacheClient.exists("{user:7}")).as("the persist dropped the cached value").isFalse();
        assertThat(ctrOf(features, "7")).isEqualTo("0.75");
        assertThat(cacheClient.exists("{user:7}")).isTrue();
      }
    }
  }

  @Test
  void theServerExportsTheCachesHitsMissesAndFailures() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, RegistryFiles.toYaml(
        WorkedExample.snapshot().toBuilder().readerToken("svc", "rtok").writerToken("job", "wtok").build()));
    try (RedisServer database = RedisServer.start(); RedisServer cache = RedisServer.start()) {
      ServerConfig config = ServerConfig.fromMap(Map.of(
          "grpc-port", "0", "http-port", "0", "shutdown-grace", "1s",
          "store", "redis",
          "store-settings.nodes", database.host() + ":" + database.port(),
          "registry-file", registry.toString(),
          "distributed-cache.2.nodes", cache.host() + ":" + cache.port()));
      try (OnfsServer server = ServerLauncher.launch(config, new PrintWriter(new StringWriter()));
          OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
              .credentials("svc", "rtok").build()) {
        try (OnfsClient writer = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
            .credentials("job", "wtok").build()) {
          writer.persist(ctr("7", 0.5));
        }
        client.retrieve(ctrQuery("7")); // a miss, read through
        client.retrieve(ctrQuery("7")); // a hit
        assertThat(scrape(server))
            .contains("onfs_distributed_cache_requests_total{result=\"hit\"} 1.0")
            .contains("onfs_distributed_cache_requests_total{result=\"miss\"} 1.0")
            .contains("onfs_distributed_cache_failures_total 0.0");

        cache.close(); // reads fall back to the database and count the failure
        client.retrieve(ctrQuery("7"));
        assertThat(scrape(server)).doesNotContain("onfs_distributed_cache_failures_total 0.0");
      }
    }
  }

  @Test
  void withoutACacheTheServerExportsNoCacheMeters() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, RegistryFiles.toYaml(WorkedExample.snapshot()));
    ServerConfig config = ServerConfig.fromMap(Map.of(
        "grpc-port", "0", "http-port", "0", "shutdown-grace", "1s", "registry-file", registry.toString()));
    try (OnfsServer server = ServerLauncher.launch(config, new PrintWriter(new StringWriter()))) {
      assertThat(scrape(server)).doesNotContain("onfs_distributed_cache");
    }
  }

  private static String scrape(OnfsServer server) throws Exception {
    return AdminHttp.get(server.httpPort(), "/metrics").body();
  }

  private static RetrieveQuery ctrQuery(String user) {
    return new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr"))),
        List.of("user_id"), List.of(RetrieveQuery.Keys.of(user)));
  }

  @Test
  void aCacheSettingWithoutANumericConfIdIsRefusedNamingIt() {
    ServerConfig config = ServerConfig.fromMap(Map.of(
        "registry-file", dir.resolve("none.yaml").toString(), "distributed-cache.main.nodes", "127.0.0.1:1"));
    assertThatThrownBy(() -> Backends.open(config.backends(), ""))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("option 'distributed-cache.main.nodes' must be distributed-cache.<conf-id>.<setting>");
  }

  private static PersistQuery ctr(String user, double value) {
    return new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("user_stats", List.of("ctr", "orders_30d"))),
        List.of(new PersistQuery.Data(List.of(user), List.of(Values.fp32(value, 3)))));
  }

  private static String ctrOf(OnlineFeatureStore features, String user) {
    DecodedResult result = features.retrieveDecoded(new RetrieveQuery("user",
        List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr"))),
        List.of("user_id"), List.of(RetrieveQuery.Keys.of(user))));
    return result.rows().get(0).columns().get(0);
  }
}
