package dev.onfs.server.cli.consume;

import dev.onfs.core.OnfsException;
import dev.onfs.ingest.kafka.FeatureConsumer;
import dev.onfs.ingest.kafka.FeatureConsumerGroup;
import dev.onfs.ingest.kafka.KafkaConnectivity;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.health.Readiness;
import dev.onfs.server.health.ReadinessReport;
import dev.onfs.server.http.AdminHttpServer;
import dev.onfs.server.http.HttpRoutes;
import dev.onfs.server.http.RouteReply;
import dev.onfs.server.logging.Logs;
import dev.onfs.server.metrics.JvmMeters;
import dev.onfs.server.metrics.RegistryLabels;
import dev.onfs.server.tls.TlsKeyMaterial;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.logging.LoggingMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingRegistryConfig;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
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
    modelTransformer = ConsumeCommand.Descriptions.class,
    description = {
      "Consumes persist.Query records from Kafka into the store, at least once. Serves /metrics,"
          + " /health/live and /health/ready on --http-port.",
      "Each value comes from the flag, env ONFS_CONSUME_<NAME>, the reference's "
          + "KAFKA_CONSUMERS_FEATURE_CONSUMER_<NAME>, the config file, or the default."
    })
public final class ConsumeCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-c", "--config"}, description = "YAML (or .properties) file with the options below as keys; "
      + "kafka.* entries go to the Kafka clients, store-settings.* to the storage adapter")
  @Nullable Path configFile;

  // Descriptions of the options below come from ConsumeConfig.Option (see Descriptions).
  @Option(names = "--bootstrap-servers") @Nullable String bootstrapServers;
  @Option(names = "--topic") @Nullable String topic;
  @Option(names = "--group-id") @Nullable String groupId;
  @Option(names = "--client-id") @Nullable String clientId;
  @Option(names = "--group-instance-id") @Nullable String groupInstanceId;
  @Option(names = "--session-timeout-ms") @Nullable String sessionTimeoutMs;
  @Option(names = "--dlq-topic") @Nullable String dlqTopic;
  @Option(names = "--concurrency") @Nullable String concurrency;
  @Option(names = "--max-poll-records") @Nullable String maxPollRecords;
  @Option(names = "--poll-timeout-ms") @Nullable String pollTimeoutMs;
  @Option(names = "--write-batch-rows") @Nullable String writeBatchRows;
  @Option(names = "--auto-offset-reset") @Nullable String autoOffsetReset;
  @Option(names = "--backoff-initial-ms") @Nullable String backoffInitialMs;
  @Option(names = "--backoff-max-ms") @Nullable String backoffMaxMs;
  @Option(names = "--store") @Nullable String store;
  @Option(names = "--registry") @Nullable String registry;
  @Option(names = "--registry-file") @Nullable String registryFile;
  @Option(names = "--distributed-cache-lease-ms") @Nullable String distributedCacheLeaseMs;
  @Option(names = "--etcd-endpoints") @Nullable String etcdEndpoints;
  @Option(names = "--app-name") @Nullable String appName;
  @Option(names = "--etcd-user") @Nullable String etcdUser;
  @Option(names = "--etcd-password") @Nullable String etcdPassword;
  @Option(names = "--etcd-password-file") @Nullable String etcdPasswordFile;
  @Option(names = "--etcd-tls-ca-file") @Nullable String etcdTlsCaFile;
  @Option(names = "--etcd-tls-cert-file") @Nullable String etcdTlsCertFile;
  @Option(names = "--etcd-tls-key-file") @Nullable String etcdTlsKeyFile;

  @Option(names = "--security-protocol") @Nullable String securityProtocol;
  @Option(names = "--sasl-mechanism") @Nullable String saslMechanism;
  @Option(names = "--sasl-username") @Nullable String saslUsername;
  @Option(names = "--sasl-password") @Nullable String saslPassword;
  @Option(names = "--sasl-password-file") @Nullable String saslPasswordFile;
  @Option(names = "--tls-ca-file") @Nullable String tlsCaFile;
  @Option(names = "--tls-cert-file") @Nullable String tlsCertFile;
  @Option(names = "--tls-key-file") @Nullable String tlsKeyFile;
  @Option(names = "--connect-timeout-ms") @Nullable String connectTimeoutMs;

  @Option(names = "--store-setting", description = "storage adapter setting name=value (repeatable), e.g. nodes=host:6379;"
      + " config file: store-settings.<name>")
  Map<String, String> storeSettings = new LinkedHashMap<>();
  @Option(names = "--metrics-log-interval-s") @Nullable String metricsLogIntervalS;
  @Option(names = "--log-format") @Nullable String logFormat;
  @Option(names = "--partial-persist") @Nullable String partialPersist;
  @Option(names = "--bind-address") @Nullable String bindAddress;
  @Option(names = "--http-port") @Nullable String httpPort;
  @Option(names = "--http-tls-cert-file") @Nullable String httpTlsCertFile;
  @Option(names = "--http-tls-key-file") @Nullable String httpTlsKeyFile;
  @Option(names = "--http-tls-client-ca-file") @Nullable String httpTlsClientCaFile;

  @Option(names = "--kafka-property", description = "extra Kafka client property name=value (repeatable), applied"
      + " after the options above; config file: kafka.<name>")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  private final ConsumeBackends backends;
  private final Map<String, String> env;
  private final CountDownLatch stop = new CountDownLatch(1);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private volatile @Nullable MeterRegistry meters;
  private volatile int boundHttpPort;

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
    put(flags, ConsumeConfig.Option.DISTRIBUTED_CACHE_LEASE_MS, distributedCacheLeaseMs);
    put(flags, ConsumeConfig.Option.ETCD_ENDPOINTS, etcdEndpoints);
    put(flags, ConsumeConfig.Option.APP_NAME, appName);
    put(flags, ConsumeConfig.Option.METRICS_LOG_INTERVAL_S, metricsLogIntervalS);
    put(flags, ConsumeConfig.Option.LOG_FORMAT, logFormat);
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
    put(flags, ConsumeConfig.Option.BIND_ADDRESS, bindAddress);
    put(flags, ConsumeConfig.Option.HTTP_PORT, httpPort);
    put(flags, ConsumeConfig.Option.HTTP_TLS_CERT_FILE, httpTlsCertFile);
    put(flags, ConsumeConfig.Option.HTTP_TLS_KEY_FILE, httpTlsKeyFile);
    put(flags, ConsumeConfig.Option.HTTP_TLS_CLIENT_CA_FILE, httpTlsClientCaFile);
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
    TlsKeyMaterial httpTls;
    try {
      config = config();
      Logs.configure(config.logFormat());
      if (!config.connectTimeout().isZero()) {
        KafkaConnectivity.check(config.settings(), config.connectTimeout());
      }
      // Loaded before anything starts: a file that does not load stops the command naming it.
      httpTls = config.httpTls().enabled() ? TlsKeyMaterial.load(config.httpTls()) : null;
    } catch (OnfsException | IllegalArgumentException e) {
      return fail(e.getMessage());
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CompositeMeterRegistry registry = new CompositeMeterRegistry();
    registry.add(prometheus);
    MeterRegistry log = logRegistry(config.metricsLogInterval());
    if (log != null) {
      registry.add(log);
    }
    meters = registry;
    List<AutoCloseable> resources = new ArrayList<>(); // closed last to first
    resources.add(registry::close);
    if (log != null) {
      resources.add(log::close);
    }
    resources.add(prometheus::close);
    resources.add(JvmMeters.bindTo(prometheus));
    if (httpTls != null) {
      resources.add(httpTls);
    }
    Thread hook = new Thread(stop::countDown, "onfs-consume-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      ConsumeBackends.Opened opened;
      try {
        opened = backends.open(config);
      } catch (OnfsException | IllegalArgumentException e) {
        // A missing registry file, an unknown store: one line, as for the options above.
        return fail(e.getMessage());
      }
      resources.add(opened);
      Readiness storeAndRegistry = Readiness.builder(opened.registry())
          .store(config.get(ConsumeConfig.Option.STORE), opened.store())
          .build();
      resources.add(storeAndRegistry);
      ConsumerReadiness readiness = new ConsumerReadiness(storeAndRegistry);
      Gauge.builder("onfs.ready", readiness, r -> r.check().ready() ? 1 : 0)
          .description("1 while /health/ready answers 200 (consumers joined and polling, store and registry up), else 0")
          .register(prometheus);
      AdminHttpServer http;
      try {
        http = AdminHttpServer.start(config.get(ConsumeConfig.Option.BIND_ADDRESS), config.httpPort(),
            AdminHttpServer.Limits.DEFAULT, routes(readiness, prometheus),
            httpTls == null ? null : httpTls.httpSslContextFactory());
      } catch (UncheckedIOException e) {
        return fail(e.getMessage());
      }
      resources.add(http);
      boundHttpPort = http.port();
      FeatureConsumerGroup group = FeatureConsumerGroup.start(config.settings(), config.concurrency(),
          opened.catalog(), opened.sink(),
          new MicrometerIngestStats(registry, new RegistryLabels(opened.registry()::snapshot)));
      resources.add(group);
      readiness.consumers = group;
      spec.commandLine().getOut().println("onfs consume: " + config.settings().topic() + " -> store "
          + config.get(ConsumeConfig.Option.STORE) + "; HTTP " + (httpTls == null ? "http" : "https") + "://"
          + config.get(ConsumeConfig.Option.BIND_ADDRESS) + ":" + http.port() + " (/metrics, /health/ready)");
      spec.commandLine().getOut().flush();
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
      readiness.shuttingDown = true;
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
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).close();
        } catch (Exception e) {
          System.getLogger(ConsumeCommand.class.getName()).log(System.Logger.Level.WARNING,
              "closing " + resources.get(i) + " failed", e);
        }
      }
    }
  }

  private int fail(@Nullable String message) {
    // Configuration and connection problems: one line naming the setting at fault.
    spec.commandLine().getErr().println("onfs consume: " + message);
    spec.commandLine().getErr().flush();
    return 2;
  }

  private static HttpRoutes routes(ConsumerReadiness readiness, PrometheusMeterRegistry prometheus) {
    return new HttpRoutes()
        .get("/health/live", request -> readiness.shuttingDown
            ? RouteReply.json(503, "{\"status\":\"DOWN\"}") : RouteReply.json(200, "{\"status\":\"UP\"}"))
        .get("/health/ready", request -> {
          ReadinessReport report = readiness.check();
          return RouteReply.json(report.ready() ? 200 : 503, report.toJson());
        })
        .get("/metrics", request -> new RouteReply(200, PROMETHEUS_TEXT,
            prometheus.scrape().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Ready when the registry is loaded, the store answers a ping, and every consumer has joined its group,
   * polls and hears from the group coordinator ({@link FeatureConsumer#health()}).
   */
  static final class ConsumerReadiness {
    private final Readiness storeAndRegistry;
    volatile @Nullable FeatureConsumerGroup consumers;
    volatile boolean shuttingDown;

    ConsumerReadiness(Readiness storeAndRegistry) {
      this.storeAndRegistry = storeAndRegistry;
    }

    ReadinessReport check() {
      List<ReadinessReport.Check> checks = new ArrayList<>();
      ReadinessReport probed = storeAndRegistry.check();
      for (ReadinessReport.Check check : probed.checks()) {
        // Readiness's own "server" check speaks of gRPC calls; the consumers' checks below stand for it.
        if (!check.name().equals("server")) {
          checks.add(check);
        }
      }
      FeatureConsumerGroup group = consumers;
      if (shuttingDown) {
        checks.add(new ReadinessReport.Check("consumers", false, "shutting down"));
      } else if (group == null) {
        checks.add(new ReadinessReport.Check("consumers", false, "starting"));
      } else {
        List<FeatureConsumer.Health> health = group.health();
        for (int i = 0; i < health.size(); i++) {
          checks.add(new ReadinessReport.Check("consumer-" + i, health.get(i).up(), health.get(i).detail()));
        }
      }
      return new ReadinessReport(checks, probed.quarantined());
    }
  }

  private static @Nullable MeterRegistry logRegistry(Duration logInterval) {
    if (logInterval.isZero()) {
      return null;
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

  /** The bound HTTP port of a running command (0 before it listens), for in-process checks. */
  int httpPort() {
    return boundHttpPort;
  }

  /**
   * Gives each option that {@link ConsumeConfig.Option} declares its description there, with its default and
   * environment variable, so that {@code --help} and the config keys cannot drift apart.
   */
  static final class Descriptions implements CommandLine.IModelTransformer {
    @Override
    public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec command) {
      for (ConsumeConfig.Option option : ConsumeConfig.Option.values()) {
        CommandLine.Model.OptionSpec flag = command.findOption("--" + option.key());
        if (flag == null) {
          throw new IllegalStateException("consume declares no flag --" + option.key());
        }
        StringBuilder text = new StringBuilder(option.description()).append('.');
        String fallback = option.defaultValue();
        if (fallback == null) {
          text.append(" Required.");
        } else if (!fallback.isEmpty()) {
          text.append(" Default: ").append(fallback).append('.');
        }
        text.append(" Env: ").append(option.envName());
        if (option.referenceEnvName() != null) {
          text.append(" or ").append(option.referenceEnvName());
        }
        command.remove(flag);
        command.addOption(CommandLine.Model.OptionSpec.builder(flag).description(text.toString()).build());
      }
      return command;
    }
  }
}
