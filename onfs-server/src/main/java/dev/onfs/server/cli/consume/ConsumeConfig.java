package dev.onfs.server.cli.consume;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.serving.PartialPersist;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.Secrets;
import dev.onfs.ingest.kafka.Backoff;
import dev.onfs.ingest.kafka.ConsumerSettings;
import dev.onfs.ingest.kafka.KafkaSecurity;
import dev.onfs.core.config.OptionSet;
import dev.onfs.core.config.OptionType;
import dev.onfs.core.config.OptionValues;
import dev.onfs.server.Backends;
import dev.onfs.server.EtcdRegistries;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.logging.LogFormat;
import dev.onfs.server.tls.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The resolved configuration of {@code onfs consume}. Each option is declared once, in {@link
 * Option} (the options {@code serve} shares are {@link Backends}', {@link EtcdRegistries}' and
 * {@link ServerConfig}'s declarations); a value comes from, in order: the command-line flag, the
 * environment variable {@code ONFS_CONSUME_<NAME>}, the reference's {@code
 * KAFKA_CONSUMERS_FEATURE_CONSUMER_<NAME>} variable (so a reference consumer deployment's environment
 * works unchanged), the config file, the default.
 */
public final class ConsumeConfig {
  private static final String REFERENCE_ENV = "KAFKA_CONSUMERS_FEATURE_CONSUMER_";

