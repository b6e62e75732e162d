package dev.onfs.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.onfs.controlplane.request.CacheSpec;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.request.CreateEntity;
import dev.onfs.controlplane.request.CreateFeatureGroup;
import dev.onfs.controlplane.request.FeatureSpec;
import dev.onfs.controlplane.request.KeySpec;
import dev.onfs.controlplane.request.RegisterJob;
import dev.onfs.controlplane.request.RegisterStore;
import dev.onfs.controlplane.request.RequestStatus;
import dev.onfs.controlplane.storage.DirectoryKeyValueStore;
import dev.onfs.controlplane.tokens.Pbkdf2TokenHasher;
import dev.onfs.controlplane.users.PasswordHasher;
import dev.onfs.controlplane.users.Role;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.storage.scylla.ScyllaStore;
import dev.onfs.storage.scylla.ScyllaStoreConfig;
import dev.onfs.testing.CassandraServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals on a Scylla store against a real Cassandra: tables and columns exist before the store or
 * feature group is published, and a crash between the DDL and the publishing transaction is completed
 * by approving again.
 */
class ScyllaSchemaApprovalIT {
  private static final char[] PASSWORD = "a-long-password".toCharArray();

  @TempDir
  Path dir;

  private final String keyspace = "cp_it_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
  private ScyllaStore scylla;
  private CqlSession cql;
  private DirectoryKeyValueStore directory;
  private InterceptingStore kv;

  @BeforeEach
  void setUp() {
    CassandraServer server = CassandraServer.shared();
    InetSocketAddress point = server.contactPoint();
    scylla = ScyllaStore.create(ScyllaStoreConfig.builder()
        .contactPoint(point.getHostString(), point.getPort())
        .localDatacenter(server.localDatacenter())
        .requestTimeout(Duration.ofSeconds(20))
        .connectTimeout(Duration.ofSeconds(5))
        .build());
    scylla.schema().createKeyspace(keyspace, 1);
    cql = CqlSession.builder().addContactPoint(point).withLocalDatacenter(server.localDatacenter()).build();
    directory = DirectoryKeyValueStore.open(dir);
    kv = new InterceptingStore(directory);
  }

  @AfterEach
  void tearDown() {
    cql.close();
    scylla.close();
    directory.close();
  }

  private ControlPlane controlPlane() {
    return ControlPlane.builder()
        .keyValueStore(kv)
        .storeConnection(StoreConnection.withSchema(1, "scylla", scylla.schemaManager().orElseThrow(), keyspace))
        .sessionSecret("a session secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8))
        .tokenHasher(new Pbkdf2TokenHasher(Pbkdf2TokenHasher.MIN_ITERATIONS))
        .passwordHasher(new PasswordHasher(8 * 1024, 1))
        .build();
  }

  private Set<String> columns(String table) {
    Set<String> columns = new TreeSet<>();
    for (Row row : cql.execute("SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?",
        keyspace, table)) {
      columns.add(row.getString("column_name"));
    }
    return columns;
  }

  /** Store, writer and entity approved; returns the sessions of the editor and the approving admin. */
  private String[] prepare(ControlPlane cp) {
    cp.bootstrapAdmin("root", "s3cure-bootstrap-1".toCharArray());
    String root = cp.login("root", "s3cure-bootstrap-1".toCharArray(), null).token();
    cp.createUser(root, "ada", Role.ADMIN, PASSWORD);
    cp.createUser(root, "ed", Role.EDITOR, PASSWORD);
    String ada = cp.login("ada", PASSWORD, null).token();
    String ed = cp.login("ed", PASSWORD, null).token();
    ChangeRequest store = cp.submit(root, new RegisterStore("scylla", 1, "user_features", List.of("user_id"), 3600));
    cp.approve(ada, store.id(), null);
    cp.approve(ada, cp.submit(root, new RegisterJob("user_daily_job")).id(), null);
    cp.approve(ada, cp.submit(ed, new CreateEntity("user", List.of(new KeySpec("user_id", "user_id")),
        CacheSpec.DISABLED, CacheSpec.DISABLED)).id(), null);
    return new String[] {ed, ada};
  }

  @Test
  void tablesAndColumnsExistWhenTheStoreAndGroupArePublished() {
    try (ControlPlane cp = controlPlane()) {
      String[] sessions = prepare(cp);
      assertThat(columns("user_features")).containsExactly("user_id");
      Row ttl = cql.execute("SELECT default_time_to_live FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
          keyspace, "user_features").one();
      assertThat(ttl.getInt("default_time_to_live")).isEqualTo(3600);

      ChangeRequest group = cp.submit(sessions[0], new CreateFeatureGroup("user", "user_stats", "FP32", "1", 0,
          "user_daily_job", false, false, 1, List.of(FeatureSpec.of("ctr", "0"), FeatureSpec.of("orders", "0"))));
      cp.approve(sessions[1], group.id(), null);
      assertThat(columns("user_features")).containsExactly("seg_0", "user_id");
    }
  }

  @Test
  void aCrashBetweenTheDdlAndThePublicationIsCompletedByApprovingAgain() {
    List<FeatureSpec> wide = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      wide.add(FeatureSpec.of("f" + i, "0"));
    }
    long id;
    try (ControlPlane cp = controlPlane()) {
      String[] sessions = prepare(cp);
      // 9 + 200 x 8 bytes: two columns.
      id = cp.submit(sessions[0], new CreateFeatureGroup("user", "wide", "FP64", "1", 0, "user_daily_job", false, false,
          1, wide)).id();
      kv.beforeNextCommit(() -> {
        throw new IllegalStateException("simulated crash before the transaction");
      });
      assertThatThrownBy(() -> cp.approve(sessions[1], id, null)).hasMessageContaining("simulated crash");
    }
    // The DDL ran, nothing was published.
    assertThat(columns("user_features")).containsExactly("seg_0", "seg_1", "user_id");

    try (ControlPlane restarted = controlPlane()) {
      String ada = restarted.login("ada", PASSWORD, null).token();
      assertThat(restarted.request(ada, id).status()).isEqualTo(RequestStatus.PENDING);
      assertThat(restarted.registry(ada).featureGroup("user", "wide")).isNull();

      assertThat(restarted.approve(ada, id, null).request().status()).isEqualTo(RequestStatus.APPROVED);
      FeatureGroup wideGroup = restarted.registry(ada).featureGroup("user", "wide");
      assertThat(wideGroup.columnLabels()).containsExactly("seg_0", "seg_1");
      assertThat(columns("user_features")).containsExactly("seg_0", "seg_1", "user_id");
    }
  }
}
