package dev.onfs.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistryListener;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.quarantine.Quarantines;
import dev.onfs.core.registry.testing.WorkedExample;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.testing.EtcdServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The etcd registry against a real etcd, starting from the reference's worked example tree. */
class EtcdFeatureRegistryIT {
  private static final AtomicInteger APPS = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private EtcdServer etcd;
  private Client client;
  private String app;

  @BeforeEach
  void setUp() {
    etcd = EtcdServer.shared();
    client = Client.builder().endpoints(etcd.endpoint()).build();
    // Each test works under its own app name, so tests never see each other's keys.
    app = "onfs" + APPS.incrementAndGet() + "_" + ProcessHandle.current().pid();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private EtcdRegistryConfig config(EtcdServer server) {
    return EtcdRegistryConfig.builder(server.endpoint()).appName(app).settleDelay(Duration.ofMillis(50)).build();
  }

  private void put(Client c, Map<String, String> keys) throws Exception {
    for (Map.Entry<String, String> e : keys.entrySet()) {
      // One plain PUT per key, the way the reference's control plane writes.
      c.getKVClient().put(bytes(e.getKey().replace("/config/onfs", "/config/" + app)), bytes(e.getValue()))
          .get(10, TimeUnit.SECONDS);
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static RegistrySnapshot awaitSnapshot(EtcdFeatureRegistry registry, Predicate<RegistrySnapshot> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.test(registry.snapshot())) {
      assertThat(System.nanoTime()).as("condition not met within " + WAIT + "; last " + registry.snapshot())
          .isLessThan(deadline);
      Thread.sleep(20);
    }
    return registry.snapshot();
  }

  /** Collects rejections. */
  private static final class Rejections implements RegistryListener {
    final BlockingQueue<OnfsException> errors = new LinkedBlockingQueue<>();

    @Override
    public void onChange(RegistrySnapshot previous, RegistrySnapshot current) {}

    @Override
    public void onRejected(OnfsException error) {
      errors.add(error);
    }
  }

  @Test
  void loadsTheWorkedExampleTreeVerbatim() throws Exception {
    put(client, WorkedExampleTree.load());
    try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(config(etcd))) {
      assertThat(registry.snapshot()).isEqualTo(WorkedExample.snapshot());
      assertThat(registry.snapshot().revision()).isPositive();
      assertThat(registry.featureGroup("user", 1).activeFeatures().vectorLengths()).containsExactly(8);
      assertThat(registry.reader("ranker").token()).isEqualTo("rtok");
    }
  }

  @Test
  void addedFeatureVersionTakesEffectWithoutRestart() throws Exception {
    put(client, WorkedExampleTree.load());
    try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(config(etcd))) {
      assertThat(registry.featureGroup("user", "user_stats").activeVersion()).isEqualTo(1);
      put(client, WorkedExampleTree.followUp1());
      RegistrySnapshot after = awaitSnapshot(registry, s -> s.featureGroup("user", "user_stats").activeVersion() == 2);
      assertThat(after).isEqualTo(WorkedExample.afterAddingAov());
      FeatureVersion v2 = after.featureGroup("user", "user_stats").activeFeatures();
      assertThat(v2.indexOf("aov")).isEqualTo(2);
      assertThat(after.featureGroup("user", "user_stats").version(1).labels()).containsExactly("ctr", "orders_30d");
    }
  }

