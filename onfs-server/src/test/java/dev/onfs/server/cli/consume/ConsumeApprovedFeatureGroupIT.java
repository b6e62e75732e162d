package dev.onfs.server.cli.consume;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.controlplane.ControlPlane;
import dev.onfs.controlplane.request.CreateFeatureGroup;
import dev.onfs.controlplane.request.FeatureSpec;
import dev.onfs.controlplane.users.Role;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.registry.etcd.EtcdFeatureRegistry;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import dev.onfs.server.OnfsCommand;
import dev.onfs.server.StoreFactories;
import dev.onfs.testing.EtcdServer;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The ingestion side of a governed change: {@code onfs consume --registry etcd} is already running
 * when an editor's new feature group is approved through the control plane, and it stores that
 * group's rows from Kafka without a restart (real etcd, Kafka and Redis).
 */
class ConsumeApprovedFeatureGroupIT {
  private static final String DEMO = Path.of("..", "examples", "registry", "demo-registry.yaml").toString();
  private static final String PASSWORD = "a-long-password-1";

  @TempDir Path dir;

  @Test
  void aRunningConsumerStoresRowsOfAGroupApprovedAfterItStarted() throws Exception {
    String etcd = EtcdServer.shared().endpoint();
    KafkaBroker kafka = KafkaBroker.shared();
    RedisServer redis = RedisServer.shared();
    String app = "cpconsume" + ProcessHandle.current().pid();
    String topic = "approved-group-" + ProcessHandle.current().pid();
    kafka.createTopic(topic, 1);
    kafka.createTopic(topic + ".dlq", 1);
    assertThat(OnfsCommand.commandLine().execute("registry", "apply", "-f", DEMO, "--etcd", etcd, "--app", app))
        .isZero();

    Path config = dir.resolve("consume.yaml");
    Files.writeString(config, String.join("\n",
        "bootstrap-servers: " + kafka.bootstrapServers(),
        "topic: " + topic,
        "group-id: " + topic,
        "dlq-topic: " + topic + ".dlq",
        "store: redis",
        "store-settings:",
        "  mode: standalone",
        "  nodes: " + redis.host() + ":" + redis.port(),
        "registry: etcd",
        "etcd-endpoints: " + etcd,
        "app-name: " + app,
        "metrics-log-interval-s: 0",
        "http-port: 0",
        "session-timeout-ms: 6000",
        "kafka:",
        "  fetch.max.wait.ms: 100",
        ""));
    ConsumeCommand consume = new ConsumeCommand(DefaultBackends.INSTANCE, Map.of());
    AtomicInteger exit = new AtomicInteger(-1);
    Thread runner = new Thread(() -> exit.set(new CommandLine(consume).execute("--config", config.toString())));
    runner.start();
    try {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      EtcdRegistryConfig etcdConfig = EtcdRegistryConfig.builder(etcd).appName(app).build();
      try (ControlPlane cp = ControlPlane.builder().etcd(etcdConfig).sessionSecret(secret).build()) {
        cp.bootstrapAdmin("root", PASSWORD.toCharArray());
        String root = cp.login("root", PASSWORD.toCharArray(), null).token();
        cp.createUser(root, "ed", Role.EDITOR, PASSWORD.toCharArray());
        String ed = cp.login("ed", PASSWORD.toCharArray(), null).token();
        long id = cp.submit(ed, new CreateFeatureGroup("user", "user_clicks", "FP32", "1", 0, "user_daily_job", false,
            false, 1, List.of(FeatureSpec.of("clicks", "0")))).id();
        cp.approve(root, id, null);
      }

      // The approval is published; the consumer learns of it through its etcd watch, which delivers
      // it as quickly as it reaches this test's own watch. A row sent before that would be dead-lettered.
      try (EtcdFeatureRegistry watching = EtcdFeatureRegistry.start(EtcdRegistryConfig.builder(etcd).appName(app).build())) {
        long seen = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (watching.snapshot().featureGroup("user", "user_clicks") == null && System.nanoTime() < seen) {
          Thread.sleep(50);
        }
        assertThat(watching.snapshot().featureGroup("user", "user_clicks")).isNotNull();
      }
      Thread.sleep(1_000);
      PersistQuery row = new PersistQuery("user", List.of("user_id"),
          List.of(new PersistQuery.FeatureGroupSchema("user_clicks", List.of("clicks"))),
          List.of(new PersistQuery.Data(List.of("502"), List.of(Values.fp32(7)))));
      Properties producerProps = new Properties();
      producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(topic, "user".getBytes(UTF_8),
            ProtoMapping.toProto(row).toByteArray())).get();
      }

      RetrieveQuery query = new RetrieveQuery("user",
          List.of(new RetrieveQuery.FeatureGroup("user_clicks", List.of("clicks"))),
          List.of("user_id"), List.of(RetrieveQuery.Keys.of("502")));
      try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(EtcdRegistryConfig.builder(etcd).appName(app).build());
          OnlineStore store = StoreFactories.create("redis",
              Map.of("mode", "standalone", "nodes", redis.host() + ":" + redis.port()));
          OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build()) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> columns = List.of();
        while (System.nanoTime() < deadline) {
          columns = features.retrieveDecoded(query).rows().get(0).columns();
          if (columns.equals(List.of("7"))) {
            break;
          }
          Thread.sleep(100);
        }
        assertThat(columns).as("the consumer stored the approved group's row").containsExactly("7");
      }
      // By any reason: the counter is tagged with the rejecting error code.
      assertThat(consume.meters().find("onfs.ingest.records.dead_lettered").counters())
          .as("the row was not dead-lettered as an unknown group").isEmpty();
    } finally {
      consume.stop();
      runner.join(30_000);
    }
    assertThat(exit.get()).isZero();
  }
}
