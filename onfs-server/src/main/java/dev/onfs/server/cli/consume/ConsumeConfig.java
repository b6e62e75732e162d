package dev.onfs.server.cli.consume;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.Secrets;
import dev.onfs.core.serving.PartialPersist;
import dev.onfs.ingest.kafka.Backoff;
import dev.onfs.ingest.kafka.ConsumerSettings;
import dev.onfs.ingest.kafka.KafkaSecurity;
import dev.onfs.server.EtcdRegistries;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.logging.LogFormat;
import dev.onfs.server.tls.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The resolved configuration of {@code onfs consume}. Each option is declared once in {@link
 * Option}; a value comes from, in order: the command-line flag, the environment variable {@code
 * ONFS_CONSUME_<NAME>}, the reference's {@code KAFKA_CONSUMERS_FEATURE_CONSUMER_<NAME>} variable (so a
 * reference consumer deployment's environment works unchanged), the config file, the default.
 */
public final class ConsumeConfig {

  /** Every option: dash-case name (also the config file key), reference env suffix, default. */
  public enum Option {
    BOOTSTRAP_SERVERS("bootstrap-servers", "BOOTSTRAP_SERVERS", null, "Kafka bootstrap servers (required)"),
    TOPIC("topic", "TOPIC", ConsumerSettings.DEFAULT_TOPIC, "topic of persist.Query records"),
    GROUP_ID("group-id", "GROUP_ID", "onfs-consumer", "consumer group"),
    CLIENT_ID("client-id", "CLIENT_ID", "onfs-consumer", "client id prefix; each consumer appends -<i>"),
    GROUP_INSTANCE_ID("group-instance-id", null, "",
        "static membership id prefix (Kafka group.instance.id), unique per process and stable across its restarts;"
            + " each consumer appends -<i>. Empty: <host name>-<client-id>-<i>; none: dynamic membership"),
    SESSION_TIMEOUT_MS("session-timeout-ms", null, "30000",
        "how long a consumer gone for good keeps its partitions (and a restarting one may be away)"),
    DLQ_TOPIC("dlq-topic", null, "", "dead-letter topic; empty logs, counts and skips invalid records"),
    CONCURRENCY("concurrency", "LISTENER_CONCURRENCY", "1", "consumers (threads) in this process"),
    MAX_POLL_RECORDS("max-poll-records", "BATCH_SIZE", "2000", "records per poll batch"),
    POLL_TIMEOUT_MS("poll-timeout-ms", "POLL_TIMEOUT", "500", "poll timeout in milliseconds"),
    WRITE_BATCH_ROWS("write-batch-rows", null, "10000", "rows per store write"),
    AUTO_OFFSET_RESET("auto-offset-reset", "AUTO_OFFSET_RESET", "earliest", "earliest, latest or none"),
    BACKOFF_INITIAL_MS("backoff-initial-ms", null, "100", "first retry delay while the store is down"),
    BACKOFF_MAX_MS("backoff-max-ms", null, "10000", "bound on any retry delay"),
    SECURITY_PROTOCOL("security-protocol", "SECURITY_PROTOCOL", "",
        "Kafka security.protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (default: SSL or SASL_SSL with TLS"
            + " settings, else PLAINTEXT)"),
    SASL_MECHANISM("sasl-mechanism", "SASL_MECHANISM", "", "Kafka sasl.mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"),
    SASL_USERNAME("sasl-username", "SASL_USERNAME", "", "SASL PLAIN/SCRAM user"),
    SASL_PASSWORD("sasl-password", "SASL_PASSWORD", "", "SASL password (sensitive: prefer the environment or a file)"),
    SASL_PASSWORD_FILE("sasl-password-file", null, "", "file holding the SASL password"),
    TLS_CA_FILE("tls-ca-file", null, "", "PEM CA certificates to trust for Kafka (default: the JDK's)"),
    TLS_CERT_FILE("tls-cert-file", null, "", "PEM client certificate for Kafka (with tls-key-file)"),
    TLS_KEY_FILE("tls-key-file", null, "", "PEM PKCS#8 key of tls-cert-file"),
    CONNECT_TIMEOUT_MS("connect-timeout-ms", null, "30000",
        "how long the startup check waits for a broker to answer; 0 skips the check"),
    STORE("store", null, "memory", "storage adapter by factory name, as for serve: memory, redis, scylla"),
    REGISTRY("registry", null, "file", "where feature definitions come from, as for serve: file or etcd"),
    REGISTRY_FILE("registry-file", null, "", "registry YAML file or directory (registry=file)"),
    ETCD_ENDPOINTS("etcd-endpoints", null, "", "comma-separated etcd endpoints (registry=etcd)"),
    ETCD_USER("etcd-user", null, "", "etcd user (registry=etcd)"),
    ETCD_PASSWORD("etcd-password", null, "", "etcd password (sensitive: prefer the environment or a file)"),
    ETCD_PASSWORD_FILE("etcd-password-file", null, "", "file holding the etcd password"),
    ETCD_TLS_CA_FILE("etcd-tls-ca-file", null, "", "PEM CA certificates to trust for etcd (turns TLS on)"),
    ETCD_TLS_CERT_FILE("etcd-tls-cert-file", null, "", "PEM client certificate for etcd (with etcd-tls-key-file)"),
    ETCD_TLS_KEY_FILE("etcd-tls-key-file", null, "", "PEM PKCS#8 key of etcd-tls-cert-file"),
    APP_NAME("app-name", null, "onfs", "application name: the etcd tree lives under /config/<app-name>"),
    METRICS_LOG_INTERVAL_S("metrics-log-interval-s", null, "60", "seconds between metric log lines; 0 disables"),
    LOG_FORMAT("log-format", null, "text", "log lines on stderr: text, or json (one JSON object per line), as for serve"),
    BIND_ADDRESS("bind-address", null, "127.0.0.1",
        "address of the HTTP port (/metrics, /health/live, /health/ready); 0.0.0.0 for every interface, as a pod"
            + " needs for its probes"),
    HTTP_PORT("http-port", null, "8091",
        "HTTP port for /metrics (Prometheus), /health/live and /health/ready; 0 picks a free port"),
    HTTP_TLS_CERT_FILE("http-tls-cert-file", null, "",
        "PEM certificate chain (leaf first) the HTTP port presents; with http-tls-key-file, turns TLS on"),
    HTTP_TLS_KEY_FILE("http-tls-key-file", null, "", "PEM PKCS#8 key of http-tls-cert-file"),
    HTTP_TLS_CLIENT_CA_FILE("http-tls-client-ca-file", null, "",
        "PEM CA certificates that HTTP clients' certificates must chain to; set, clients must present one"),
    PARTIAL_PERSIST("partial-persist", null, "merge",
        "records naming only some features of a group: merge (keep the others' stored values) or reset (write"
            + " their registry defaults, as the reference does), as for serve");

