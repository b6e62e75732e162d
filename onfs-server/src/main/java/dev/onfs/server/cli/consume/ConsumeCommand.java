package dev.onfs.server.cli.consume;

import dev.onfs.core.OnfsException;
import dev.onfs.ingest.kafka.FeatureConsumerGroup;
import dev.onfs.ingest.kafka.KafkaConnectivity;
import dev.onfs.server.ServerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.logging.LoggingMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingRegistryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code onfs consume}: runs Kafka ingestion consumers until stopped. */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = {
      "Consumes persist.Query records from Kafka into the store, at least once.",
      "Each value comes from the flag, env ONFS_CONSUME_<NAME>, the reference's "
          + "KAFKA_CONSUMERS_FEATURE_CONSUMER_<NAME>, the config file, or the default."
    })
public final class ConsumeCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-c", "--config"}, description = "YAML (or .properties) file with the options below as keys; "
      + "kafka.* entries go to the Kafka clients, store-settings.* to the storage adapter")
  @Nullable Path configFile;

  @Option(names = "--bootstrap-servers") @Nullable String bootstrapServers;
  @Option(names = "--topic") @Nullable String topic;
  @Option(names = "--group-id") @Nullable String groupId;
  @Option(names = "--client-id") @Nullable String clientId;
  @Option(names = "--group-instance-id", description = "static membership id prefix, e.g. the StatefulSet pod name;"
      + " default <host name>-<client-id>; none for dynamic membership") @Nullable String groupInstanceId;
  @Option(names = "--session-timeout-ms") @Nullable String sessionTimeoutMs;
  @Option(names = "--dlq-topic") @Nullable String dlqTopic;
  @Option(names = "--concurrency") @Nullable String concurrency;
  @Option(names = "--max-poll-records") @Nullable String maxPollRecords;
  @Option(names = "--poll-timeout-ms") @Nullable String pollTimeoutMs;
  @Option(names = "--write-batch-rows") @Nullable String writeBatchRows;
  @Option(names = "--auto-offset-reset") @Nullable String autoOffsetReset;
  @Option(names = "--backoff-initial-ms") @Nullable String backoffInitialMs;
  @Option(names = "--backoff-max-ms") @Nullable String backoffMaxMs;
  @Option(names = "--store", description = "storage adapter: memory, redis, scylla (as for serve)") @Nullable String store;
  @Option(names = "--registry", description = "file or etcd (as for serve)") @Nullable String registry;
  @Option(names = "--registry-file") @Nullable String registryFile;
  @Option(names = "--etcd-endpoints") @Nullable String etcdEndpoints;
  @Option(names = "--app-name") @Nullable String appName;
  @Option(names = "--etcd-user") @Nullable String etcdUser;
  @Option(names = "--etcd-password", description = "visible to other local users in the process list:"
      + " prefer ONFS_CONSUME_ETCD_PASSWORD or --etcd-password-file") @Nullable String etcdPassword;
  @Option(names = "--etcd-password-file") @Nullable String etcdPasswordFile;
  @Option(names = "--etcd-tls-ca-file") @Nullable String etcdTlsCaFile;
  @Option(names = "--etcd-tls-cert-file") @Nullable String etcdTlsCertFile;
  @Option(names = "--etcd-tls-key-file") @Nullable String etcdTlsKeyFile;

  @Option(names = "--security-protocol", description = "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL") @Nullable String securityProtocol;
  @Option(names = "--sasl-mechanism", description = "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512") @Nullable String saslMechanism;
  @Option(names = "--sasl-username") @Nullable String saslUsername;
  @Option(names = "--sasl-password", description = "visible to other local users in the process list:"
      + " prefer ONFS_CONSUME_SASL_PASSWORD or --sasl-password-file") @Nullable String saslPassword;
  @Option(names = "--sasl-password-file") @Nullable String saslPasswordFile;
  @Option(names = "--tls-ca-file", description = "PEM CA certificates to trust for Kafka") @Nullable String tlsCaFile;
  @Option(names = "--tls-cert-file", description = "PEM client certificate for Kafka") @Nullable String tlsCertFile;
  @Option(names = "--tls-key-file", description = "PEM PKCS#8 key of --tls-cert-file") @Nullable String tlsKeyFile;
  @Option(names = "--connect-timeout-ms", description = "startup check of the brokers; 0 skips it") @Nullable String connectTimeoutMs;

  @Option(names = "--store-setting", description = "storage adapter setting name=value (repeatable), e.g. nodes=host:6379")
  Map<String, String> storeSettings = new LinkedHashMap<>();
  @Option(names = "--metrics-log-interval-s") @Nullable String metricsLogIntervalS;
  @Option(names = "--partial-persist", description = "merge (keep unnamed features' stored values) or reset (write "
      + "their defaults, as the reference does)") @Nullable String partialPersist;

  @Option(names = "--kafka-property", description = "extra Kafka client property name=value (repeatable)")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  private final ConsumeBackends backends;
  private final Map<String, String> env;
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile @Nullable MeterRegistry meters;

  /** The command as the server registers it. */
  public ConsumeCommand() {
    this(DefaultBackends.INSTANCE, System.getenv());
  }

  ConsumeCommand(ConsumeBackends backends, Map<String, String> env) {
    this.backends = backends;
    this.env = env;
  }

  ConsumeConfig config() throws IOException {
    Map<ConsumeConfig.Option, String> flags = new EnumMap<>(ConsumeConfig.Option.class);
    put(flags, ConsumeConfig.Option.BOOTSTRAP_SERVERS, bootstrapServers);
    put(flags, ConsumeConfig.Option.TOPIC, topic);
    put(flags, ConsumeConfig.Option.GROUP_ID, groupId);
    put(flags, ConsumeConfig.Option.CLIENT_ID, clientId);
    put(flags, ConsumeConfig.Option.GROUP_INSTANCE_ID, groupInstanceId);
    put(flags, ConsumeConfig.Option.SESSION_TIMEOUT_MS, sessionTimeoutMs);
    put(flags, ConsumeConfig.Option.DLQ_TOPIC, dlqTopic);
    put(flags, ConsumeConfig.Option.CONCURRENCY, concurrency);
    put(flags, ConsumeConfig.Option.MAX_POLL_RECORDS, maxPollRecords);
    put(flags, ConsumeConfig.Option.POLL_TIMEOUT_MS, pollTimeoutMs);
    put(flags, ConsumeConfig.Option.WRITE_BATCH_ROWS, writeBatchRows);
    put(flags, ConsumeConfig.Option.AUTO_OFFSET_RESET, autoOffsetReset);
    put(flags, ConsumeConfig.Option.BACKOFF_INITIAL_MS, backoffInitialMs);
    put(flags, ConsumeConfig.Option.BACKOFF_MAX_MS, backoffMaxMs);
    put(flags, ConsumeConfig.Option.STORE, store);
    put(flags, ConsumeConfig.Option.REGISTRY, registry);
    put(flags, ConsumeConfig.Option.REGISTRY_FILE, registryFile);
    put(flags, ConsumeConfig.Option.ETCD_ENDPOINTS, etcdEndpoints);
    put(flags, ConsumeConfig.Option.APP_NAME, appName);
    put(flags, ConsumeConfig.Option.METRICS_LOG_INTERVAL_S, metricsLogIntervalS);
    put(flags, ConsumeConfig.Option.PARTIAL_PERSIST, partialPersist);
    put(flags, ConsumeConfig.Option.ETCD_USER, etcdUser);
    put(flags, ConsumeConfig.Option.ETCD_PASSWORD, etcdPassword);
    put(flags, ConsumeConfig.Option.ETCD_PASSWORD_FILE, etcdPasswordFile);
    put(flags, ConsumeConfig.Option.ETCD_TLS_CA_FILE, etcdTlsCaFile);
    put(flags, ConsumeConfig.Option.ETCD_TLS_CERT_FILE, etcdTlsCertFile);
    put(flags, ConsumeConfig.Option.ETCD_TLS_KEY_FILE, etcdTlsKeyFile);
    put(flags, ConsumeConfig.Option.SECURITY_PROTOCOL, securityProtocol);
    put(flags, ConsumeConfig.Option.SASL_MECHANISM, saslMechanism);
    put(flags, ConsumeConfig.Option.SASL_USERNAME, saslUsername);
    put(flags, ConsumeConfig.Option.SASL_PASSWORD, saslPassword);
    put(flags, ConsumeConfig.Option.SASL_PASSWORD_FILE, saslPasswordFile);
    put(flags, ConsumeConfig.Option.TLS_CA_FILE, tlsCaFile);
    put(flags, ConsumeConfig.Option.TLS_CERT_FILE, tlsCertFile);
    put(flags, ConsumeConfig.Option.TLS_KEY_FILE, tlsKeyFile);
    put(flags, ConsumeConfig.Option.CONNECT_TIMEOUT_MS, connectTimeoutMs);
    Map<String, String> file = configFile == null ? Map.of() : readConfigFile(configFile);
    return ConsumeConfig.resolve(flags, env, file, kafkaProperties, storeSettings);
  }

  /** A YAML file (as {@code serve} reads; nested keys joined with dots) or, for *.properties, a properties file. */
  static Map<String, String> readConfigFile(Path path) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (path.getFileName().toString().endsWith(".properties")) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
      return out;
    }
    return ServerConfig.readYaml(path);
  }

  private static void put(Map<ConsumeConfig.Option, String> flags, ConsumeConfig.Option o, @Nullable String v) {
    if (v != null) {
      flags.put(o, v);
    }
  }

  @Override
  public Integer call() throws Exception {
    ConsumeConfig config;
    try {
      config = config();
      if (!config.connectTimeout().isZero()) {
        KafkaConnectivity.check(config.settings(), config.connectTimeout());
      }
    } catch (OnfsException | IllegalArgumentException e) {
      // Configuration and connection problems: one line naming the setting at fault.
      spec.commandLine().getErr().println("onfs consume: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    MeterRegistry registry = meterRegistry(config.metricsLogInterval());
    meters = registry;
    Thread hook = new Thread(stop::countDown, "onfs-consume-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (ConsumeBackends.Opened opened = backends.open(config);
        FeatureConsumerGroup group = FeatureConsumerGroup.start(
            config.settings(), config.concurrency(), opened.catalog(), opened.sink(), new MicrometerIngestStats(registry))) {
      Thread watcher = new Thread(() -> {
        try {
          group.awaitStopped(Duration.ofDays(36500));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        stop.countDown();
      }, "onfs-consume-watch");
      watcher.setDaemon(true);
      watcher.start();
      stop.await();
      Throwable failure = group.failure();
      if (failure != null) {
        throw new IllegalStateException("a consumer stopped: " + failure, failure);
      }
      return 0;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting; the hook has run
      }
      registry.close();
    }
  }

  private static MeterRegistry meterRegistry(Duration logInterval) {
    if (logInterval.isZero()) {
      return new SimpleMeterRegistry();
    }
    return LoggingMeterRegistry.builder(new LoggingRegistryConfig() {
      @Override
      public @Nullable String get(String key) {
        return null;
      }

      @Override
      public Duration step() {
        return logInterval;
      }
    }).build();
  }

  /** Stops a running {@link #call()} (as SIGTERM does); for in-process use. */
  void stop() {
    stop.countDown();
  }

  /** The meters of a running command, for in-process checks. */
  @Nullable MeterRegistry meters() {
    return meters;
  }
}
