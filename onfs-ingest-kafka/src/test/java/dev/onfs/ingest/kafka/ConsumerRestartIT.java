package dev.onfs.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A consumer process killed without closing (kill -9) is replaced by its restart at once: with the
 * default settings the restart has the same static group instance id, so it takes the partitions
 * back instead of waiting for the dead member's session to time out (45 s by Kafka's default).
 */
class ConsumerRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int PARTITIONS = 3;
  private static final int ENTITIES = 30;

  /** The settings the killed process and its restart both use: defaults, except where to read. */
  static ConsumerSettings settings(String bootstrap, String topic, String group) {
    return ConsumerSettings.builder()
        .bootstrapServers(bootstrap)
        .topic(topic)
        .groupId(group)
        .pollTimeout(Duration.ofMillis(100))
        .build();
  }

  private static void push(String bootstrap, String topic, int version) {
    try (FeaturePusher pusher = FeaturePusher.builder()
        .bootstrapServers(bootstrap).topic(topic).catalog(TestSchemas.CATALOG).maxRowsPerQuery(1).build()) {
      for (int id = 0; id < ENTITIES; id++) {
        pusher.push(IngestData.row(id, version));
      }
    }
  }

  /** True when the group has committed every partition of the topic up to its end. */
  private static boolean committedToEnd(Admin admin, String topic, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    var ends = admin.listOffsets(latest).all().get();
    for (var end : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(end.getKey());
      if (c == null || c.offset() < end.getValue().offset()) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aKilledConsumerIsReplacedByItsRestartWithinSeconds() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = "restart-" + ProcessHandle.current().pid();
    String group = "restart-group-" + ProcessHandle.current().pid();
    kafka.createTopic(topic, PARTITIONS);
    ConsumerSettings settings = settings(kafka.bootstrapServers(), topic, group);

    Path log = Path.of("target", "restarted-consumer-" + ProcessHandle.current().pid() + ".log");
    Files.createDirectories(log.getParent());
    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"),
            RestartedConsumerMain.class.getName(), kafka.bootstrapServers(), topic, group)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(adminProps)) {
      push(kafka.bootstrapServers(), topic, 0);
      IngestData.awaitUntil(WAIT, "the first consumer owns every partition and committed them", () -> {
        try {
          return committedToEnd(admin, topic, group);
        } catch (Exception e) {
          return false;
        }
      });
    } finally {
      // kill -9: no LeaveGroup, no commit, no close.
      child.destroyForcibly().waitFor();
    }
    String childOutput = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(childOutput).as("the killed process used the same static instance id")
        .contains("instance " + settings.groupInstanceId().orElseThrow());

    AtomicInteger rows = new AtomicInteger();
    IngestStats counting = new IngestStats() {
      @Override
      public void recordsStored(int count, int storedRows) {
        rows.addAndGet(storedRows);
      }
    };
    MemorySink sink = new MemorySink();
    long started = System.nanoTime();
    try (FeatureConsumer restarted = FeatureConsumer.create(settings, TestSchemas.CATALOG, sink, counting)) {
      Thread thread = new Thread(restarted, "restarted-consumer");
      thread.start();
      push(kafka.bootstrapServers(), topic, 1);
      IngestData.awaitUntil(WAIT, "the restart consumed the new records of every partition",
          () -> rows.get() >= ENTITIES);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      restarted.close();
      thread.join(30_000);
      System.out.println("restarted consumer stored the new records " + took.toMillis() + " ms after it started");
      // Generous for a loaded machine; without static membership this takes the old session's 45 s.
      assertThat(took).as("time from the restart to the new records stored").isLessThan(Duration.ofSeconds(20));
    }
    assertThat(rows.get()).as("nothing before the kill was read again").isEqualTo(ENTITIES);
    assertThat(sink.get("user", "u7", "counts")).isNotNull();
  }
}