    final String key;
    final @Nullable String referenceEnv;
    final @Nullable String defaultValue;
    final String description;

    Option(String key, @Nullable String referenceEnv, @Nullable String defaultValue, String description) {
      this.key = key;
      this.referenceEnv = referenceEnv;
      this.defaultValue = defaultValue;
      this.description = description;
    }

    public String key() {
      return key;
    }

    public String envName() {
      return "ONFS_CONSUME_" + name();
    }

    public @Nullable String referenceEnvName() {
      return referenceEnv == null ? null : "KAFKA_CONSUMERS_FEATURE_CONSUMER_" + referenceEnv;
    }

    public @Nullable String defaultValue() {
      return defaultValue;
    }

    public String description() {
      return description;
    }
  }

  /** Config file and flag prefix of settings passed to the storage adapter, as for serve. */
  public static final String STORE_SETTINGS_PREFIX = "store-settings.";

  private final Map<Option, String> values;
  private final Map<String, String> kafkaProperties;
  private final Map<String, String> storeSettings;

  private ConsumeConfig(Map<Option, String> values, Map<String, String> kafkaProperties, Map<String, String> storeSettings) {
    this.values = values;
    this.kafkaProperties = kafkaProperties;
    this.storeSettings = storeSettings;
  }

  /**
   * Resolves every option.
   *
   * @param flags values given on the command line, by option
   * @param env the process environment
   * @param file the config file's entries (dash-case keys; {@code kafka.<property>} entries are passed
   *     to the Kafka clients)
   * @param kafkaFlags {@code --kafka-property} values
   * @param storeFlags {@code --store-setting} values
   */
  public static ConsumeConfig resolve(
      Map<Option, String> flags,
      Map<String, String> env,
      Map<String, String> file,
      Map<String, String> kafkaFlags,
      Map<String, String> storeFlags) {
    Map<Option, String> values = new LinkedHashMap<>();
    for (Option o : Option.values()) {
      String v = flags.get(o);
      if (v == null) {
        v = env.get(o.envName());
      }
      if (v == null && o.referenceEnvName() != null) {
        v = env.get(o.referenceEnvName());
      }
      if (v == null) {
        v = file.get(o.key);
      }
      if (v == null) {
        v = o.defaultValue;
      }
      if (v == null) {
        throw new IllegalArgumentException(
            "--" + o.key + " is required (or " + o.envName() + ", or '" + o.key + "' in the config file)");
      }
      values.put(o, v.trim());
    }
    for (String unknown : file.keySet()) {
      if (!unknown.startsWith("kafka.") && !unknown.startsWith(STORE_SETTINGS_PREFIX) && List.of(Option.values()).stream().noneMatch(o -> o.key.equals(unknown))) {
        throw new IllegalArgumentException("unknown config file key '" + unknown + "'");
      }
    }
    Map<String, String> kafka = new LinkedHashMap<>();
    file.forEach((k, v) -> {
      if (k.startsWith("kafka.")) {
        kafka.put(k.substring("kafka.".length()), v.trim());
      }
    });
    kafka.putAll(kafkaFlags);
    Map<String, String> store = new LinkedHashMap<>();
    file.forEach((k, v) -> {
      if (k.startsWith(STORE_SETTINGS_PREFIX)) {
        store.put(k.substring(STORE_SETTINGS_PREFIX.length()), v.trim());
      }
    });
    store.putAll(storeFlags);
    ConsumeConfig config = new ConsumeConfig(values, kafka, store);
    config.settings(); // validate eagerly
    config.concurrency();
    config.partialPersist();
    config.connectTimeout();
    config.httpPort();
    config.httpTls();
    return config;
  }