  /** Every option: its declaration, whose name is the flag without {@code --} and the config file key. */
  public enum Option {
    BOOTSTRAP_SERVERS(declare("bootstrap-servers", OptionType.text(), null, "Kafka bootstrap servers").required()
        .alsoFromEnv(REFERENCE_ENV + "BOOTSTRAP_SERVERS")),
    TOPIC(declare("topic", OptionType.text(), ConsumerSettings.DEFAULT_TOPIC, "topic of persist.Query records")
        .alsoFromEnv(REFERENCE_ENV + "TOPIC")),
    GROUP_ID(declare("group-id", OptionType.text(), "onfs-consumer", "consumer group")
        .alsoFromEnv(REFERENCE_ENV + "GROUP_ID")),
    CLIENT_ID(declare("client-id", OptionType.text(), "onfs-consumer", "client id prefix; each consumer appends -<i>")
        .alsoFromEnv(REFERENCE_ENV + "CLIENT_ID")),
    GROUP_INSTANCE_ID(declare("group-instance-id", OptionType.text(), "",
        "static membership id prefix (Kafka group.instance.id), unique per process and stable across its restarts;"
            + " each consumer appends -<i>. Empty: <host name>-<client-id>-<i>; none: dynamic membership")),
    SESSION_TIMEOUT_MS(declare("session-timeout-ms", OptionType.millis(1), "30000",
        "Kafka session.timeout.ms: how long a consumer gone for good keeps its partitions (and a restarting one may"
            + " be away)")),
    DLQ_TOPIC(declare("dlq-topic", OptionType.text(), "", "dead-letter topic; empty logs, counts and skips invalid"
        + " records")),
    CONCURRENCY(declare("concurrency", OptionType.positive(), "1", "consumers (threads) in this process")
        .alsoFromEnv(REFERENCE_ENV + "LISTENER_CONCURRENCY")),
    MAX_POLL_RECORDS(declare("max-poll-records", OptionType.positive(), "2000", "records per poll batch")
        .alsoFromEnv(REFERENCE_ENV + "BATCH_SIZE")),
    POLL_TIMEOUT_MS(declare("poll-timeout-ms", OptionType.millis(1), "500",
        "poll timeout in milliseconds (a trailing ms is accepted)").alsoFromEnv(REFERENCE_ENV + "POLL_TIMEOUT")),
    WRITE_BATCH_ROWS(declare("write-batch-rows", OptionType.positive(), "10000", "rows per store write; larger poll"
        + " batches take a few writes. Keep it at most the store's max-keys-per-request (10,000), which refuses"
        + " larger writes")),
    AUTO_OFFSET_RESET(declare("auto-offset-reset", OptionType.text(), "earliest", "earliest, latest or none")
        .alsoFromEnv(REFERENCE_ENV + "AUTO_OFFSET_RESET")),
    BACKOFF_INITIAL_MS(declare("backoff-initial-ms", OptionType.millis(1), "100",
        "first retry delay while the store is down")),
    BACKOFF_MAX_MS(declare("backoff-max-ms", OptionType.millis(1), "10000", "bound on any retry delay")),
    SECURITY_PROTOCOL(declare("security-protocol", OptionType.text(), "",
        "Kafka security.protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (default: SSL or SASL_SSL with TLS"
            + " settings, else PLAINTEXT)").alsoFromEnv(REFERENCE_ENV + "SECURITY_PROTOCOL")),
    SASL_MECHANISM(declare("sasl-mechanism", OptionType.text(), "",
        "Kafka sasl.mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (others: a kafka-property sasl.mechanism with"
            + " your own sasl.jaas.config)").alsoFromEnv(REFERENCE_ENV + "SASL_MECHANISM")),
    SASL_USERNAME(declare("sasl-username", OptionType.text(), "", "SASL PLAIN/SCRAM user (a JAAS config is built,"
        + " values escaped)").alsoFromEnv(REFERENCE_ENV + "SASL_USERNAME")),
    SASL_PASSWORD(declare("sasl-password", OptionType.text(), "",
        "SASL password (sensitive: prefer the environment or a file)").secret()
        .alsoFromEnv(REFERENCE_ENV + "SASL_PASSWORD")),
    SASL_PASSWORD_FILE(declare("sasl-password-file", OptionType.text(), "", "file holding the SASL password")),
    TLS_CA_FILE(declare("tls-ca-file", OptionType.text(), "",
        "PEM CA certificates to trust for Kafka (ssl.truststore.type=PEM; default: the JDK's)")),
    TLS_CERT_FILE(declare("tls-cert-file", OptionType.text(), "",
        "PEM client certificate for Kafka (with tls-key-file), for ssl.client.auth=required")),
    TLS_KEY_FILE(declare("tls-key-file", OptionType.text(), "", "unencrypted PKCS#8 PEM key of tls-cert-file")),
    CONNECT_TIMEOUT_MS(declare("connect-timeout-ms", OptionType.millis(0), "30000",
        "how long the startup check waits for a broker to answer with these settings; 0 skips the check")),
    STORE(Backends.STORE),
    REGISTRY(Backends.REGISTRY),
    REGISTRY_FILE(Backends.REGISTRY_FILE),
    DISTRIBUTED_CACHE_LEASE_MS(Backends.DISTRIBUTED_CACHE_LEASE_MS),
    ETCD_ENDPOINTS(EtcdRegistries.ENDPOINTS),
    ETCD_USER(EtcdRegistries.USER),
    ETCD_PASSWORD(EtcdRegistries.PASSWORD),
    ETCD_PASSWORD_FILE(EtcdRegistries.PASSWORD_FILE),
    ETCD_TLS_CA_FILE(EtcdRegistries.TLS_CA_FILE),
    ETCD_TLS_CERT_FILE(EtcdRegistries.TLS_CERT_FILE),
    ETCD_TLS_KEY_FILE(EtcdRegistries.TLS_KEY_FILE),
    APP_NAME(EtcdRegistries.APP_NAME),
    METRICS_LOG_INTERVAL_S(declare("metrics-log-interval-s", OptionType.seconds(), "60",
        "seconds between metric log lines; 0 disables")),
    LOG_FORMAT(ServerConfig.LOG_FORMAT),
    BIND_ADDRESS(declare("bind-address", OptionType.text(), "127.0.0.1",
        "address of the HTTP port (/metrics, /health/live, /health/ready); 0.0.0.0 for every interface, as a pod"
            + " needs for its probes")),
    HTTP_PORT(declare("http-port", OptionType.port(), "8091",
        "HTTP port for /metrics (Prometheus), /health/live and /health/ready; 0 picks a free port")),
    HTTP_TLS_CERT_FILE(declare("http-tls-cert-file", OptionType.text(), "",
        "PEM certificate chain (leaf first) the HTTP port presents; with http-tls-key-file, turns TLS on (files"
            + " reloaded when they change)")),
    HTTP_TLS_KEY_FILE(declare("http-tls-key-file", OptionType.text(), "", "PEM PKCS#8 key of http-tls-cert-file")),
    HTTP_TLS_CLIENT_CA_FILE(declare("http-tls-client-ca-file", OptionType.text(), "",
        "PEM CA certificates that HTTP clients' certificates must chain to; set, clients must present one")),
    PARTIAL_PERSIST(ServerConfig.PARTIAL_PERSIST);

    final dev.onfs.core.config.Option<?> declaration;

    Option(dev.onfs.core.config.Option<?> declaration) {
      this.declaration = declaration;
    }

    private static <T> dev.onfs.core.config.Option<T> declare(String name, OptionType<T> type,
        @Nullable String defaultValue, String description) {
      return dev.onfs.core.config.Option.of(name, type, defaultValue, description);
    }

    public String key() {
      return declaration.name();
    }

    public String envName() {
      return OPTION_SET.envName(key());
    }

    public @Nullable String referenceEnvName() {
      return declaration.aliases().isEmpty() ? null : declaration.aliases().get(0);
    }

    /** The default's text, empty when there is none; null for a required option. */
    public @Nullable String defaultValue() {
      String value = declaration.defaultValue();
      return value == null && !declaration.isRequired() ? "" : value;
    }

    public String description() {
      return declaration.description();
    }
  }

  /** Config file and flag prefix of settings passed to the storage adapter, as for serve. */
  public static final String STORE_SETTINGS_PREFIX = Backends.STORE_SETTINGS_PREFIX;
  private static final String KAFKA_PREFIX = "kafka.";

