package dev.onfs.storage.scylla;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.onfs.core.ErrorCode;
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
 * Creates {@link ScyllaStore}s under the name {@code scylla} from the settings in {@link #OPTIONS}
 * ({@code contact-points} and {@code keyspace} are required).
 */
public final class ScyllaStoreFactory implements StoreFactory {
  private static final Option<List<String>> CONTACT_POINTS = Option.of("contact-points", OptionType.list(), null,
      "comma-separated host:port of the nodes to connect to first");
  private static final Option<String> LOCAL_DATACENTER = Option.of("local-datacenter", OptionType.text(),
      "datacenter1", "the driver's local datacenter");
  private static final Option<String> KEYSPACE = Option.of("keyspace", OptionType.text(), null,
      "keyspace of the tables (the registry names only tables)");
  private static final Option<String> USERNAME = Option.of("username", OptionType.text(), null,
      "user for PasswordAuthenticator (with password or password-file)");
  private static final Option<String> PASSWORD = Option.of("password", OptionType.verbatim(), null,
      "password; prefer password-file or the environment").secret();
  private static final Option<String> PASSWORD_FILE = Option.of("password-file", OptionType.text(), null,
      "file holding the password (a trailing line break is dropped); instead of password");
  private static final Option<String> TLS = Option.of("tls", OptionType.text(), null,
      "true for TLS with the JDK's trusted CAs; implied by any tls-*-file");
  private static final Option<String> TLS_CA_FILE = Option.of("tls-ca-file", OptionType.text(), null,
      "PEM file of the CA certificates to trust");
  private static final Option<String> TLS_CERT_FILE = Option.of("tls-cert-file", OptionType.text(), null,
      "client certificate (PEM), for nodes with require_client_auth: true");
  private static final Option<String> TLS_KEY_FILE = Option.of("tls-key-file", OptionType.text(), null,
      "unencrypted PKCS#8 PEM key of tls-cert-file");
  private static final Option<DefaultConsistencyLevel> READ_CONSISTENCY = Option.of("read-consistency",
      consistency(), "local_one", "consistency level of reads");
  private static final Option<DefaultConsistencyLevel> WRITE_CONSISTENCY = Option.of("write-consistency",
      consistency(), "local_quorum", "consistency level of writes");
  private static final Option<Duration> CONNECT_TIMEOUT_MS = Option.of("connect-timeout-ms", OptionType.millis(1),
      "5000", "connect timeout, milliseconds");
  private static final Option<Duration> REQUEST_TIMEOUT_MS = Option.of("request-timeout-ms", OptionType.millis(1),
      "2000", "how long one request may take, milliseconds");
  private static final Option<Integer> CONNECTIONS_PER_NODE = Option.of("connections-per-node",
      OptionType.positive(), "1", "connections the driver keeps to each node");
  private static final Option<Integer> MAX_CONCURRENT_REQUESTS = Option.of("max-concurrent-requests",
      OptionType.positive(), "128", "requests in flight at once");
  private static final Option<Integer> MAX_BATCH_SIZE = Option.of("max-batch-size", OptionType.positive(), "5000",
      "most keys or rows per call");
  private static final Option<Duration> RECONNECT_BASE_DELAY_MS = Option.of("reconnect-base-delay-ms",
      OptionType.millis(1), "1000", "first delay before reconnecting to a lost node, milliseconds");
  private static final Option<Boolean> BLOCK_TTL = Option.of("block-ttl", OptionType.bool(), "true",
      "write rows with a TTL from their blocks' expiry");

  /** Every setting of the Scylla store. */
  public static final OptionSet OPTIONS = OptionSet.builder("scylla store settings")
      .naming("scylla store setting '%s'", "scylla store setting")
      .add(CONTACT_POINTS, LOCAL_DATACENTER, KEYSPACE, USERNAME, PASSWORD, PASSWORD_FILE, TLS, TLS_CA_FILE,
          TLS_CERT_FILE, TLS_KEY_FILE, READ_CONSISTENCY, WRITE_CONSISTENCY, CONNECT_TIMEOUT_MS, REQUEST_TIMEOUT_MS,
          CONNECTIONS_PER_NODE, MAX_CONCURRENT_REQUESTS, MAX_BATCH_SIZE, RECONNECT_BASE_DELAY_MS, BLOCK_TTL)
      .build();

  @Override
  public String name() {
    return ScyllaStore.NAME;
  }

  @Override
  public OnlineStore create(Map<String, String> settings, Clock clock) {
    return ScyllaStore.create(parse(settings), clock);
  }

  /** Parses flat settings into a config; unknown keys fail, naming the key. */
  public static ScyllaStoreConfig parse(Map<String, String> settings) {
    OptionValues v = OPTIONS.resolve(OptionSet.Source.of(null, settings));
    ScyllaStoreConfig.Builder b = ScyllaStoreConfig.builder()
        .localDatacenter(v.require(LOCAL_DATACENTER))
        .readConsistency(v.require(READ_CONSISTENCY))
        .writeConsistency(v.require(WRITE_CONSISTENCY))
        .connectTimeout(v.require(CONNECT_TIMEOUT_MS))
        .requestTimeout(v.require(REQUEST_TIMEOUT_MS))
        .connectionsPerNode(v.require(CONNECTIONS_PER_NODE))
        .maxConcurrentRequests(v.require(MAX_CONCURRENT_REQUESTS))
        .maxBatchSize(v.require(MAX_BATCH_SIZE))
        .reconnectBaseDelay(v.require(RECONNECT_BASE_DELAY_MS))
        .blockTtl(v.require(BLOCK_TTL));
    List<String> points = v.get(CONTACT_POINTS);
    if (points != null) {
      points.forEach(b::contactPoint);
    }
    if (v.get(KEYSPACE) != null) {
      b.keyspace(v.require(KEYSPACE));
    }
    String username = v.get(USERNAME);
    String password;
    try {
      password = Secrets.password("password", v.get(PASSWORD), v.get(PASSWORD_FILE));
      b.tls(ClientTls.fromSettings("", v.get(TLS), v.get(TLS_CA_FILE), v.get(TLS_CERT_FILE), v.get(TLS_KEY_FILE)));
    } catch (OnfsException e) {
      throw new OnfsException(e.code(), "scylla store: " + e.getMessage(), e);
    }
    if (username != null || password != null) {
      if (username == null || password == null) {
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "scylla store: give both username and password, or neither");
      }
      b.credentials(username, password);
    }
    return b.build();
  }

  private static OptionType<DefaultConsistencyLevel> consistency() {
    return OptionType.of("consistency level (local_one, local_quorum, quorum, all, ...)", text -> {
      try {
        return ScyllaStoreConfig.consistency(text);
      } catch (OnfsException e) {
        throw new IllegalArgumentException("must be a consistency level, got '" + text.trim() + "'", e);
      }
    });
  }
}
