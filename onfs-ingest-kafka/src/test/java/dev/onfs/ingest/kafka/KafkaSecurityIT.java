package dev.onfs.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.serving.Values;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushing and consuming through a SASL_SSL listener, and the startup check's errors. */
class KafkaSecurityIT {
  private static final String USER = "onfs";
  private static final String PASSWORD = "s3cret";

  @TempDir static Path dir;
  static TestCertificates certs;
  static KafkaBroker kafka;

  @BeforeAll
  static void start() {
    certs = TestCertificates.create(dir.resolve("certs"));
    kafka = KafkaBroker.start(KafkaBroker.Options.builder().tls(certs).sasl(USER, PASSWORD).build());
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static KafkaSecurity sasl(String mechanism, String password) {
    return KafkaSecurity.builder().mechanism(mechanism).credentials(USER, password)
        .tls(new ClientTls(certs.caFile(), null, null)).build();
  }

  private static ConsumerSettings settings(String topic, KafkaSecurity security) {
    return ConsumerSettings.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic)
        .groupId(topic + "-group").security(security).build();
  }

  @Test
  void pushesAndConsumesWithScramSha512OverSaslSsl() {
    roundTrip("secured-scram", sasl("SCRAM-SHA-512", PASSWORD));
  }

  @Test
  void pushesAndConsumesWithPlainOverSaslSsl() {
    roundTrip("secured-plain", sasl("PLAIN", PASSWORD));
  }

  private static void roundTrip(String topic, KafkaSecurity security) {
    assertThat(security.protocol()).isEqualTo("SASL_SSL");
    kafka.createTopic(topic, 1);
    KafkaConnectivity.check(settings(topic, security), Duration.ofSeconds(30));
    try (FeaturePusher pusher = FeaturePusher.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic)
        .catalog(TestSchemas.CATALOG).security(security).build()) {
      pusher.push(IngestData.row(7, 3));
    }
    MemorySink sink = new MemorySink();
    try (FeatureConsumerGroup group = FeatureConsumerGroup.start(settings(topic, security), 1, TestSchemas.CATALOG,
        sink, IngestStats.disabled())) {
      IngestData.awaitUntil(Duration.ofSeconds(60), "the pushed row is consumed",
          () -> sink.get("user", "u7", "counts") != null || group.failure() != null);
      assertThat(group.failure()).isNull();
      Values clicks = sink.get("user", "u7", "counts");
      assertThat(clicks).isNotNull();
    }
  }

  @Test
  void wrongPasswordFailsTheCheckNamingAuthentication() {
    OnfsException e = checkFails(settings("t", sasl("SCRAM-SHA-512", "not-the-password")), Duration.ofSeconds(30));
    assertThat(e.getMessage()).contains("authentication failed for user 'onfs'", "SCRAM-SHA-512")
        .doesNotContain("not-the-password");
  }

  @Test
  void wrongCaFailsTheCheckNamingTheHandshake() {
    KafkaSecurity security = KafkaSecurity.builder().mechanism("SCRAM-SHA-512").credentials(USER, PASSWORD)
        .tls(new ClientTls(certs.otherCa().certificateFile(), null, null)).build();
    assertThat(checkFails(settings("t", security), Duration.ofSeconds(30)).getMessage())
        .contains("TLS handshake failed", "certification path");
  }

  @Test
  void plaintextClientAgainstTheTlsListenerFailsSayingItSpeaksTls() {
    assertThat(checkFails(settings("t", KafkaSecurity.none()), Duration.ofSeconds(5)).getMessage())
        .contains("no broker answered", "speaks TLS: set security-protocol SSL or SASL_SSL");
  }

  @Test
  void expiredBrokerCertificateFailsTheCheckNamingTheExpiry() {
    try (KafkaBroker expired = KafkaBroker.start(KafkaBroker.Options.builder()
        .tls(certs, certs.expiredServer()).build())) {
      KafkaSecurity tls = KafkaSecurity.builder().tls(new ClientTls(certs.caFile(), null, null)).build();
      assertThat(tls.protocol()).isEqualTo("SSL");
      ConsumerSettings settings = ConsumerSettings.builder().bootstrapServers(expired.bootstrapServers())
          .security(tls).build();
      assertThat(checkFails(settings, Duration.ofSeconds(30)).getMessage())
          .contains("TLS handshake failed", "server certificate expired");
    }
  }

  private static OnfsException checkFails(ConsumerSettings settings, Duration timeout) {
    Throwable thrown = catchThrowable(() -> KafkaConnectivity.check(settings, timeout));
    assertThat(thrown).isInstanceOf(OnfsException.class);
    assertThat(((OnfsException) thrown).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
    return (OnfsException) thrown;
  }
}