  /** Every option of {@code onfs consume}; errors name an option by its flag. */
  public static final OptionSet OPTION_SET = optionSet();

  private static OptionSet optionSet() {
    OptionSet.Builder set = OptionSet.builder("onfs consume")
        .naming("--%s", "config file key")
        .environment("ONFS_CONSUME_", false)
        .family(KAFKA_PREFIX, "Kafka client properties (flag --kafka-property name=value), applied after the options")
        .family(STORE_SETTINGS_PREFIX, Backends.STORE_SETTINGS_DESCRIPTION + "; flag --store-setting key=value")
        .family(Backends.DISTRIBUTED_CACHE_PREFIX, Backends.DISTRIBUTED_CACHE_DESCRIPTION
            + " (config file or environment); the consumer's writes drop what they change from it");
    for (Option option : Option.values()) {
      set.add(option.declaration);
    }
    return set.build();
  }

  private final OptionValues values;

  private ConsumeConfig(OptionValues values) {
    this.values = values;
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
    Map<String, String> commandLine = new LinkedHashMap<>();
    flags.forEach((option, value) -> commandLine.put(option.key(), value));
    kafkaFlags.forEach((name, value) -> commandLine.put(KAFKA_PREFIX + name, value));
    storeFlags.forEach((name, value) -> commandLine.put(STORE_SETTINGS_PREFIX + name, value));
    ConsumeConfig config = new ConsumeConfig(OPTION_SET.resolve(OptionSet.Source.of("config file", file),
        OPTION_SET.environment(env), OptionSet.Source.of(null, commandLine)));
    config.settings(); // validate what only shows when options are read together
    config.httpTls();
    return config;
  }

  /** The option's text: as given, else its default, else empty. */
  public String get(Option option) {
    String text = values.text(option.declaration);
    return text == null ? "" : text;
  }

  /** Settings for the storage adapter named by {@link Option#STORE}. */
  public Map<String, String> storeSettings() {
    return values.family(STORE_SETTINGS_PREFIX);
  }

  /** The store and registry to open, as for {@code serve}. */
  public Backends.Selection backends() {
    return Backends.Selection.from(values);
  }

  public int concurrency() {
    return values.require(intOption(Option.CONCURRENCY));
  }

  /** What persists do with the features of a group that a record does not name. */
  public PartialPersist partialPersist() {
    return values.require(ServerConfig.PARTIAL_PERSIST);
  }

  /** {@code log-format}: text or json lines on standard error. */
  public LogFormat logFormat() {
    return values.require(ServerConfig.LOG_FORMAT);
  }

  public Duration metricsLogInterval() {
    return duration(Option.METRICS_LOG_INTERVAL_S);
  }

  /** The consumer settings these values describe. */
  public ConsumerSettings settings() {
    ConsumerSettings.Builder b = ConsumerSettings.builder()
        .bootstrapServers(get(Option.BOOTSTRAP_SERVERS))
        .topic(get(Option.TOPIC))
        .groupId(get(Option.GROUP_ID))
        .clientId(get(Option.CLIENT_ID))
        .sessionTimeout(duration(Option.SESSION_TIMEOUT_MS))
        .deadLetterTopic(get(Option.DLQ_TOPIC))
        .maxPollRecords(values.require(intOption(Option.MAX_POLL_RECORDS)))
        .pollTimeout(duration(Option.POLL_TIMEOUT_MS))
        .writeBatchRows(values.require(intOption(Option.WRITE_BATCH_ROWS)))
        .autoOffsetReset(get(Option.AUTO_OFFSET_RESET).toLowerCase(Locale.ROOT))
        .backoff(new Backoff(
            duration(Option.BACKOFF_INITIAL_MS),
            duration(Option.BACKOFF_MAX_MS),
            2.0));
    String instanceId = get(Option.GROUP_INSTANCE_ID);
    if (instanceId.equalsIgnoreCase("none")) {
      b.groupInstanceId(null);
    } else if (!instanceId.isEmpty()) {
      b.groupInstanceId(instanceId);
    }
    b.security(security());
    values.family(KAFKA_PREFIX).forEach((name, value) -> b.kafkaProperty(name, value.trim()));
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
    return values.require(intOption(Option.HTTP_PORT));
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
    return duration(Option.CONNECT_TIMEOUT_MS);
  }

  private @Nullable String emptyToNull(Option option) {
    String value = get(option);
    return value.isEmpty() ? null : value;
  }

  /** Never prints a password. */
  @Override
  public String toString() {
    return "ConsumeConfig" + values;
  }

  @SuppressWarnings("unchecked")
  private static dev.onfs.core.config.Option<Integer> intOption(Option option) {
    return (dev.onfs.core.config.Option<Integer>) option.declaration;
  }

  @SuppressWarnings("unchecked")
  private Duration duration(Option option) {
    return values.require((dev.onfs.core.config.Option<Duration>) option.declaration);
  }
}
