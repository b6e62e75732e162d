package dev.onfs.storage.scylla;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of a {@link ScyllaStore}; build with {@link #builder()}.
 *
 * @param contactPoints {@code host:port} of some nodes; the rest are discovered
 * @param localDatacenter the datacenter the client lives in (required by the driver's load balancing)
 * @param username authentication user, or null
 * @param password authentication password, or null
 * @param readConsistency consistency level of reads, e.g. {@code LOCAL_ONE}, {@code ONE}
 * @param writeConsistency consistency level of writes and deletes, e.g. {@code LOCAL_QUORUM}
 * @param connectTimeout connection establishment timeout
 * @param requestTimeout how long one statement may take before STORE_TIMEOUT
 * @param connectionsPerNode connections the driver keeps to each local node
 * @param maxConcurrentRequests most statements one call keeps in flight
 * @param maxBatchSize most keys or rows per call
 * @param reconnectBaseDelay first delay before reconnecting to a lost node (doubles up to 30 s)
 * @param blockTtl when every block of a written row expires, write the row with {@code USING TTL}
 *     reaching the longest expiry, so the server drops it; otherwise the table's default TTL applies
 *     (the reference always relies on the table default)
 * @param tls TLS to every node (certificate names checked against the node's address), or null for
 *     plain TCP
 */
public record ScyllaStoreConfig(
    List<String> contactPoints,
    String localDatacenter,
    @Nullable String username,
    @Nullable String password,
    DefaultConsistencyLevel readConsistency,
    DefaultConsistencyLevel writeConsistency,
    Duration connectTimeout,
    Duration requestTimeout,
    int connectionsPerNode,
    int maxConcurrentRequests,
    int maxBatchSize,
    Duration reconnectBaseDelay,
    boolean blockTtl,
    @Nullable ClientTls tls,
    String keyspace) {

  public ScyllaStoreConfig {
    requireNonNull(contactPoints, "contactPoints is null");
    contactPoints = List.copyOf(contactPoints);
    requireNonNull(localDatacenter, "localDatacenter is null");
    requireNonNull(readConsistency, "readConsistency is null");
    requireNonNull(writeConsistency, "writeConsistency is null");
    requireNonNull(connectTimeout, "connectTimeout is null");
    requireNonNull(requestTimeout, "requestTimeout is null");
    requireNonNull(reconnectBaseDelay, "reconnectBaseDelay is null");
    requireNonNull(keyspace, "keyspace is null");
    if (!keyspace.isEmpty() && !keyspace.matches("[A-Za-z_][A-Za-z0-9_]{0,47}")) {
      throw invalid("keyspace '" + keyspace + "' is not a plain CQL identifier");
    }
    if (contactPoints.isEmpty()) {
      throw invalid("contactPoints is empty");
    }
    for (String point : contactPoints) {
      port(point);
    }
    if (localDatacenter.isEmpty()) {
      throw invalid("localDatacenter is empty");
    }
    if ((username == null) != (password == null)) {
      throw invalid("give both username and password, or neither");
    }
    positive("connectTimeout", connectTimeout);
    positive("requestTimeout", requestTimeout);
    positive("reconnectBaseDelay", reconnectBaseDelay);
    if (connectionsPerNode <= 0 || maxConcurrentRequests <= 0 || maxBatchSize <= 0) {
      throw invalid("connectionsPerNode (" + connectionsPerNode + "), maxConcurrentRequests (" + maxConcurrentRequests
          + ") and maxBatchSize (" + maxBatchSize + ") must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Parses a consistency level name such as {@code local_quorum}. */
  public static DefaultConsistencyLevel consistency(String name) {
    try {
      return DefaultConsistencyLevel.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("unknown consistency level '" + name + "'");
    }
  }

  static String host(String point) {
    return point.substring(0, point.lastIndexOf(':'));
  }

  static int port(String point) {
    int colon = point.lastIndexOf(':');
    if (colon <= 0 || colon == point.length() - 1) {
      throw invalid("contact point '" + point + "' is not host:port");
    }
    try {
      int port = Integer.parseInt(point.substring(colon + 1));
      if (port <= 0 || port > 65535) {
        throw invalid("contact point '" + point + "' has port outside 1..65535");
      }
      return port;
    } catch (NumberFormatException e) {
      throw invalid("contact point '" + point + "' has a non-numeric port");
    }
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw invalid(name + " must be positive, was " + d);
    }
  }

  static OnfsException invalid(String message) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, "scylla store: " + message);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "ScyllaStoreConfig[contactPoints=" + contactPoints + ", localDatacenter=" + localDatacenter + ", username="
        + username + ", password=" + Secrets.mask(password) + ", readConsistency=" + readConsistency
        + ", writeConsistency=" + writeConsistency + ", connectTimeout=" + connectTimeout + ", requestTimeout="
        + requestTimeout + ", connectionsPerNode=" + connectionsPerNode + ", maxConcurrentRequests="
        + maxConcurrentRequests + ", maxBatchSize=" + maxBatchSize + ", reconnectBaseDelay=" + reconnectBaseDelay
        + ", blockTtl=" + blockTtl + ", tls=" + (tls == null ? "off" : tls) + ", keyspace=" + keyspace + "]";
  }

  /** Builds a {@link ScyllaStoreConfig}. */
  public static final class Builder {
    private final List<String> contactPoints = new ArrayList<>();
    private String localDatacenter = "datacenter1";
    private String keyspace = "";
    private @Nullable String username;
    private @Nullable String password;
    private DefaultConsistencyLevel readConsistency = DefaultConsistencyLevel.LOCAL_ONE;
    private DefaultConsistencyLevel writeConsistency = DefaultConsistencyLevel.LOCAL_QUORUM;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(2);
    private int connectionsPerNode = 1;
    private int maxConcurrentRequests = 128;
    private int maxBatchSize = 5_000;
    private Duration reconnectBaseDelay = Duration.ofSeconds(1);
    private boolean blockTtl = true;
    private @Nullable ClientTls tls;

    private Builder() {}

    public Builder contactPoint(String hostAndPort) {
      requireNonNull(hostAndPort, "hostAndPort is null");
      port(hostAndPort);
      contactPoints.add(hostAndPort);
      return this;
    }

    public Builder contactPoint(String host, int port) {
      return contactPoint(requireNonNull(host, "host is null") + ":" + port);
    }

    public Builder localDatacenter(String localDatacenter) {
      this.localDatacenter = requireNonNull(localDatacenter, "localDatacenter is null");
      return this;
    }

    public Builder credentials(String username, String password) {
      this.username = requireNonNull(username, "username is null");
      this.password = requireNonNull(password, "password is null");
      return this;
    }

    public Builder readConsistency(DefaultConsistencyLevel level) {
      this.readConsistency = requireNonNull(level, "level is null");
      return this;
    }

    public Builder writeConsistency(DefaultConsistencyLevel level) {
      this.writeConsistency = requireNonNull(level, "level is null");
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
      return this;
    }

    public Builder connectionsPerNode(int connectionsPerNode) {
      this.connectionsPerNode = connectionsPerNode;
      return this;
    }

    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      this.maxConcurrentRequests = maxConcurrentRequests;
      return this;
    }

    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    public Builder reconnectBaseDelay(Duration reconnectBaseDelay) {
      this.reconnectBaseDelay = requireNonNull(reconnectBaseDelay, "reconnectBaseDelay is null");
      return this;
    }

    public Builder blockTtl(boolean blockTtl) {
      this.blockTtl = blockTtl;
      return this;
    }

    /** TLS to every node; null for plain TCP (the default). */
    public Builder tls(@Nullable ClientTls tls) {
      this.tls = tls;
      return this;
    }

    /**
     * The keyspace of tables whose {@link dev.onfs.core.storage.StoreTable} names none: the registry's
     * store config names only the table, and the reference takes the keyspace from the connection
     * ({@code STORAGE_SCYLLA_<id>_KEYSPACE}), as this does. Empty (the default) for none.
     */
    public Builder keyspace(String keyspace) {
      this.keyspace = requireNonNull(keyspace, "keyspace is null").trim();
      return this;
    }

    public ScyllaStoreConfig build() {
      return new ScyllaStoreConfig(contactPoints, localDatacenter, username, password, readConsistency,
          writeConsistency, connectTimeout, requestTimeout, connectionsPerNode, maxConcurrentRequests, maxBatchSize,
          reconnectBaseDelay, blockTtl, tls, keyspace);
    }
  }
}
