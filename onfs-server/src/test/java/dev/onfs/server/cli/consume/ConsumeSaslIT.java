package dev.onfs.server.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.ingest.kafka.FeaturePusher;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.KafkaSecurity;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.TestCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code onfs consume} through a SASL_SSL listener: SCRAM from the config file and environment, and its errors. */
class ConsumeSaslIT {
  @TempDir static Path dir;
  static TestCertificates certs;
  static KafkaBroker kafka;
  static Path registryFile;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir.resolve("certs"));
    kafka = KafkaBroker.start(KafkaBroker.Options.builder().tls(certs).sasl("onfs", "kafka-pw").build());
    registryFile = dir.resolve("registry.yaml");
    Files.writeString(registryFile, ConsumeCommandIT.REGISTRY);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static Path config(String name, String... lines) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, String.join("\n", List.of(
        "bootstrap-servers: " + kafka.bootstrapServers(),
        "topic: " + name,
        "group-id: " + name,
        "store: memory",
        "registry: file",
        "registry-file: " + registryFile,
        "metrics-log-interval-s: 0",
        "http-port: 0",
        "connect-timeout-ms: 5000")) + "\n" + String.join("\n", lines) + "\n");
    return file;
  }

  @Test
  void consumesWithScramOverSaslSslFromTheConfigFileAndEnvironment() throws Exception {
    String topic = "sasl-consume";
    kafka.createTopic(topic, 1);
    Path config = config(topic,
        "security-protocol: SASL_SSL",
        "sasl-mechanism: SCRAM-SHA-512",
        "sasl-username: onfs",
        "tls-ca-file: " + certs.caFile());
    ConsumeCommand command = new ConsumeCommand(DefaultBackends.INSTANCE, Map.of("ONFS_CONSUME_SASL_PASSWORD", "kafka-pw"));
    AtomicInteger exit = new AtomicInteger(-1);
    StringWriter err = new StringWriter();
    Thread runner = new Thread(() -> exit.set(new CommandLine(command).setErr(new PrintWriter(err, true))
        .execute("--config", config.toString())));
    runner.start();

    KafkaSecurity security = KafkaSecurity.builder().mechanism("PLAIN").credentials("onfs", "kafka-pw")
        .tls(new ClientTls(certs.caFile(), null, null)).build();
    try (FeaturePusher pusher = FeaturePusher.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic)
        .security(security).catalog(new RegistryCatalog(new InMemoryFeatureRegistry(RegistryFiles.load(registryFile))))
        .build()) {
      pusher.push(new FeatureRow("user", List.of("1"), Map.of("counts", Map.of("clicks", 5L))));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline && exit.get() < 0) {
      MeterRegistry meters = command.meters();
      if (meters != null && meters.counter("onfs.ingest.rows.stored").count() >= 1) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(exit.get()).as(err.toString()).isEqualTo(-1);
    assertThat(command.meters().counter("onfs.ingest.rows.stored").count()).isGreaterThanOrEqualTo(1);
    command.stop();
    runner.join(30_000);
    assertThat(exit.get()).isZero();
  }

  @Test
  void wrongPasswordStopsConsumeWithTheReason() throws Exception {
    Path config = config("sasl-wrong",
        "security-protocol: SASL_SSL",
        "sasl-mechanism: SCRAM-SHA-512",
        "sasl-username: onfs",
        "tls-ca-file: " + certs.caFile());
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new ConsumeCommand(DefaultBackends.INSTANCE, Map.of("ONFS_CONSUME_SASL_PASSWORD", "nope")))
        .setErr(new PrintWriter(err, true)).execute("--config", config.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("onfs consume: ", "authentication failed for user 'onfs'").doesNotContain("nope");
  }

  @Test
  void plaintextAgainstTheTlsListenerStopsConsumeSayingItSpeaksTls() throws Exception {
    Path config = config("sasl-plain");
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new ConsumeCommand(DefaultBackends.INSTANCE, Map.of()))
        .setErr(new PrintWriter(err, true)).execute("--config", config.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("speaks TLS: set security-protocol SSL or SASL_SSL");
  }
}
