package dev.onfs.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.Limits;
import dev.onfs.core.serving.PartialPersist;
import dev.onfs.core.config.Option;
import dev.onfs.core.config.OptionSet;
import dev.onfs.core.config.OptionType;
import dev.onfs.core.config.OptionValues;
import dev.onfs.server.logging.LogFormat;
import dev.onfs.server.logging.LogOptions;
import dev.onfs.server.tls.TlsConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Settings of {@code onfs serve}. Each option is declared once in {@link #OPTION_SET} (options
 * that {@code consume} shares are declared by {@link Backends}, {@link EtcdRegistries} or here, and
 * used by both); values come from,
 * in increasing precedence, the defaults, a YAML file, {@code ONFS_*} environment variables and
 * command-line flags. Environment names are the option names upper-cased with {@code -} as {@code _}
 * and {@code .} as {@code __}: {@code grpc-port} is {@code ONFS_GRPC_PORT}, {@code store-settings.host}
 * is {@code ONFS_STORE_SETTINGS__HOST}.
 */
public record ServerConfig(
    String bindAddress,
    int grpcPort,
    int httpPort,
    int maxInboundMessageBytes,
    Duration shutdownGrace,
    String store,
    Map<String, String> storeSettings,
    String registry,
    @Nullable String registryFile,
    @Nullable String etcdEndpoints,
    String appName,
    long nearCacheBytes,
    boolean demo,
    String grpcExecutor,
    int grpcEventLoopThreads,
    int grpcCallThreads,
    int maxConcurrentCalls,
    int maxConcurrentCallsPerCaller,
    Limits limits,
    Duration readyStoreTimeout,
    PartialPersist partialPersist,
    EtcdRegistries.Access etcdAccess,
    boolean authReadersMayPersist,
    TlsConfig tls,
    ControlPlaneOptions controlPlane,
    LogOptions logging,
    Map<String, String> distributedCaches,
    int distributedCacheLeaseMillis) {

  /**
   * Hosting the control plane's API on the HTTP port.
   *
   * @param enabled {@code control-plane}
   * @param store {@code control-plane-store}: {@code dir} or {@code etcd}
   * @param dir {@code control-plane-dir}: the state directory of the {@code dir} store
   * @param sessionSecret {@code control-plane-session-secret}, or null
   * @param sessionSecretFile {@code control-plane-session-secret-file}, or null
   */
  public record ControlPlaneOptions(boolean enabled, String store, @Nullable String dir, @Nullable String sessionSecret,
      @Nullable String sessionSecretFile) {
    public ControlPlaneOptions {
      requireNonNull(store, "store is null");
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
      return "ControlPlaneOptions[enabled=" + enabled + ", store=" + store + ", dir=" + dir + ", sessionSecret="
          + (sessionSecret == null ? "none" : "(hidden)") + ", sessionSecretFile=" + sessionSecretFile + "]";
    }
  }

  /** {@link #grpcExecutor()} value: calls run on the Netty event loop that read them. */
  public static final String EXECUTOR_DIRECT = "direct";
  /** {@link #grpcExecutor()} value: calls run on a thread pool (gRPC's default). */
  public static final String EXECUTOR_POOL = "pool";

  public static final String STORE_SETTINGS_PREFIX = Backends.STORE_SETTINGS_PREFIX;

  private static final Option<String> BIND_ADDRESS = Option.of("bind-address", OptionType.text(), "127.0.0.1",
      "address the gRPC and HTTP ports listen on; loopback unless set (0.0.0.0 listens on every interface; see"
          + " security.md). serve --demo logs a warning when it listens beyond loopback, because the demo's callers"
          + " are public");
  private static final Option<Integer> GRPC_PORT = Option.of("grpc-port", OptionType.port(), "8089",
      "gRPC port (the reference's default); 0 picks a free port");
  private static final Option<Integer> HTTP_PORT = Option.of("http-port", OptionType.port(), "8090",
      "HTTP port for /health/live, /health/ready and /metrics (Prometheus); 0 picks a free port");
  private static final Option<Integer> MAX_INBOUND_MESSAGE_SIZE = Option.of("max-inbound-message-size",
      OptionType.positive(), "4194304", "largest gRPC request accepted, in bytes; a larger one fails with"
          + " RESOURCE_EXHAUSTED");
  private static final Option<Duration> SHUTDOWN_GRACE = Option.of("shutdown-grace", OptionType.duration(), "20s",
      "how long shutdown waits for in-flight calls (e.g. 500ms, 20s, 1m)");
  private static final Option<Long> NEAR_CACHE_BYTES = Option.of("near-cache-bytes",
      OptionType.longInteger(0, Long.MAX_VALUE), "0", "near-cache bound in bytes; 0 disables it");
  private static final Option<Boolean> DEMO = Option.of("demo", OptionType.bool(), "false",
      "run self-contained: in-memory store, the bundled demo registry and sample rows");
  private static final Option<String> GRPC_EXECUTOR = Option.of("grpc-executor",
      OptionType.oneOf(EXECUTOR_DIRECT, EXECUTOR_POOL), EXECUTOR_POOL,
      "where calls run: pool (a fixed pool of grpc-call-threads) or direct (on the network thread that read them:"
          + " two thread hand-offs fewer per call, the faster choice for stores that answer in about a millisecond,"
          + " e.g. Redis or memory; a call that blocks holds up the other calls of its network thread)");
  private static final Option<Integer> GRPC_EVENT_LOOP_THREADS = Option.of("grpc-event-loop-threads",
      OptionType.integer(0, 1024), "0",
      "network threads of the gRPC server; 0 shares gRPC's default group (two per core). With"
          + " grpc-executor=direct a call waiting for its store holds its thread, so more threads than cores"
          + " keep the cores busy (performance.md)");
  private static final Option<Integer> GRPC_CALL_THREADS = Option.of("grpc-call-threads",
      OptionType.integer(1, 4096), "32",
      "threads running calls with grpc-executor=pool: a fixed pool, so a slow store cannot make the server"
          + " start a thread per waiting call");
  private static final Option<Integer> MAX_CONCURRENT_CALLS = Option.of("max-concurrent-calls",
      OptionType.positive(), "128",
      "retrieve and persist calls in flight at once; one more fails at once with RESOURCE_EXHAUSTED. Calls past"
          + " grpc-call-threads wait for a thread");
  private static final Option<Integer> MAX_CONCURRENT_CALLS_PER_CALLER = Option.of("max-concurrent-calls-per-caller",
      OptionType.nonNegative(), "0",
      "calls in flight at once for one caller id (online-feature-store-caller-id); 0: no bound of its own");
  private static final Option<Integer> MAX_KEYS_PER_REQUEST = Option.of("max-keys-per-request", OptionType.positive(),
      Integer.toString(Limits.DEFAULT_MAX_KEYS_PER_REQUEST),
      "key rows of a retrieve, data rows of a persist; more fail with RESOURCE_EXHAUSTED");
  private static final Option<Integer> MAX_KEY_BYTES = Option.of("max-key-bytes", OptionType.positive(),
      Integer.toString(Limits.DEFAULT_MAX_KEY_BYTES),
      "UTF-8 bytes of one key value; a longer one fails with INVALID_ARGUMENT");
  private static final Option<Integer> MAX_FEATURE_GROUPS_PER_REQUEST = Option.of("max-feature-groups-per-request",
      OptionType.positive(), Integer.toString(Limits.DEFAULT_MAX_FEATURE_GROUPS_PER_REQUEST),
      "feature groups listed in one request; more fail with RESOURCE_EXHAUSTED");
  private static final Option<Integer> MAX_FEATURES_PER_REQUEST = Option.of("max-features-per-request",
      OptionType.positive(), Integer.toString(Limits.DEFAULT_MAX_FEATURES_PER_REQUEST),
      "feature labels listed in one request over all its groups; more fail with RESOURCE_EXHAUSTED");
  private static final Option<Long> MAX_CELLS_PER_REQUEST = Option.of("max-cells-per-request",
      OptionType.longInteger(1, Long.MAX_VALUE), Long.toString(Limits.DEFAULT_MAX_CELLS_PER_REQUEST),
      "keys x features of one request; more fail with RESOURCE_EXHAUSTED");
  private static final Option<Duration> READY_STORE_TIMEOUT = Option.of("ready-store-timeout",
      OptionType.positiveDuration(), "250ms",
      "how long a readiness check waits for each store to answer a ping; a store slower than this is reported"
          + " down (/health/ready 503, gRPC health NOT_SERVING)");
  /** {@code partial-persist}, which {@code consume} takes too. */
  public static final Option<PartialPersist> PARTIAL_PERSIST = Option.of("partial-persist",
      OptionType.lowerCaseEnum(PartialPersist.class), "merge",
      "a persist naming only some features of a group: merge (keep the others' stored values; one store read"
          + " and a conditional write per such persist) or reset (write their registry defaults, as the"
          + " reference does)");
  private static final Option<Boolean> AUTH_READERS_MAY_PERSIST = Option.of("auth-readers-may-persist",
      OptionType.bool(), "false",
      "let registered readers call PersistFeatures too, as the reference does (compatibility switch; by default"
          + " persisting needs a registered writer)");
  private static final Option<String> TLS_CERT_FILE = Option.of("tls-cert-file", OptionType.text(), null,
      "PEM certificate chain (leaf first) the gRPC and HTTP ports present; with tls-key-file, turns TLS on."
          + " Re-read when it changes");
  private static final Option<String> TLS_KEY_FILE = Option.of("tls-key-file", OptionType.text(), null,
      "PEM private key of tls-cert-file, unencrypted PKCS#8 (BEGIN PRIVATE KEY)");
  private static final Option<String> TLS_CLIENT_CA_FILE = Option.of("tls-client-ca-file", OptionType.text(), null,
      "PEM CA certificates client certificates must chain to; setting it turns on mutual TLS"
          + " (tls-client-auth require unless set otherwise)");
  private static final Option<String> TLS_CLIENT_AUTH = Option.of("tls-client-auth",
      OptionType.oneOf("none", "optional", "require"), null,
      "none, optional or require: whether clients must present a certificate signed by tls-client-ca-file;"
          + " default require when tls-client-ca-file is set, none otherwise");
  private static final Option<Boolean> TLS_CLIENT_CERT_IDENTITY = Option.of("tls-client-cert-identity",
      OptionType.bool(), "false",
      "a call without a token is authenticated by its client certificate: the subject CN must name a"
          + " registered caller (needs tls-client-ca-file)");
  private static final Option<Boolean> HTTP_TLS = Option.of("http-tls", OptionType.bool(), "true",
      "the HTTP port uses TLS (same certificate and client authentication) when TLS is on; false keeps it"
          + " plain, e.g. for probes that cannot present a client certificate");
  private static final Option<Duration> TLS_RELOAD_PERIOD = Option.of("tls-reload-period", OptionType.duration(),
      "5s", "how often the TLS files are checked for changes");
  private static final Option<Boolean> CONTROL_PLANE = Option.of("control-plane", OptionType.bool(), "false",
      "host the control plane's REST API under /api/ and the web console under /console/ on the HTTP port"
          + " (--demo turns it on; control-plane.md)");
  private static final Option<String> CONTROL_PLANE_STORE = Option.of("control-plane-store",
      OptionType.oneOf("dir", "etcd"), "dir", "where the control plane keeps its state: dir (control-plane-dir;"
          + " publishes the registry to registry-file, which serve reloads) or etcd (etcd-endpoints, app-name, and the"
          + " etcd-user, etcd-password and etcd-tls-* options the registry uses)");
  private static final Option<String> CONTROL_PLANE_DIR = Option.of("control-plane-dir", OptionType.text(), null,
      "state directory of control-plane-store=dir");
  private static final Option<String> CONTROL_PLANE_SESSION_SECRET = Option.of("control-plane-session-secret",
      OptionType.verbatim(), null, "key that session tokens are hashed with, at least 32 bytes (better from"
          + " ONFS_CONTROL_PLANE_SESSION_SECRET or a file); never printed").secret();
  private static final Option<String> CONTROL_PLANE_SESSION_SECRET_FILE = Option.of(
      "control-plane-session-secret-file", OptionType.text(), null, "file holding the session secret");
  /** {@code log-format}, which {@code consume} takes too. */
  public static final Option<LogFormat> LOG_FORMAT = Option.of("log-format", OptionType.lowerCaseEnum(LogFormat.class),
      "text", "log lines on standard error: text (<time> <level> <logger> <message>, one line each) or json (one"
          + " object per line: ts, level, logger, thread, message, error with the stack trace; for log collectors)");
  private static final Option<Double> ACCESS_LOG_SAMPLE_RATE = Option.of("access-log-sample-rate",
      OptionType.fraction(), "0", "share of successful gRPC calls written to the access log (logger onfs.access),"
          + " 0 to 1; e.g. 0.01 logs one call in a hundred");
  private static final Option<Integer> ACCESS_LOG_ERRORS_PER_SECOND = Option.of("access-log-errors-per-second",
      OptionType.nonNegative(), "10", "most failed gRPC calls written to the access log per second (all of them up"
          + " to this; the number left out is on the next line, errors_not_logged); 0 logs none");

  /**
   * Every option of {@code onfs serve}. Environment variables are {@code ONFS_<NAME>}; one that names
   * no option stops the server, as an unknown key in the file does.
   */
  public static final OptionSet OPTION_SET = OptionSet.builder("onfs serve")
      .environment("ONFS_", true)
      .add(BIND_ADDRESS, GRPC_PORT, HTTP_PORT, MAX_INBOUND_MESSAGE_SIZE, SHUTDOWN_GRACE, Backends.STORE)
      .family(STORE_SETTINGS_PREFIX, Backends.STORE_SETTINGS_DESCRIPTION)
      .family(Backends.DISTRIBUTED_CACHE_PREFIX, Backends.DISTRIBUTED_CACHE_DESCRIPTION)
      .add(Backends.DISTRIBUTED_CACHE_LEASE_MS)
      .add(Backends.REGISTRY, Backends.REGISTRY_FILE)
      .addAll(EtcdRegistries.OPTIONS)
      .add(NEAR_CACHE_BYTES, DEMO, GRPC_EXECUTOR, GRPC_EVENT_LOOP_THREADS, GRPC_CALL_THREADS, MAX_CONCURRENT_CALLS,
          MAX_CONCURRENT_CALLS_PER_CALLER, MAX_KEYS_PER_REQUEST, MAX_KEY_BYTES, MAX_FEATURE_GROUPS_PER_REQUEST,
          MAX_FEATURES_PER_REQUEST, MAX_CELLS_PER_REQUEST, READY_STORE_TIMEOUT, PARTIAL_PERSIST,
          AUTH_READERS_MAY_PERSIST, TLS_CERT_FILE, TLS_KEY_FILE, TLS_CLIENT_CA_FILE, TLS_CLIENT_AUTH,
          TLS_CLIENT_CERT_IDENTITY, HTTP_TLS, TLS_RELOAD_PERIOD, CONTROL_PLANE, CONTROL_PLANE_STORE,
          CONTROL_PLANE_DIR, CONTROL_PLANE_SESSION_SECRET, CONTROL_PLANE_SESSION_SECRET_FILE, LOG_FORMAT,
          ACCESS_LOG_SAMPLE_RATE, ACCESS_LOG_ERRORS_PER_SECOND)
      .build();

  /** The options of {@link #OPTION_SET}, in the order the reference lists them. */
  public static final List<Option<?>> OPTIONS = OPTION_SET.options();

  public ServerConfig {
    requireNonNull(bindAddress, "bindAddress is null");
    requireNonNull(shutdownGrace, "shutdownGrace is null");
    requireNonNull(store, "store is null");
    storeSettings = Map.copyOf(requireNonNull(storeSettings, "storeSettings is null"));
    distributedCaches = Map.copyOf(requireNonNull(distributedCaches, "distributedCaches is null"));
    requireNonNull(registry, "registry is null");
    requireNonNull(appName, "appName is null");
    requireNonNull(grpcExecutor, "grpcExecutor is null");
    requireNonNull(partialPersist, "partialPersist is null");
    requireNonNull(etcdAccess, "etcdAccess is null");
    requireNonNull(limits, "limits is null");
    requireNonNull(readyStoreTimeout, "readyStoreTimeout is null");
    requireNonNull(controlPlane, "controlPlane is null");
    requireNonNull(tls, "tls is null");
    requireNonNull(logging, "logging is null");
  }

  /** The defaults alone. */
  public static ServerConfig defaults() {
    return fromMap(Map.of());
  }

  /**
   * Merges the layers (later wins) and parses them; errors name the option and the layer its value
   * came from.
   *
   * @param file a YAML file, or null
   * @param env the process environment (only {@code ONFS_*} entries are read)
   * @param flags option name to value, from the command line
   */
  public static ServerConfig load(@Nullable Path file, Map<String, String> env, Map<String, String> flags) {
    OptionSet.Source fromFile = OptionSet.Source.of("config file " + file, file == null ? Map.of() : readYaml(file));
    return from(OPTION_SET.resolve(fromFile, OPTION_SET.environment(env), OptionSet.Source.of(null, flags)));
  }

  /** Parses flat option values; unknown names and malformed values fail naming the option. */
  public static ServerConfig fromMap(Map<String, String> values) {
    return from(OPTION_SET.resolve(OptionSet.Source.of(null, values)));
  }

  private static ServerConfig from(OptionValues v) {
    Backends.Selection backends = Backends.Selection.from(v);
    return new ServerConfig(
        v.require(BIND_ADDRESS),
        v.require(GRPC_PORT),
        v.require(HTTP_PORT),
        v.require(MAX_INBOUND_MESSAGE_SIZE),
        v.require(SHUTDOWN_GRACE),
        backends.store(),
        backends.storeSettings(),
        backends.registry(),
        backends.registryFile(),
        backends.etcdEndpoints(),
        backends.appName(),
        v.require(NEAR_CACHE_BYTES),
        v.require(DEMO),
        v.require(GRPC_EXECUTOR),
        v.require(GRPC_EVENT_LOOP_THREADS),
        v.require(GRPC_CALL_THREADS),
        v.require(MAX_CONCURRENT_CALLS),
        v.require(MAX_CONCURRENT_CALLS_PER_CALLER),
        new Limits(
            v.require(MAX_KEYS_PER_REQUEST),
            v.require(MAX_KEY_BYTES),
            v.require(MAX_FEATURE_GROUPS_PER_REQUEST),
            v.require(MAX_FEATURES_PER_REQUEST),
            v.require(MAX_CELLS_PER_REQUEST)),
        v.require(READY_STORE_TIMEOUT),
        v.require(PARTIAL_PERSIST),
        backends.etcdAccess(),
        v.require(AUTH_READERS_MAY_PERSIST),
        tls(v),
        new ControlPlaneOptions(v.require(CONTROL_PLANE), v.require(CONTROL_PLANE_STORE), v.get(CONTROL_PLANE_DIR),
            v.get(CONTROL_PLANE_SESSION_SECRET), v.get(CONTROL_PLANE_SESSION_SECRET_FILE)),
        new LogOptions(v.require(LOG_FORMAT), v.require(ACCESS_LOG_SAMPLE_RATE), v.require(ACCESS_LOG_ERRORS_PER_SECOND)),
        backends.distributedCaches(),
        backends.distributedCacheLeaseMillis());
  }

  /** The store and registry these settings select, as {@link Backends#open} takes them. */
  public Backends.Selection backends() {
    return new Backends.Selection(store, storeSettings, registry, registryFile, etcdEndpoints, appName, etcdAccess,
        distributedCaches, distributedCacheLeaseMillis);
  }

  /** Whether the ports listen on a loopback address only. */
  public boolean loopbackOnly() {
    try {
      return java.net.InetAddress.getByName(bindAddress).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /**
   * Every setting with its value, except that secrets are masked: store settings and components whose
   * names say they hold one ({@link OptionSet#looksSecret}). Config dumps and error messages use this form.
   */
  @Override
  public String toString() {
    StringJoiner out = new StringJoiner(", ", "ServerConfig[", "]");
    for (RecordComponent component : ServerConfig.class.getRecordComponents()) {
      Object value;
      try {
        value = component.getAccessor().invoke(this);
      } catch (ReflectiveOperationException e) {
        value = "?";
      }
      if (value instanceof Map<?, ?> settings) {
        Map<String, Object> masked = new TreeMap<>();
        settings.forEach((key, v) -> masked.put(key.toString(), OptionSet.looksSecret(key.toString()) ? "****" : v));
        value = masked;
      } else if (value != null && OptionSet.looksSecret(component.getName())) {
        value = "****";
      }
      out.add(component.getName() + "=" + value);
    }
    return out.toString();
  }

  private static TlsConfig tls(OptionValues v) {
    Path clientCaFile = path(v.get(TLS_CLIENT_CA_FILE));
    String clientAuth = v.get(TLS_CLIENT_AUTH);
    if (clientAuth == null) {
      clientAuth = clientCaFile == null ? "none" : "require";
    }
    try {
      return new TlsConfig(path(v.get(TLS_CERT_FILE)), path(v.get(TLS_KEY_FILE)), clientCaFile,
          TlsConfig.ClientAuth.valueOf(clientAuth.toUpperCase(Locale.ROOT)),
          v.require(HTTP_TLS), v.require(TLS_CLIENT_CERT_IDENTITY), v.require(TLS_RELOAD_PERIOD));
    } catch (IllegalArgumentException e) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT, java.util.Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
    }
  }

  private static @Nullable Path path(@Nullable String text) {
    return text == null || text.isBlank() ? null : Path.of(text.trim());
  }

  /** Option values from {@code ONFS_*} environment variables. */
  static Map<String, String> fromEnvironment(Map<String, String> env) {
    return OPTION_SET.environment(env).values();
  }

  /**
   * Reads a YAML options file: a mapping of option names to values, nested mappings joined with
   * dots. Shared by every command that takes {@code --config}.
   */
  public static Map<String, String> readYaml(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "cannot read config file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        throw invalid("config file " + file + " must hold a mapping of option names to values");
      }
      flatten("", root, out);
    }
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = prefix + field.getKey();
      if (field.getValue().isObject()) {
        flatten(name + ".", field.getValue(), out);
      } else {
        out.put(name, field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString());
      }
    }
  }

  private static OnfsException invalid(String message) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
