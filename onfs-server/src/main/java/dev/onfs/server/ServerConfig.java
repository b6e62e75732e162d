package dev.onfs.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.Limits;
import dev.onfs.core.OnfsException;
import dev.onfs.core.PartialPersist;
import dev.onfs.server.logging.LogFormat;
import dev.onfs.server.logging.LogOptions;
import dev.onfs.server.tls.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.RecordComponent;
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
 * Settings of {@code onfs serve}. Each option is declared once in {@link #OPTIONS}; values come from,
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
    LogOptions logging) {

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

  /** One configuration option: its name, default (null when none) and meaning. */
  public record Option(String name, @Nullable String defaultValue, String description) {}

  public static final String STORE_SETTINGS_PREFIX = "store-settings.";

  public static final List<Option> OPTIONS = List.of(
      new Option("bind-address", "127.0.0.1",
          "address the gRPC and HTTP ports listen on; loopback unless set (0.0.0.0 listens on every interface)"),
      new Option("grpc-port", "8089", "gRPC port (the reference's default); 0 picks a free port"),
      new Option("http-port", "8090", "HTTP port for /health/live, /health/ready and /metrics (Prometheus); 0 picks a"
          + " free port"),
      new Option("max-inbound-message-size", "4194304",
          "largest gRPC request accepted, in bytes; a larger one fails with RESOURCE_EXHAUSTED"),
      new Option("shutdown-grace", "20s", "how long shutdown waits for in-flight calls (e.g. 500ms, 20s, 1m)"),
      new Option("store", "memory", "storage adapter by factory name: memory, redis, scylla"),
      new Option(STORE_SETTINGS_PREFIX + "<key>", null, "settings passed to the storage adapter's factory"),
      new Option("registry", "file", "where feature definitions come from: file or etcd"),
      new Option("registry-file", null, "registry YAML file (registry=file)"),
      new Option("etcd-endpoints", null, "comma-separated etcd endpoints (registry=etcd)"),
      new Option("etcd-user", null, "etcd user (registry=etcd)"),
      new Option("etcd-password", null, "etcd password (sensitive: prefer ONFS_ETCD_PASSWORD or etcd-password-file)"),
      new Option("etcd-password-file", null, "file holding the etcd password"),
      new Option("etcd-tls-ca-file", null, "PEM CA certificates to trust for etcd; turns TLS on (https://)"),
      new Option("etcd-tls-cert-file", null, "PEM client certificate for etcd (with etcd-tls-key-file)"),
      new Option("etcd-tls-key-file", null, "PEM PKCS#8 key of etcd-tls-cert-file"),
      new Option("app-name", "onfs", "application name: the etcd tree lives under /config/<app-name>"),
      new Option("near-cache-bytes", "0", "near-cache bound in bytes; 0 disables it"),
      new Option("demo", "false",
          "run self-contained: in-memory store, the bundled demo registry and sample rows"),
      new Option("grpc-executor", EXECUTOR_POOL,
          "where calls run: pool (a thread pool) or direct (on the network thread that read them: two thread"
              + " hand-offs fewer per call; for stores that answer in about a millisecond, e.g. Redis or memory)"),
      new Option("grpc-event-loop-threads", "0",
          "network threads of the gRPC server; 0 shares gRPC's default group (two per core). With"
              + " grpc-executor=direct a call waiting for its store holds its thread, so more threads than cores"
              + " keep the cores busy"),
      new Option("grpc-call-threads", "32",
          "threads running calls with grpc-executor=pool: a fixed pool, so a slow store cannot make the server"
              + " start a thread per waiting call"),
      new Option("max-concurrent-calls", "128",
          "retrieve and persist calls in flight at once; one more fails at once with RESOURCE_EXHAUSTED. Calls past"
              + " grpc-call-threads wait for a thread"),
      new Option("max-concurrent-calls-per-caller", "0",
          "calls in flight at once for one caller id (online-feature-store-caller-id); 0: no bound of its own"),
      new Option("max-keys-per-request", Integer.toString(Limits.DEFAULT_MAX_KEYS_PER_REQUEST),
          "key rows of a retrieve, data rows of a persist; more fail with RESOURCE_EXHAUSTED"),
      new Option("max-key-bytes", Integer.toString(Limits.DEFAULT_MAX_KEY_BYTES),
          "UTF-8 bytes of one key value; a longer one fails with INVALID_ARGUMENT"),
      new Option("max-feature-groups-per-request", Integer.toString(Limits.DEFAULT_MAX_FEATURE_GROUPS_PER_REQUEST),
          "feature groups listed in one request; more fail with RESOURCE_EXHAUSTED"),
      new Option("max-features-per-request", Integer.toString(Limits.DEFAULT_MAX_FEATURES_PER_REQUEST),
          "feature labels listed in one request over all its groups; more fail with RESOURCE_EXHAUSTED"),
      new Option("max-cells-per-request", Long.toString(Limits.DEFAULT_MAX_CELLS_PER_REQUEST),
          "keys x features of one request; more fail with RESOURCE_EXHAUSTED"),
      new Option("ready-store-timeout", "250ms",
          "how long a readiness check waits for each store to answer a ping; a store slower than this is reported"
              + " down (/health/ready 503, gRPC health NOT_SERVING)"),
      new Option("partial-persist", "merge",
          "a persist naming only some features of a group: merge (keep the others' stored values; one store read"
              + " and a conditional write per such persist) or reset (write their registry defaults, as the"
              + " reference does)"),
      new Option("auth-readers-may-persist", "false",
          "let registered readers call PersistFeatures too, as the reference does (compatibility switch; by default"
              + " persisting needs a registered writer)"),
      new Option("tls-cert-file", null,
          "PEM certificate chain (leaf first) the gRPC and HTTP ports present; with tls-key-file, turns TLS on."
              + " Re-read when it changes"),
      new Option("tls-key-file", null, "PEM private key of tls-cert-file, unencrypted PKCS#8 (BEGIN PRIVATE KEY)"),
      new Option("tls-client-ca-file", null,
          "PEM CA certificates client certificates must chain to; setting it turns on mutual TLS"
              + " (tls-client-auth require unless set otherwise)"),
      new Option("tls-client-auth", null,
          "none, optional or require: whether clients must present a certificate signed by tls-client-ca-file;"
              + " default require when tls-client-ca-file is set, none otherwise"),
      new Option("tls-client-cert-identity", "false",
          "a call without a token is authenticated by its client certificate: the subject CN must name a"
              + " registered caller (needs tls-client-ca-file)"),
      new Option("http-tls", "true",
          "the HTTP port uses TLS (same certificate and client authentication) when TLS is on; false keeps it"
              + " plain, e.g. for probes that cannot present a client certificate"),
      new Option("tls-reload-period", "5s", "how often the TLS files are checked for changes"),
      new Option("control-plane", "false", "host the control plane's REST API under /api/ on the HTTP port"
          + " (--demo turns it on)"),
      new Option("control-plane-store", "dir", "where the control plane keeps its state: dir (control-plane-dir;"
          + " publishes the registry to registry-file, which serve reloads) or etcd (etcd-endpoints, app-name)"),
      new Option("control-plane-dir", null, "state directory of control-plane-store=dir"),
      new Option("control-plane-session-secret", null, "key that session tokens are hashed with, at least 32 bytes"
          + " (better from ONFS_CONTROL_PLANE_SESSION_SECRET or a file); never printed"),
      new Option("control-plane-session-secret-file", null, "file holding the session secret"),
      new Option("log-format", "text", "log lines on standard error: text, or json (one object per line, for log"
          + " collectors)"),
      new Option("access-log-sample-rate", "0", "share of successful gRPC calls written to the access log (logger"
          + " onfs.access), 0 to 1; e.g. 0.01 logs one call in a hundred"),
      new Option("access-log-errors-per-second", "10", "most failed gRPC calls written to the access log per second"
          + " (all of them up to this; the number left out is on the next line); 0 logs none"));

  public ServerConfig {
    requireNonNull(bindAddress, "bindAddress is null");
    requireNonNull(shutdownGrace, "shutdownGrace is null");
    requireNonNull(store, "store is null");
    storeSettings = Map.copyOf(requireNonNull(storeSettings, "storeSettings is null"));
    requireNonNull(registry, "registry is null");
    requireNonNull(appName, "appName is null");
    requireNonNull(grpcExecutor, "grpcExecutor is null");
    requireNonNull(partialPersist, "partialPersist is null");
    requireNonNull(etcdAccess, "etcdAccess is null");
    if (!grpcExecutor.equals(EXECUTOR_DIRECT) && !grpcExecutor.equals(EXECUTOR_POOL)) {
      throw invalid("option 'grpc-executor' must be one of direct, pool, got '" + grpcExecutor + "'");
    }
    if (grpcEventLoopThreads < 0 || grpcEventLoopThreads > 1024) {
      throw invalid("option 'grpc-event-loop-threads' must be 0..1024, got " + grpcEventLoopThreads);
    }
    if (grpcCallThreads <= 0 || grpcCallThreads > 4096) {
      throw invalid("option 'grpc-call-threads' must be 1..4096, got " + grpcCallThreads);
    }
    if (maxConcurrentCalls <= 0) {
      throw invalid("option 'max-concurrent-calls' must be positive, got " + maxConcurrentCalls);
    }
    if (maxConcurrentCallsPerCaller < 0) {
      throw invalid("option 'max-concurrent-calls-per-caller' must not be negative, got " + maxConcurrentCallsPerCaller);
    }
    requireNonNull(limits, "limits is null");
    requireNonNull(readyStoreTimeout, "readyStoreTimeout is null");
    requireNonNull(controlPlane, "controlPlane is null");
    if (readyStoreTimeout.isNegative() || readyStoreTimeout.isZero()) {
      throw invalid("option 'ready-store-timeout' must be positive, got " + readyStoreTimeout);
    }
    requireNonNull(tls, "tls is null");
    requireNonNull(logging, "logging is null");
  }

  /** The defaults alone. */
  public static ServerConfig defaults() {
    return fromMap(Map.of());
  }

  /**
   * Merges the layers (later wins) and parses them.
   *
   * @param file a YAML file, or null
   * @param env the process environment (only {@code ONFS_*} entries are read)
   * @param flags option name to value, from the command line
   */
  public static ServerConfig load(@Nullable Path file, Map<String, String> env, Map<String, String> flags) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (file != null) {
      merged.putAll(readYaml(file));
    }
    merged.putAll(fromEnvironment(env));
    merged.putAll(flags);
    return fromMap(merged);
  }

  /** Parses flat option values; unknown names and malformed values fail naming the option. */
  public static ServerConfig fromMap(Map<String, String> values) {
    Map<String, String> known = new TreeMap<>();
    Map<String, String> storeSettings = new TreeMap<>();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String name = entry.getKey();
      if (name.startsWith(STORE_SETTINGS_PREFIX)) {
        storeSettings.put(name.substring(STORE_SETTINGS_PREFIX.length()), entry.getValue());
      } else if (OPTIONS.stream().anyMatch(o -> o.name().equals(name))) {
        known.put(name, entry.getValue());
      } else {
        throw invalid("unknown option '" + name + "'");
      }
    }
    return new ServerConfig(
        get(known, "bind-address"),
        port(known, "grpc-port"),
        port(known, "http-port"),
        positiveInt(known, "max-inbound-message-size"),
        duration(known, "shutdown-grace"),
        get(known, "store"),
        storeSettings,
        oneOf(known, "registry", "file", "etcd"),
        known.get("registry-file"),
        known.get("etcd-endpoints"),
        get(known, "app-name"),
        nonNegativeLong(known, "near-cache-bytes"),
        bool(known, "demo"),
        oneOf(known, "grpc-executor", EXECUTOR_DIRECT, EXECUTOR_POOL),
        parseInt(known, "grpc-event-loop-threads"),
        parseInt(known, "grpc-call-threads"),
        parseInt(known, "max-concurrent-calls"),
        parseInt(known, "max-concurrent-calls-per-caller"),
        new Limits(
            positiveInt(known, "max-keys-per-request"),
            positiveInt(known, "max-key-bytes"),
            positiveInt(known, "max-feature-groups-per-request"),
            positiveInt(known, "max-features-per-request"),
            positiveLong(known, "max-cells-per-request")),
        duration(known, "ready-store-timeout"),
        partialPersist(get(known, "partial-persist")),
        new EtcdRegistries.Access(known.get("etcd-user"), known.get("etcd-password"), known.get("etcd-password-file"),
            known.get("etcd-tls-ca-file"), known.get("etcd-tls-cert-file"), known.get("etcd-tls-key-file")),
        bool(known, "auth-readers-may-persist"),
        tls(known),
        new ControlPlaneOptions(bool(known, "control-plane"), oneOf(known, "control-plane-store", "dir", "etcd"),
            known.get("control-plane-dir"), known.get("control-plane-session-secret"),
            known.get("control-plane-session-secret-file")),
        new LogOptions(LogFormat.parse(get(known, "log-format"), "log-format"),
            fraction(known, "access-log-sample-rate"), nonNegativeInt(known, "access-log-errors-per-second")));
  }

  /** Parses a {@code partial-persist} value: {@code merge} or {@code reset}, any case. */
  public static PartialPersist partialPersist(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    if (text.equals("merge")) {
      return PartialPersist.MERGE;
    }
    if (text.equals("reset")) {
      return PartialPersist.RESET;
    }
    throw invalid("option 'partial-persist' must be one of merge, reset, got '" + value + "'");
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
   * names say they hold one ({@link #isSensitive}). Config dumps and error messages use this form.
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
        settings.forEach((key, v) -> masked.put(key.toString(), isSensitive(key.toString()) ? "****" : v));
        value = masked;
      } else if (value != null && isSensitive(component.getName())) {
        value = "****";
      }
      out.add(component.getName() + "=" + value);
    }
    return out.toString();
  }

  /**
   * Whether a setting's (or option's, or flag's) name says it holds a secret. A name ending in
   * {@code file} holds the path of a file with the secret ({@code password-file}), which is shown.
   */
  public static boolean isSensitive(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace("_", "-");
    if (n.endsWith("file")) {
      return false;
    }
    return n.contains("password") || n.contains("passwd") || n.contains("secret") || n.contains("token")
        || n.contains("credential") || n.contains("jaas") || n.contains("passphrase");
  }

  private static TlsConfig tls(Map<String, String> known) {
    Path certFile = path(known, "tls-cert-file");
    Path clientCaFile = path(known, "tls-client-ca-file");
    String clientAuth = known.containsKey("tls-client-auth")
        ? oneOf(known, "tls-client-auth", "none", "optional", "require")
        : clientCaFile == null ? "none" : "require";
    try {
      return new TlsConfig(certFile, path(known, "tls-key-file"), clientCaFile,
          TlsConfig.ClientAuth.valueOf(clientAuth.toUpperCase(Locale.ROOT)),
          bool(known, "http-tls"), bool(known, "tls-client-cert-identity"), duration(known, "tls-reload-period"));
    } catch (IllegalArgumentException e) {
      throw invalid(java.util.Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
  }

  private static @Nullable Path path(Map<String, String> values, String name) {
    String text = values.get(name);
    return text == null || text.isBlank() ? null : Path.of(text.trim());
  }

  /** Option values from {@code ONFS_*} environment variables. */
  static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> entry : env.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith("ONFS_") && key.length() > 5) {
        String name = key.substring(5).toLowerCase(Locale.ROOT).replace("__", ".").replace('_', '-');
        out.put(name, entry.getValue());
      }
    }
    return out;
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

  private static String get(Map<String, String> values, String name) {
    String value = values.get(name);
    if (value != null) {
      return value.trim();
    }
    for (Option option : OPTIONS) {
      if (option.name().equals(name) && option.defaultValue() != null) {
        return option.defaultValue();
      }
    }
    throw invalid("option '" + name + "' is required");
  }

  private static int port(Map<String, String> values, String name) {
    int port = parseInt(values, name);
    if (port < 0 || port > 65535) {
      throw invalid("option '" + name + "' must be a port between 0 and 65535, got " + port);
    }
    return port;
  }

  private static int positiveInt(Map<String, String> values, String name) {
    int value = parseInt(values, name);
    if (value <= 0) {
      throw invalid("option '" + name + "' must be positive, got " + value);
    }
    return value;
  }

  private static int parseInt(Map<String, String> values, String name) {
    String text = get(values, name);
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw invalid("option '" + name + "' must be an integer, got '" + text + "'");
    }
  }

  private static int nonNegativeInt(Map<String, String> values, String name) {
    int value = parseInt(values, name);
    if (value < 0) {
      throw invalid("option '" + name + "' must not be negative, got " + value);
    }
    return value;
  }

  private static double fraction(Map<String, String> values, String name) {
    String text = get(values, name);
    try {
      double value = Double.parseDouble(text);
      if (value >= 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid("option '" + name + "' must be a number from 0 to 1, got '" + text + "'");
  }

  private static long positiveLong(Map<String, String> values, String name) {
    long value = nonNegativeLong(values, name);
    if (value == 0) {
      throw invalid("option '" + name + "' must be positive, got 0");
    }
    return value;
  }

  private static long nonNegativeLong(Map<String, String> values, String name) {
    String text = get(values, name);
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw invalid("option '" + name + "' must not be negative, got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid("option '" + name + "' must be an integer, got '" + text + "'");
    }
  }

  private static boolean bool(Map<String, String> values, String name) {
    String text = get(values, name).toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      throw invalid("option '" + name + "' must be true or false, got '" + text + "'");
    }
    return Boolean.parseBoolean(text);
  }

  private static String oneOf(Map<String, String> values, String name, String... allowed) {
    String text = get(values, name);
    for (String candidate : allowed) {
      if (candidate.equals(text)) {
        return text;
      }
    }
    throw invalid("option '" + name + "' must be one of " + String.join(", ", allowed) + ", got '" + text + "'");
  }

  /** Parses {@code 500ms}, {@code 20s}, {@code 2m} or an ISO-8601 duration. */
  static Duration duration(Map<String, String> values, String name) {
    String text = get(values, name);
    try {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      if (text.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
      }
      if (text.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
      }
      return Duration.parse(text);
    } catch (RuntimeException e) {
      throw invalid("option '" + name + "' must be a duration like 500ms, 20s or 1m, got '" + text + "'");
    }
  }

  private static OnfsException invalid(String message) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
