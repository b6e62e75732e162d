package dev.onfs.storage.redis;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of a {@link RedisStore}; build with {@link #builder()}.
 *
 * @param mode standalone, sentinel or cluster
 * @param nodes {@code host:port} of the server (standalone), the Sentinels (sentinel) or cluster seeds
 * @param masterName the Sentinel master name (sentinel mode only)
 * @param user ACL user, or null
 * @param password password, or null
 * @param database logical database (standalone and sentinel only)
 * @param connectTimeout TCP connect timeout
 * @param socketTimeout how long one command (or pipeline reply) may take before STORE_TIMEOUT
 * @param poolMaxTotal most connections per node
 * @param poolMaxIdle most idle connections kept per node
 * @param poolMinIdle idle connections kept ready per node
 * @param poolMaxWait how long a call waits for a free pooled connection before STORE_UNAVAILABLE
 * @param layout how blocks are laid out
 * @param keyPrefix prepended to every key (empty for reference compatibility)
 * @param maxBatchSize most keys or rows per call
 * @param clusterMaxAttempts attempts per command across redirections and failovers (cluster only)
 * @param tls TLS to every node (and Sentinel), or null for plain TCP
 */
public record RedisStoreConfig(
    RedisMode mode,
    List<String> nodes,
    @Nullable String masterName,
    @Nullable String user,
    @Nullable String password,
    int database,
    Duration connectTimeout,
    Duration socketTimeout,
    int poolMaxTotal,
    int poolMaxIdle,
    int poolMinIdle,
    Duration poolMaxWait,
    RedisLayout layout,
    String keyPrefix,
    int maxBatchSize,
    int clusterMaxAttempts,
    @Nullable ClientTls tls) {

  public RedisStoreConfig {
    requireNonNull(mode, "mode is null");
    requireNonNull(nodes, "nodes is null");
    nodes = List.copyOf(nodes);
    requireNonNull(connectTimeout, "connectTimeout is null");
    requireNonNull(socketTimeout, "socketTimeout is null");
    requireNonNull(poolMaxWait, "poolMaxWait is null");
    requireNonNull(layout, "layout is null");
    requireNonNull(keyPrefix, "keyPrefix is null");
    if (nodes.isEmpty()) {
      throw invalid("nodes is empty: give host:port of the server, the Sentinels or cluster seeds");
    }
    for (String node : nodes) {
      parsePort(node);
    }
    if (mode == RedisMode.STANDALONE && nodes.size() != 1) {
      throw invalid("standalone mode takes exactly one node, got " + nodes);
    }
    if (mode == RedisMode.SENTINEL && (masterName == null || masterName.isEmpty())) {
      throw invalid("sentinel mode needs masterName");
    }
    if (mode == RedisMode.CLUSTER && database != 0) {
      throw invalid("cluster mode has only database 0, got " + database);
    }
    if (database < 0) {
      throw invalid("database must not be negative, was " + database);
    }
    positive("connectTimeout", connectTimeout);
    positive("socketTimeout", socketTimeout);
    if (poolMaxTotal <= 0 || poolMaxIdle < 0 || poolMinIdle < 0 || poolMinIdle > poolMaxIdle
        || poolMaxIdle > poolMaxTotal) {
      throw invalid("pool sizes must satisfy 0 <= minIdle (" + poolMinIdle + ") <= maxIdle (" + poolMaxIdle
          + ") <= maxTotal (" + poolMaxTotal + "), maxTotal > 0");
    }
    if (poolMaxWait.isNegative()) {
      throw invalid("poolMaxWait must not be negative, was " + poolMaxWait);
    }
    if (maxBatchSize <= 0) {
      throw invalid("maxBatchSize must be positive, was " + maxBatchSize);
    }
    if (clusterMaxAttempts <= 0) {
      throw invalid("clusterMaxAttempts must be positive, was " + clusterMaxAttempts);
    }
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "RedisStoreConfig[mode=" + mode + ", nodes=" + nodes + ", masterName=" + masterName + ", user=" + user
        + ", password=" + Secrets.mask(password) + ", database=" + database + ", connectTimeout="
        + connectTimeout + ", socketTimeout=" + socketTimeout + ", pool=" + poolMinIdle + ".." + poolMaxIdle + "/"
        + poolMaxTotal + ", poolMaxWait=" + poolMaxWait + ", layout=" + layout + ", keyPrefix='" + keyPrefix
        + "', maxBatchSize=" + maxBatchSize + ", clusterMaxAttempts=" + clusterMaxAttempts + ", tls="
        + (tls == null ? "off" : tls) + "]";
  }

  public static Builder builder() {
    return new Builder();
  }

  static String host(String node) {
    return node.substring(0, node.lastIndexOf(':'));
  }

  static int parsePort(String node) {
    int colon = node.lastIndexOf(':');
    if (colon <= 0 || colon == node.length() - 1) {
      throw invalid("node '" + node + "' is not host:port");
    }
    try {
      int port = Integer.parseInt(node.substring(colon + 1));
      if (port <= 0 || port > 65535) {
        throw invalid("node '" + node + "' has port outside 1..65535");
      }
      return port;
    } catch (NumberFormatException e) {
      throw invalid("node '" + node + "' has a non-numeric port");
    }
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw invalid(name + " must be positive, was " + d);
    }
  }

  private static OnfsException invalid(String message) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, "redis store: " + message);
  }

  /** Builds a {@link RedisStoreConfig}; defaults suit a small service next to one Redis. */
  public static final class Builder {
    private RedisMode mode = RedisMode.STANDALONE;
    private final List<String> nodes = new ArrayList<>();
    private @Nullable String masterName;
    private @Nullable String user;
    private @Nullable String password;
    private int database;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration socketTimeout = Duration.ofSeconds(2);
    private int poolMaxTotal = 32;
    private int poolMaxIdle = 32;
    private int poolMinIdle = 4;
    private Duration poolMaxWait = Duration.ofSeconds(2);
    private RedisLayout layout = RedisLayout.CSDB;
    private String keyPrefix = "";
    private int maxBatchSize = 5_000;
    private int clusterMaxAttempts = 5;
    private @Nullable ClientTls tls;

    private Builder() {}

    public Builder mode(RedisMode mode) {
      this.mode = requireNonNull(mode, "mode is null");
      return this;
    }

    /** Adds a {@code host:port}. */
    public Builder node(String hostAndPort) {
      requireNonNull(hostAndPort, "hostAndPort is null");
      parsePort(hostAndPort);
      nodes.add(hostAndPort);
      return this;
    }

    public Builder node(String host, int port) {
      return node(requireNonNull(host, "host is null") + ":" + port);
    }

    public Builder masterName(String masterName) {
      this.masterName = requireNonNull(masterName, "masterName is null");
      return this;
    }

    public Builder user(String user) {
      this.user = requireNonNull(user, "user is null");
      return this;
    }

    public Builder password(String password) {
      this.password = requireNonNull(password, "password is null");
      return this;
    }

    public Builder database(int database) {
      this.database = database;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
      return this;
    }

    public Builder socketTimeout(Duration socketTimeout) {
      this.socketTimeout = requireNonNull(socketTimeout, "socketTimeout is null");
      return this;
    }

    /** Connection pool per node: at most {@code maxTotal}, keeping {@code minIdle..maxIdle} idle. */
    public Builder pool(int maxTotal, int maxIdle, int minIdle) {
      this.poolMaxTotal = maxTotal;
      this.poolMaxIdle = maxIdle;
      this.poolMinIdle = minIdle;
      return this;
    }

    public Builder poolMaxWait(Duration poolMaxWait) {
      this.poolMaxWait = requireNonNull(poolMaxWait, "poolMaxWait is null");
      return this;
    }

    public Builder layout(RedisLayout layout) {
      this.layout = requireNonNull(layout, "layout is null");
      return this;
    }

    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = requireNonNull(keyPrefix, "keyPrefix is null");
      return this;
    }

    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    public Builder clusterMaxAttempts(int clusterMaxAttempts) {
      this.clusterMaxAttempts = clusterMaxAttempts;
      return this;
    }

    /** TLS to every node (and Sentinel); null for plain TCP (the default). */
    public Builder tls(@Nullable ClientTls tls) {
      this.tls = tls;
      return this;
    }

    public RedisStoreConfig build() {
      return new RedisStoreConfig(mode, nodes, masterName, user, password, database, connectTimeout,
          socketTimeout, poolMaxTotal, poolMaxIdle, poolMinIdle, poolMaxWait, layout, keyPrefix, maxBatchSize,
          clusterMaxAttempts, tls);
    }
  }
}