  @Test
  void survivesAnEtcdRestartMidWatch() throws Exception {
    try (EtcdServer own = EtcdServer.start();
        Client ownClient = Client.builder().endpoints(own.endpoint()).build()) {
      put(ownClient, WorkedExampleTree.load());
      try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(config(own))) {
        own.restart();
        put(ownClient, WorkedExampleTree.followUp1());
        awaitSnapshot(registry, s -> s.featureGroup("user", "user_stats").activeVersion() == 2);
        assertThat(registry.snapshot()).isEqualTo(WorkedExample.afterAddingAov());

        own.stop();
        own.restart();
        put(ownClient, Map.of("/config/onfs/security/reader/late", "{\"token\":\"ltok\"}"));
        awaitSnapshot(registry, s -> s.reader("late") != null && "ltok".equals(s.reader("late").token()));
      }
    }
  }

  /** A feature group {@code prices} (id 2) whose one feature has the given label. */
  private static Map<String, String> pricesGroup(String featureLabel) {
    String p = "/config/onfs/entities/user/feature-groups/prices";
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    keys.put(p + "/id", "2");
    keys.put(p + "/store-id", "1");
    keys.put(p + "/data-type", "DataTypeFP32");
    keys.put(p + "/ttl-in-seconds", "0");
    keys.put(p + "/active-version", "1");
    keys.put(p + "/layout-version", "1");
    keys.put(p + "/columns/seg_2/label", "seg_2");
    keys.put(p + "/columns/seg_2/current-size-in-bytes", "13");
    keys.put(p + "/features/1/labels", featureLabel);
    keys.put(p + "/features/1/feature-meta", "{\"" + featureLabel
        + "\":{\"sequence\":0,\"default-value\":\"AAAAAA==\",\"string-length\":0,\"vector-length\":0}}");
    return keys;
  }

  @Test
  void aFeatureGroupWithABadLabelIsQuarantinedWhileOtherChangesKeepApplying() throws Exception {
    put(client, WorkedExampleTree.load());
    put(client, pricesGroup("avg price"));
    Rejections rejections = new Rejections();
    try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(config(etcd))) {
      registry.addListener(rejections);
      // Opens, serves the good groups, and reports the bad one with the key and the reason.
      assertThat(registry.featureGroup("user", "user_stats")).isEqualTo(WorkedExample.userStats());
      assertThat(registry.featureGroup("user", "prices")).isNull();
      assertThat(registry.quarantined()).containsOnlyKeys("user/prices");
      assertThat(registry.quarantined().get("user/prices")).isEqualTo("/config/" + app
          + "/entities/user/feature-groups/prices/features/1/feature-meta: feature label 'avg price' contains a"
          + " whitespace or control character (U+0020) (labels may not contain ',', '|', '/' or whitespace)");

      // A later change to a good group applies while the bad one is still bad.
      put(client, WorkedExampleTree.followUp1());
      RegistrySnapshot after = awaitSnapshot(registry, s -> s.featureGroup("user", "user_stats").activeVersion() == 2);
      assertThat(after.featureGroup("user", "user_stats")).isEqualTo(WorkedExample.afterAddingAov()
          .featureGroup("user", "user_stats"));
      assertThat(after.quarantined()).containsOnlyKeys("user/prices");

      // Fixing the bad group (one key at a time) brings it back.
      put(client, pricesGroup("avg_price"));
      RegistrySnapshot fixed = awaitSnapshot(registry, s -> s.quarantined().isEmpty());
      assertThat(fixed.featureGroup("user", "prices").activeFeatures().labels()).containsExactly("avg_price");
      assertThat(fixed.featureGroup("user", "user_stats").activeVersion()).isEqualTo(2);
      assertThat(rejections.errors).as("nothing was rejected whole").isEmpty();
    }
  }

  @Test
  void aBadValueQuarantinesItsGroupWhichKeepsItsLastGoodDefinitionUntilFixed() throws Exception {
    put(client, WorkedExampleTree.load());
    Rejections rejections = new Rejections();
    String ttlKey = "/config/onfs/entities/user/feature-groups/user_stats/ttl-in-seconds";
    try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(config(etcd))) {
      registry.addListener(rejections);
      FeatureGroup good = registry.featureGroup("user", "user_stats");
      put(client, Map.of(ttlKey, "a day"));
      RegistrySnapshot bad = awaitSnapshot(registry, s -> !s.quarantined().isEmpty());
      assertThat(bad.quarantined()).containsOnlyKeys("user/user_stats");
      assertThat(bad.quarantined().get("user/user_stats")).isEqualTo(ttlKey.replace("/config/onfs", "/config/" + app)
          + ": 'a day' is not an integer" + Quarantines.SERVING_LAST_GOOD);
      assertThat(bad.featureGroup("user", "user_stats")).isEqualTo(good);

      put(client, Map.of(ttlKey, "3600"));
      awaitSnapshot(registry, s -> s.featureGroup("user", "user_stats").ttlInSeconds() == 3600 && s.quarantined().isEmpty());
      assertThat(rejections.errors).isEmpty();
    }
    // At start a bad group has no last good definition: it is left out and the rest serves.
    put(client, Map.of("/config/onfs/entities/user/feature-groups/user_stats/data-type", "DataTypeFloat"));
    try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(config(etcd))) {
      assertThat(registry.featureGroup("user", "user_stats")).isNull();
      assertThat(registry.featureGroup("user", "user_embedding")).isEqualTo(WorkedExample.userEmbedding());
      assertThat(registry.quarantined().get("user/user_stats"))
          .isEqualTo("/config/" + app + "/entities/user/feature-groups/user_stats/data-type: unknown data type 'DataTypeFloat'");
    }
  }

  @Test
  void aChangeInvalidAsAWholeIsRejectedLoggedAndTheLastGoodSnapshotStays() throws Exception {
    put(client, WorkedExampleTree.load());
    Rejections rejections = new Rejections();
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        if (record.getLevel() == java.util.logging.Level.WARNING && record.getMessage().contains("/config/" + app + ":")) {
          warnings.add(record.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(EtcdFeatureRegistry.class.getName());
    logger.addHandler(handler);
    try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(config(etcd))) {
      registry.addListener(rejections);
      RegistrySnapshot good = registry.snapshot();
      String storeKey = "/config/onfs/storage/stores/1";
      put(client, Map.of(storeKey, "{not json"));
      OnfsException error = rejections.errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(error).isNotNull();
      assertThat(error).hasMessageStartingWith("/config/" + app + "/storage/stores/1: is not valid JSON");
      assertThat(registry.snapshot()).isSameAs(good);
      assertThat(warnings).singleElement().asString()
          .contains("registry /config/" + app + ": change at revision")
          .contains("rejected, keeping the last good snapshot: /config/" + app + "/storage/stores/1");
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void fileToEtcdRoundTripEqualsTheFileSnapshot() throws Exception {
    RegistrySnapshot file = RegistryFiles.load(Path.of("..", "examples", "registry", "demo-registry.yaml"));
    try (EtcdRegistryClient writer = EtcdRegistryClient.connect(config(etcd))) {
      EtcdRegistryClient.ApplyResult first = writer.apply(file);
      assertThat(first.keysWritten()).isEqualTo(EtcdKeyTree.keys(app, file).size());
      assertThat(writer.read()).isEqualTo(file);
      assertThat(writer.apply(file).keysWritten()).as("a second apply changes nothing").isZero();

      try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(config(etcd))) {
        assertThat(registry.snapshot()).isEqualTo(file);

        // A feature-group change lands in one transaction: every changed key has the same revision.
        FeatureGroup stats = file.featureGroup("user", "user_stats");
        FeatureGroup v3 = stats.toBuilder()
            .version(FeatureVersion.builder(3).feature("orders_30d", new byte[4]).feature("aov", new byte[4]).build())
            .activeVersion(3)
            .ttlInSeconds(7200)
            .build();
        EtcdRegistryClient.ApplyResult change = writer.apply("user", v3);
        assertThat(change.transactions()).isEqualTo(1);
        assertThat(change.keysWritten()).isEqualTo(5); // labels, default-values, feature-meta, active-version, ttl
        String prefix = EtcdKeyTree.featureGroupPath(app, "user", "user_stats");
        List<KeyValue> kvs = client.getKVClient().get(bytes(prefix + "/"), GetOption.builder().isPrefix(true).build())
            .get(10, TimeUnit.SECONDS).getKvs();
        Set<Long> revisions = new HashSet<>();
        for (KeyValue kv : kvs) {
          String key = kv.getKey().toString(StandardCharsets.UTF_8);
          if (key.contains("/features/3/") || key.endsWith("/active-version") || key.endsWith("/ttl-in-seconds")) {
            revisions.add(kv.getModRevision());
          }
        }
        assertThat(revisions).containsExactly(change.revision());
        awaitSnapshot(registry, s -> s.featureGroup("user", "user_stats").activeVersion() == 3);
        assertThat(registry.featureGroup("user", "user_stats")).isEqualTo(v3);
      }
    }
  }

  @Test
  void writesThatWouldBreakTheTreeAreRefused() throws Exception {
    put(client, WorkedExampleTree.load());
    try (EtcdRegistryClient writer = EtcdRegistryClient.connect(config(etcd))) {
      FeatureGroup clash = WorkedExample.userStats().toBuilder().id(1).build();
      // user_embedding already has id 1: the write is refused before anything is written.
      assertThatThrownBy(() -> writer.apply("user", clash))
          .hasMessageContaining("have the same id 1");
      assertThat(writer.read()).isEqualTo(WorkedExample.snapshot());
    }
  }

  @Test
  void aGroupAlreadyInvalidInTheTreeDoesNotBlockWritesToOthers() throws Exception {
    put(client, WorkedExampleTree.load());
    put(client, pricesGroup("avg price"));
    try (EtcdRegistryClient writer = EtcdRegistryClient.connect(config(etcd))) {
      writer.apply("user", WorkedExample.userStats().toBuilder().ttlInSeconds(7200).build());
      try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(config(etcd))) {
        assertThat(registry.featureGroup("user", "user_stats").ttlInSeconds()).isEqualTo(7200);
        assertThat(registry.quarantined()).containsOnlyKeys("user/prices");
      }
      // A write that breaks another definition is still refused.
      FeatureGroup clash = WorkedExample.userStats().toBuilder().id(1).build();
      assertThatThrownBy(() -> writer.apply("user", clash)).hasMessageContaining("have the same id 1");
    }
  }

  @Test
  void aGroupWriteComputedFromAStaleReadIsRejectedWhole() throws Exception {
    put(client, WorkedExampleTree.load());
    try (EtcdRegistryClient writer = EtcdRegistryClient.connect(config(etcd))) {
      EtcdConnections.Tree stale = EtcdConnections.readTree(client, config(etcd));
      String prefix = EtcdKeyTree.featureGroupPath(app, "user", "user_stats");
      // Someone else changes one key of the group after our read.
      client.getKVClient().put(bytes(prefix + "/ttl-in-seconds"), bytes("60")).get(10, TimeUnit.SECONDS);
      Map<String, String> change = Map.of(prefix + "/ttl-in-seconds", "7200", prefix + "/job-id", "other_job");
      assertThat(writer.commit(change, stale).isSucceeded()).isFalse();
      RegistrySnapshot now = writer.read();
      assertThat(now.featureGroup("user", "user_stats").ttlInSeconds()).isEqualTo(60);
      assertThat(now.featureGroup("user", "user_stats").jobId()).as("nothing of the group landed").isEqualTo("user_daily_job");

      // apply() recomputes from a fresh read and succeeds.
      writer.apply("user", now.featureGroup("user", "user_stats").toBuilder().ttlInSeconds(7200).build());
      assertThat(writer.read().featureGroup("user", "user_stats").ttlInSeconds()).isEqualTo(7200);
    }
  }
}
