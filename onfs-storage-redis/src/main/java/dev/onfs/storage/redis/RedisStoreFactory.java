package dev.onfs.storage.redis;

import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.Secrets;
import dev.onfs.core.config.Option;
import dev.onfs.core.config.OptionSet;
import dev.onfs.core.config.OptionType;
import dev.onfs.core.config.OptionValues;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Creates {@link RedisStore}s under the name {@code redis} from the settings in {@link #OPTIONS}
 * (only {@code nodes} is required).
 */
public final class RedisStoreFactory implements StoreFactory {
  private static final Option<RedisMode> MODE = Option.of("mode", OptionType.lowerCaseEnum(RedisMode.class),
      "standalone", "standalone, sentinel or cluster");
  private static final Option<List<String>> NODES = Option.of("nodes", OptionType.list(), null,
      "comma-separated host:port of the server (standalone), the Sentinels (sentinel) or cluster seeds");
  private static final Option<String> MASTER_NAME = Option.of("master-name", OptionType.text(), null,
      "the Sentinel master name (mode sentinel)");
  private static final Option<String> USER = Option.of("user", OptionType.text(), null,
      "Redis 6+ ACL user (AUTH user password); without it a password authenticates the default user (requirepass)");
  private static final Option<String> PASSWORD = Option.of("password", OptionType.verbatim(), null,
      "password; prefer password-file or the environment").secret();
  private static final Option<String> PASSWORD_FILE = Option.of("password-file", OptionType.text(), null,
      "file holding the password (a trailing line break is dropped); instead of password");
  private static final Option<String> TLS = Option.of("tls", OptionType.text(), null,
      "true for TLS with the JDK's trusted CAs; implied by any tls-*-file");
  private static final Option<String> TLS_CA_FILE = Option.of("tls-ca-file", OptionType.text(), null,
      "PEM file of the CA certificates to trust");
  private static final Option<String> TLS_CERT_FILE = Option.of("tls-cert-file", OptionType.text(), null,
      "client certificate (PEM, then its chain), for servers with tls-auth-clients yes");
  private static final Option<String> TLS_KEY_FILE = Option.of("tls-key-file", OptionType.text(), null,
      "unencrypted PKCS#8 PEM key of tls-cert-file");
  private static final Option<Integer> DATABASE = Option.of("database", OptionType.nonNegative(), "0",
      "logical database (standalone and sentinel only)");
  private static final Option<Duration> CONNECT_TIMEOUT_MS = Option.of("connect-timeout-ms", OptionType.millis(1),
      "2000", "TCP connect timeout, milliseconds");
  private static final Option<Duration> SOCKET_TIMEOUT_MS = Option.of("socket-timeout-ms", OptionType.millis(1),
      "2000", "how long one command (or pipeline reply) may take before STORE_TIMEOUT, milliseconds");
  private static final Option<Integer> POOL_MAX_TOTAL = Option.of("pool-max-total", OptionType.positive(), "32",
      "most connections per node");
  private static final Option<Integer> POOL_MAX_IDLE = Option.of("pool-max-idle", OptionType.nonNegative(), null,
      "most idle connections kept per node (default: pool-max-total)");
  private static final Option<Integer> POOL_MIN_IDLE = Option.of("pool-min-idle", OptionType.nonNegative(), "4",
      "idle connections kept ready per node (at most pool-max-idle)");
  private static final Option<Duration> POOL_MAX_WAIT_MS = Option.of("pool-max-wait-ms", OptionType.millis(0),
      "2000", "how long a call waits for a free pooled connection before STORE_UNAVAILABLE, milliseconds");
  private static final Option<RedisLayout> LAYOUT = Option.of("layout", OptionType.lowerCaseEnum(RedisLayout.class),
      "csdb", "csdb (the reference's block per entity) or hash (a hash per entity)");
  private static final Option<String> KEY_PREFIX = Option.of("key-prefix", OptionType.verbatim(), "",
      "prepended to every key (empty for reference compatibility)");
  private static final Option<Integer> MAX_BATCH_SIZE = Option.of("max-batch-size", OptionType.positive(), "5000",
      "most keys or rows per call");
  private static final Option<Integer> CLUSTER_MAX_ATTEMPTS = Option.of("cluster-max-attempts", OptionType.positive(),
      "5", "attempts per command across redirections and failovers (cluster only)");

  /** Every setting of the Redis store. */
  public static final OptionSet OPTIONS = OptionSet.builder("redis store settings")
      .naming("redis store setting '%s'", "redis store setting")
      .add(MODE, NODES, MASTER_NAME, USER, PASSWORD, PASSWORD_FILE, TLS, TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE,
          DATABASE, CONNECT_TIMEOUT_MS, SOCKET_TIMEOUT_MS, POOL_MAX_TOTAL, POOL_MAX_IDLE, POOL_MIN_IDLE,
          POOL_MAX_WAIT_MS, LAYOUT, KEY_PREFIX, MAX_BATCH_SIZE, CLUSTER_MAX_ATTEMPTS)
      .build();

  @Override
  public String name() {
    return RedisStore.NAME;
  }

  @Override
  public OnlineStore create(Map<String, String> settings, Clock clock) {
    return RedisStore.create(parse(settings), clock);
  }

  /** Parses flat settings into a config; unknown keys fail, naming the key. */
  public static RedisStoreConfig parse(Map<String, String> settings) {
    OptionValues v = OPTIONS.resolve(OptionSet.Source.of(null, settings));
    RedisStoreConfig.Builder b = RedisStoreConfig.builder()
        .mode(v.require(MODE))
        .database(v.require(DATABASE))
        .connectTimeout(v.require(CONNECT_TIMEOUT_MS))
        .socketTimeout(v.require(SOCKET_TIMEOUT_MS))
        .poolMaxWait(v.require(POOL_MAX_WAIT_MS))
        .layout(v.require(LAYOUT))
        .keyPrefix(v.require(KEY_PREFIX))
        .maxBatchSize(v.require(MAX_BATCH_SIZE))
        .clusterMaxAttempts(v.require(CLUSTER_MAX_ATTEMPTS));
    List<String> nodes = v.get(NODES);
    if (nodes != null) {
      nodes.forEach(b::node);
    }
    if (v.get(MASTER_NAME) != null) {
      b.masterName(v.require(MASTER_NAME));
    }
    if (v.get(USER) != null) {
      b.user(v.require(USER));
    }
    int maxTotal = v.require(POOL_MAX_TOTAL);
    Integer maxIdle = v.get(POOL_MAX_IDLE);
    int idle = maxIdle == null ? maxTotal : maxIdle;
    b.pool(maxTotal, idle, Math.min(v.require(POOL_MIN_IDLE), idle));
    try {
      String secret = Secrets.password("password", v.get(PASSWORD), v.get(PASSWORD_FILE));
      if (secret != null) {
        b.password(secret);
      }
      b.tls(ClientTls.fromSettings("", v.get(TLS), v.get(TLS_CA_FILE), v.get(TLS_CERT_FILE), v.get(TLS_KEY_FILE)));
    } catch (OnfsException e) {
      throw new OnfsException(e.code(), "redis store: " + e.getMessage(), e);
    }
    return b.build();
  }
}
