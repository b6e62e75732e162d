package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Who may persist through a launched server, and the demo's warning when it listens beyond loopback. */
class ServerAuthorizationTest {
  private static OnfsServer launch(String... settings) {
    Map<String, String> values = new HashMap<>(Map.of("demo", "true", "grpc-port", "0", "http-port", "0",
        "shutdown-grace", "1s"));
    for (int i = 0; i < settings.length; i += 2) {
      values.put(settings[i], settings[i + 1]);
    }
    return ServerLauncher.launch(ServerConfig.fromMap(values), new PrintWriter(new StringWriter()));
  }

  private static OnfsClient client(OnfsServer server, String caller, String token) {
    return OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext().credentials(caller, token)
        .maxRetries(0).build();
  }

  private static PersistQuery ctr(String key, double value) {
    return new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("user_stats", List.of("ctr", "orders_30d", "aov"))),
        List.of(new PersistQuery.Data(List.of(key), List.of(Values.fp32(value, 1, 2)))));
  }

  /** The reported issue: a reader could persist, the registry's writer could not. */
  @Test
  void persistingNeedsTheRegisteredWriterNotAReader() {
    try (OnfsServer server = launch();
        OnfsClient reader = client(server, "ranker", "rtok");
        OnfsClient writer = client(server, "user_daily_job", "jtok")) {
      assertThatThrownBy(() -> reader.persist(ctr("7", 0.5)))
          .isInstanceOf(OnfsException.class)
          .hasMessage("PERMISSION_DENIED: caller 'ranker' is not a registered writer; persisting needs a writer's"
              + " id and token (security writers)");
      assertThat(writer.persist(ctr("7", 0.5)).message()).isEqualTo("Data Persisted Successfully");
      // The writer's scopes list user_stats and user_embedding only.
      assertThatThrownBy(() -> writer.persist(new PersistQuery("user", List.of("user_id"),
          List.of(new PersistQuery.FeatureGroupSchema("user_flags", List.of("is_premium", "is_blocked"))),
          List.of(new PersistQuery.Data(List.of("7"), List.of(Values.bools(true, false)))))))
          .hasMessage("PERMISSION_DENIED: caller 'user_daily_job' may not write feature group 'user_flags' of entity"
              + " 'user' (scope feature-groups)");
      String metrics = server.meters().scrape();
      assertThat(metrics).contains("onfs_auth_denied_total{caller=\"ranker\",reason=\"not-a-writer\"} 1.0")
          .contains("onfs_auth_denied_total{caller=\"user_daily_job\",reason=\"scope-feature-groups\"} 1.0");
    }
  }

  @Test
  void theCompatibilitySwitchLetsReadersPersist() {
    try (OnfsServer server = launch("auth-readers-may-persist", "true");
        OnfsClient reader = client(server, "test", "test");
        OnfsClient stranger = client(server, "nobody", "rtok")) {
      assertThat(reader.persist(ctr("8", 0.25)).message()).isEqualTo("Data Persisted Successfully");
      assertThatThrownBy(() -> stranger.persist(ctr("8", 0.25))).hasMessage("UNAUTHENTICATED: Invalid auth token");
      assertThat(server.meters().scrape()).contains("onfs_auth_denied_total{caller=\"unknown\",reason=\"invalid-token\"} 1.0");
    }
  }

  @Test
  void demoWarnsWhenItListensBeyondLoopback() {
    List<LogRecord> records = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger(ServerLauncher.class.getName());
    logger.addHandler(handler);
    try {
      try (OnfsServer server = launch()) {
        assertThat(records).noneMatch(r -> r.getLevel() == Level.WARNING);
      }
      try (OnfsServer server = launch("bind-address", "0.0.0.0")) {
        assertThat(records).anySatisfy(r -> {
          assertThat(r.getLevel()).isEqualTo(Level.WARNING);
          assertThat(r.getMessage()).contains("demo mode listens on 0.0.0.0, beyond loopback");
        });
      }
    } finally {
      logger.removeHandler(handler);
    }
  }
}