  public String get(Option option) {
    return requireNonNull(values.get(option));
  }

  /** Settings for the storage adapter named by {@link Option#STORE}. */
  public Map<String, String> storeSettings() {
    return storeSettings;
  }

  public int concurrency() {
    return positiveInt(Option.CONCURRENCY);
  }

  /** What persists do with the features of a group that a record does not name. */
  public PartialPersist partialPersist() {
    try {
      return ServerConfig.partialPersist(get(Option.PARTIAL_PERSIST));
    } catch (OnfsException e) {
      throw new IllegalArgumentException("--partial-persist must be merge or reset: '" + get(Option.PARTIAL_PERSIST) + "'", e);
    }
  }

  /** {@code log-format}: text or json lines on standard error. */
  public LogFormat logFormat() {
    return LogFormat.parse(get(Option.LOG_FORMAT), "log-format");
  }

  public Duration metricsLogInterval() {
    return Duration.ofSeconds(nonNegativeInt(Option.METRICS_LOG_INTERVAL_S));
  }

  /** The consumer settings these values describe. */
  public ConsumerSettings settings() {
    ConsumerSettings.Builder b = ConsumerSettings.builder()
        .bootstrapServers(get(Option.BOOTSTRAP_SERVERS))
        .topic(get(Option.TOPIC))
        .groupId(get(Option.GROUP_ID))
        .clientId(get(Option.CLIENT_ID))
        .sessionTimeout(Duration.ofMillis(positiveInt(Option.SESSION_TIMEOUT_MS)))
        .deadLetterTopic(get(Option.DLQ_TOPIC))
        .maxPollRecords(positiveInt(Option.MAX_POLL_RECORDS))
        .pollTimeout(Duration.ofMillis(positiveInt(Option.POLL_TIMEOUT_MS)))
        .writeBatchRows(positiveInt(Option.WRITE_BATCH_ROWS))
        .autoOffsetReset(get(Option.AUTO_OFFSET_RESET).toLowerCase(Locale.ROOT))
        .backoff(new Backoff(
            Duration.ofMillis(positiveInt(Option.BACKOFF_INITIAL_MS)),
            Duration.ofMillis(positiveInt(Option.BACKOFF_MAX_MS)),
            2.0));
    String instanceId = get(Option.GROUP_INSTANCE_ID);
    if (instanceId.equalsIgnoreCase("none")) {
      b.groupInstanceId(null);
    } else if (!instanceId.isEmpty()) {
      b.groupInstanceId(instanceId);
    }
    b.security(security());
    kafkaProperties.forEach(b::kafkaProperty);
    return b.build();
  }

