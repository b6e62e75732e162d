package dev.onfs.server.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.serving.PartialPersist;
import dev.onfs.ingest.kafka.ConsumerSettings;
import dev.onfs.server.logging.LogFormat;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumeConfigTest {

  @Test
  void defaultsMatchTheReference() {
    ConsumeConfig c = ConsumeConfig.resolve(
        Map.of(ConsumeConfig.Option.BOOTSTRAP_SERVERS, "b:9092"), Map.of(), Map.of(), Map.of(), Map.of());
    ConsumerSettings s = c.settings();
    assertThat(s.topic()).isEqualTo("online-feature-store.feature_ingestion");
    assertThat(s.groupId()).isEqualTo("onfs-consumer");
    assertThat(s.deadLetterTopic()).isEmpty();
    assertThat(s.maxPollRecords()).isEqualTo(2000);
    assertThat(c.concurrency()).isEqualTo(1);
    assertThat(s.kafkaProperties()).isEmpty();
    assertThat(c.partialPersist()).isEqualTo(PartialPersist.MERGE);
    assertThat(s.groupInstanceId()).as("static membership by default").isPresent();
    assertThat(s.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void groupInstanceIdAndSessionTimeout() {
    Map<ConsumeConfig.Option, String> b = Map.of(ConsumeConfig.Option.BOOTSTRAP_SERVERS, "b:9092");
    ConsumerSettings pod = ConsumeConfig.resolve(b, Map.of("ONFS_CONSUME_GROUP_INSTANCE_ID", "onfs-consume-0",
        "ONFS_CONSUME_SESSION_TIMEOUT_MS", "15000"), Map.of(), Map.of(), Map.of()).settings();
    assertThat(pod.groupInstanceId()).contains("onfs-consume-0");
    assertThat(pod.sessionTimeout()).isEqualTo(Duration.ofSeconds(15));
    ConsumerSettings dynamic = ConsumeConfig.resolve(b, Map.of(), Map.of("group-instance-id", "none"), Map.of(), Map.of())
        .settings();
    assertThat(dynamic.groupInstanceId()).isEmpty();
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of(), Map.of("kafka.session.timeout.ms", "6000"), Map.of(),
        Map.of())).hasMessageContaining("session-timeout-ms");
  }

  @Test
  void logFormatIsTextUnlessJsonIsAskedFor() {
    Map<ConsumeConfig.Option, String> b = Map.of(ConsumeConfig.Option.BOOTSTRAP_SERVERS, "b:1");
    assertThat(ConsumeConfig.resolve(b, Map.of(), Map.of(), Map.of(), Map.of()).logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(ConsumeConfig.resolve(b, Map.of("ONFS_CONSUME_LOG_FORMAT", "json"), Map.of(), Map.of(), Map.of())
        .logFormat()).isEqualTo(LogFormat.JSON);
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of(), Map.of("log-format", "xml"), Map.of(), Map.of())
        .logFormat()).hasMessageContaining("--log-format must be one of text, json, got 'xml'");
  }

  @Test
  void partialPersistComesFromFlagEnvOrFile() {
    Map<ConsumeConfig.Option, String> b = Map.of(ConsumeConfig.Option.BOOTSTRAP_SERVERS, "b:1");
    assertThat(ConsumeConfig.resolve(b, Map.of("ONFS_CONSUME_PARTIAL_PERSIST", "reset"), Map.of(), Map.of(), Map.of())
        .partialPersist()).isEqualTo(PartialPersist.RESET);
    assertThat(ConsumeConfig.resolve(b, Map.of(), Map.of("partial-persist", "reset"), Map.of(), Map.of())
        .partialPersist()).isEqualTo(PartialPersist.RESET);
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of(), Map.of("partial-persist", "keep"), Map.of(), Map.of()))
        .hasMessageContaining("--partial-persist must be one of merge, reset, got 'keep'");
  }

  @Test
  void flagBeatsEnvBeatsReferenceEnvBeatsFileBeatsDefault() {
    Map<String, String> file = Map.of("topic", "from-file", "group-id", "file-group", "dlq-topic", "file-dlq",
        "kafka.fetch.min.bytes", "1024", "concurrency", "2", "store-settings.mode", "standalone");
    Map<String, String> env = Map.of(
        "ONFS_CONSUME_GROUP_ID", "env-group",
        "KAFKA_CONSUMERS_FEATURE_CONSUMER_GROUP_ID", "ref-group",
        "KAFKA_CONSUMERS_FEATURE_CONSUMER_BOOTSTRAP_SERVERS", "ref:9092",
        "KAFKA_CONSUMERS_FEATURE_CONSUMER_POLL_TIMEOUT", "1000ms",
        "KAFKA_CONSUMERS_FEATURE_CONSUMER_LISTENER_CONCURRENCY", "3");
    ConsumeConfig c = ConsumeConfig.resolve(
        Map.of(ConsumeConfig.Option.TOPIC, "from-flag"), env, file, Map.of("max.partition.fetch.bytes", "2048"), Map.of("nodes", "r:1"));
    ConsumerSettings s = c.settings();
    assertThat(s.topic()).isEqualTo("from-flag");
    assertThat(s.groupId()).isEqualTo("env-group");
    assertThat(s.bootstrapServers()).isEqualTo("ref:9092");
    assertThat(s.pollTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.concurrency()).isEqualTo(3);
    assertThat(s.deadLetterTopic()).contains("file-dlq");
    assertThat(c.storeSettings()).containsEntry("mode", "standalone").containsEntry("nodes", "r:1");
    assertThat(s.kafkaProperties()).containsEntry("fetch.min.bytes", "1024").containsEntry("max.partition.fetch.bytes", "2048");
  }

  @Test
  void referenceSaslEnvironmentBecomesKafkaProperties() {
    Map<String, String> env = Map.of(
        "KAFKA_CONSUMERS_FEATURE_CONSUMER_BOOTSTRAP_SERVERS", "b:9092",
        "KAFKA_CONSUMERS_FEATURE_CONSUMER_SECURITY_PROTOCOL", "SASL_SSL",
        "KAFKA_CONSUMERS_FEATURE_CONSUMER_SASL_MECHANISM", "PLAIN",
        "KAFKA_CONSUMERS_FEATURE_CONSUMER_SASL_USERNAME", "u",
        "KAFKA_CONSUMERS_FEATURE_CONSUMER_SASL_PASSWORD", "p");
    Map<String, String> props = ConsumeConfig.resolve(Map.of(), env, Map.of(), Map.of(), Map.of()).settings().clientProperties();
    assertThat(props).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
    assertThat(props.get("sasl.jaas.config")).contains("PlainLoginModule").contains("username=\"u\"");
  }

  @Test
  void rejectsMissingUnknownAndBadValues() {
    assertThatThrownBy(() -> ConsumeConfig.resolve(Map.of(), Map.of(), Map.of(), Map.of(), Map.of()))
        .hasMessageContaining("--bootstrap-servers is required");
    Map<ConsumeConfig.Option, String> b = Map.of(ConsumeConfig.Option.BOOTSTRAP_SERVERS, "b:1");
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of(), Map.of("topik", "x"), Map.of(), Map.of()))
        .hasMessageContaining("unknown config file key 'topik'");
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of("ONFS_CONSUME_CONCURRENCY", "zero"), Map.of(), Map.of(), Map.of()))
        .hasMessageContaining("--concurrency must be an integer, got 'zero' (environment variable ONFS_CONSUME_CONCURRENCY)");
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of(), Map.of(), Map.of("enable.auto.commit", "true"), Map.of()))
        .hasMessageContaining("enable.auto.commit must stay false");
  }

  @Test
  void everyOptionHasAFlag() {
    picocli.CommandLine cli = new picocli.CommandLine(new ConsumeCommand(DefaultBackends.INSTANCE, Map.of()));
    for (ConsumeConfig.Option option : ConsumeConfig.Option.values()) {
      assertThat(cli.getCommandSpec().findOption("--" + option.key())).as("--" + option.key()).isNotNull();
    }
  }

  @Test
  void everyFlagHasADescriptionAndTheHelpShowsIt() {
    picocli.CommandLine cli = new picocli.CommandLine(new ConsumeCommand(DefaultBackends.INSTANCE, Map.of()));
    for (picocli.CommandLine.Model.OptionSpec option : cli.getCommandSpec().options()) {
      assertThat(String.join(" ", option.description())).as(option.longestName()).isNotBlank();
    }
    cli.setUsageHelpWidth(240);
    String help = cli.getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
    assertThat(help).contains("--http-port", "HTTP port for /metrics", "Default: 8091", "ONFS_CONSUME_HTTP_PORT",
        "KAFKA_CONSUMERS_FEATURE_CONSUMER_BATCH_SIZE");
    // The flags still set the values after their descriptions were added.
    ConsumeCommand command = new ConsumeCommand(DefaultBackends.INSTANCE, Map.of());
    new picocli.CommandLine(command).parseArgs("--bootstrap-servers", "b:1", "--http-port", "0", "--bind-address",
        "0.0.0.0", "--max-poll-records", "7");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> {
      ConsumeConfig c = command.config();
      assertThat(c.httpPort()).isZero();
      assertThat(c.get(ConsumeConfig.Option.BIND_ADDRESS)).isEqualTo("0.0.0.0");
      assertThat(c.settings().maxPollRecords()).isEqualTo(7);
    })).isNull();
  }

  @Test
  void aRegistryThatCannotOpenStopsTheCommandWithOneLine() {
    java.io.StringWriter err = new java.io.StringWriter();
    int code = new picocli.CommandLine(new ConsumeCommand(DefaultBackends.INSTANCE, Map.of()))
        .setErr(new java.io.PrintWriter(err, true))
        .execute("--bootstrap-servers", "127.0.0.1:9", "--connect-timeout-ms", "0", "--http-port", "0",
            "--metrics-log-interval-s", "0");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("onfs consume: option 'registry-file' is required when registry=file")
        .doesNotContain("\tat ");
  }

  @Test
  void httpPortAndItsTlsAreCheckedUpFront() {
    Map<ConsumeConfig.Option, String> b = Map.of(ConsumeConfig.Option.BOOTSTRAP_SERVERS, "b:1");
    ConsumeConfig defaults = ConsumeConfig.resolve(b, Map.of(), Map.of(), Map.of(), Map.of());
    assertThat(defaults.httpPort()).isEqualTo(8091);
    assertThat(defaults.get(ConsumeConfig.Option.BIND_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(defaults.httpTls().enabled()).isFalse();
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of(), Map.of("http-port", "70000"), Map.of(), Map.of()))
        .hasMessageContaining("--http-port");
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of(), Map.of("http-tls-cert-file", "/c.pem"), Map.of(),
        Map.of())).hasMessageContaining("--http-tls-key-file");
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of(), Map.of("http-tls-client-ca-file", "/ca.pem"),
        Map.of(), Map.of())).hasMessageContaining("--http-tls-client-ca-file needs TLS");
    ConsumeConfig tls = ConsumeConfig.resolve(b, Map.of("ONFS_CONSUME_HTTP_TLS_CERT_FILE", "/c.pem"),
        Map.of("http-tls-key-file", "/k.pem", "http-tls-client-ca-file", "/ca.pem"), Map.of(), Map.of());
    assertThat(tls.httpTls().enabled()).isTrue();
    assertThat(tls.httpTls().clientAuth()).isEqualTo(dev.onfs.server.tls.TlsConfig.ClientAuth.REQUIRE);
  }

  @Test
  void saslPasswordWithQuotesAndBackslashesReachesKafkaIntact(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String password = "p\"a\\ss";
    Map<ConsumeConfig.Option, String> flags = Map.of(
        ConsumeConfig.Option.BOOTSTRAP_SERVERS, "b:9092",
        ConsumeConfig.Option.SECURITY_PROTOCOL, "SASL_SSL",
        ConsumeConfig.Option.SASL_MECHANISM, "SCRAM-SHA-512",
        ConsumeConfig.Option.SASL_USERNAME, "onfs");
    ConsumeConfig config = ConsumeConfig.resolve(flags, Map.of("ONFS_CONSUME_SASL_PASSWORD", password), Map.of(),
        Map.of(), Map.of());
    String jaas = config.settings().clientProperties().get("sasl.jaas.config");
    Map<String, ?> options = org.apache.kafka.common.security.JaasContext.loadClientContext(Map.of(
            "sasl.jaas.config", new org.apache.kafka.common.config.types.Password(jaas)))
        .configurationEntries().get(0).getOptions();
    assertThat(options.get("password")).isEqualTo(password);
    assertThat(config.toString()).doesNotContain(password).contains("sasl-password=****");

    java.nio.file.Path file = dir.resolve("pw");
    java.nio.file.Files.writeString(file, "from-file\n");
    Map<ConsumeConfig.Option, String> withFile = new java.util.HashMap<>(flags);
    withFile.put(ConsumeConfig.Option.SASL_PASSWORD_FILE, file.toString());
    assertThat(ConsumeConfig.resolve(withFile, Map.of(), Map.of(), Map.of(), Map.of()).settings().clientProperties()
        .get("sasl.jaas.config")).contains("password=\"from-file\"");
  }

  @Test
  void securitySettingsThatDoNotFitTogetherFailNamingThem() {
    Map<ConsumeConfig.Option, String> b = Map.of(ConsumeConfig.Option.BOOTSTRAP_SERVERS, "b:1",
        ConsumeConfig.Option.SASL_USERNAME, "u");
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of(), Map.of(), Map.of(), Map.of()))
        .hasMessageContaining("--sasl-username is set without --sasl-password");
    assertThatThrownBy(() -> ConsumeConfig.resolve(b, Map.of("ONFS_CONSUME_SASL_PASSWORD", "p"), Map.of(), Map.of(),
        Map.of())).hasMessageContaining("SASL credentials without TLS");
    assertThatThrownBy(() -> ConsumeConfig.resolve(Map.of(ConsumeConfig.Option.BOOTSTRAP_SERVERS, "b:1",
        ConsumeConfig.Option.TLS_CERT_FILE, "/c.pem"), Map.of(), Map.of(), Map.of(), Map.of()))
        .hasMessageContaining("tls-cert-file is set without tls-key-file");
  }
}