  /** Protocol, SASL and TLS of the Kafka clients. */
  public KafkaSecurity security() {
    KafkaSecurity.Builder b = KafkaSecurity.builder()
        .protocol(get(Option.SECURITY_PROTOCOL))
        .mechanism(get(Option.SASL_MECHANISM))
        .tls(ClientTls.fromSettings("", null, get(Option.TLS_CA_FILE), get(Option.TLS_CERT_FILE),
            get(Option.TLS_KEY_FILE)));
    String user = get(Option.SASL_USERNAME);
    String password = Secrets.password("sasl-password", emptyToNull(Option.SASL_PASSWORD),
        get(Option.SASL_PASSWORD_FILE));
    if (user.isEmpty() && password != null) {
      throw new IllegalArgumentException("--sasl-password is set without --sasl-username");
    }
    if (!user.isEmpty()) {
      if (password == null) {
        throw new IllegalArgumentException("--sasl-username is set without --sasl-password or --sasl-password-file");
      }
      b.credentials(user, password);
    }
    return b.build();
  }

  /** The HTTP port; 0 picks a free one. */
  public int httpPort() {
    int port = nonNegativeInt(Option.HTTP_PORT);
    if (port > 65535) {
      throw new IllegalArgumentException("--http-port must be a port between 0 and 65535: " + port);
    }
    return port;
  }

  /** TLS of the HTTP port, {@link TlsConfig#DISABLED} unless a certificate is set. */
  public TlsConfig httpTls() {
    Path cert = path(Option.HTTP_TLS_CERT_FILE);
    Path key = path(Option.HTTP_TLS_KEY_FILE);
    Path clientCa = path(Option.HTTP_TLS_CLIENT_CA_FILE);
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(cert == null
          ? "--http-tls-key-file is set but --http-tls-cert-file is not; TLS needs both"
          : "--http-tls-cert-file is set but --http-tls-key-file is not; TLS needs both");
    }
    if (cert == null) {
      if (clientCa != null) {
        throw new IllegalArgumentException("--http-tls-client-ca-file needs TLS: set --http-tls-cert-file and"
            + " --http-tls-key-file");
      }
      return TlsConfig.DISABLED;
    }
    return new TlsConfig(cert, key, clientCa,
        clientCa == null ? TlsConfig.ClientAuth.NONE : TlsConfig.ClientAuth.REQUIRE, true, false,
        Duration.ofSeconds(5));
  }

  private @Nullable Path path(Option option) {
    String value = get(option);
    return value.isEmpty() ? null : Path.of(value);
  }

  /** How long the startup check waits for Kafka; zero skips it. */
  public Duration connectTimeout() {
    return Duration.ofMillis(nonNegativeInt(Option.CONNECT_TIMEOUT_MS));
  }

  /** User, password and TLS of the etcd registry (registry=etcd). */
  public EtcdRegistries.Access etcdAccess() {
    return new EtcdRegistries.Access(emptyToNull(Option.ETCD_USER), emptyToNull(Option.ETCD_PASSWORD),
        emptyToNull(Option.ETCD_PASSWORD_FILE), emptyToNull(Option.ETCD_TLS_CA_FILE),
        emptyToNull(Option.ETCD_TLS_CERT_FILE), emptyToNull(Option.ETCD_TLS_KEY_FILE));
  }

  private @Nullable String emptyToNull(Option option) {
    String value = get(option);
    return value.isEmpty() ? null : value;
  }

  /** Never prints a password. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("ConsumeConfig[");
    values.forEach((option, value) -> out.append(option.key).append('=')
        .append(option == Option.SASL_PASSWORD || option == Option.ETCD_PASSWORD
            ? Secrets.mask(value.isEmpty() ? null : value) : value).append(", "));
    return out.append("kafka=").append(kafkaProperties.keySet()).append(", store-settings=")
        .append(storeSettings.keySet()).append(']').toString();
  }

  private int positiveInt(Option o) {
    int v = nonNegativeInt(o);
    if (v < 1) {
      throw new IllegalArgumentException("--" + o.key + " must be >= 1: " + v);
    }
    return v;
  }

  private int nonNegativeInt(Option o) {
    String raw = get(o);
    // The reference's POLL_TIMEOUT may carry a Go duration suffix such as "1000ms".
    String digits = raw.endsWith("ms") ? raw.substring(0, raw.length() - 2) : raw;
    try {
      int v = Integer.parseInt(digits);
      if (v < 0) {
        throw new IllegalArgumentException("--" + o.key + " must not be negative: " + raw);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + o.key + " is not an integer: '" + raw + "'", e);
    }
  }
}
