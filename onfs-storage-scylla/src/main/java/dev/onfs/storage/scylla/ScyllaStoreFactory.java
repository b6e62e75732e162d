package dev.onfs.storage.scylla;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.Secrets;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Creates {@link ScyllaStore}s under the name {@code scylla}. Settings: {@code contact-points}
 * (comma-separated host:port, required), {@code local-datacenter}, {@code username},
 * {@code password} or {@code password-file}, {@code read-consistency}, {@code write-consistency},
 * {@code connect-timeout-ms}, {@code request-timeout-ms}, {@code connections-per-node},
 * {@code max-concurrent-requests}, {@code max-batch-size}, {@code reconnect-base-delay-ms},
 * {@code block-ttl} (true|false), and TLS: {@code tls} (true|false), {@code tls-ca-file},
 * {@code tls-cert-file}, {@code tls-key-file} (PEM; any file turns TLS on).
 */
public final class ScyllaStoreFactory implements StoreFactory {
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
    ScyllaStoreConfig.Builder b = ScyllaStoreConfig.builder();
    String username = null;
    String password = null;
    String passwordFile = null;
    String tls = null;
    String tlsCaFile = null;
    String tlsCertFile = null;
    String tlsKeyFile = null;
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      String value = e.getValue().trim();
      switch (key) {
        case "contact-points" -> {
          for (String point : value.split(",")) {
            if (!point.isBlank()) {
              b.contactPoint(point.trim());
            }
          }
        }
        case "local-datacenter" -> b.localDatacenter(value);
        case "keyspace" -> b.keyspace(value);
        case "username" -> username = value;
        case "password" -> password = e.getValue();
        case "password-file" -> passwordFile = value;
        case "tls" -> tls = value;
        case "tls-ca-file" -> tlsCaFile = value;
        case "tls-cert-file" -> tlsCertFile = value;
        case "tls-key-file" -> tlsKeyFile = value;
        case "read-consistency" -> b.readConsistency(ScyllaStoreConfig.consistency(value));
        case "write-consistency" -> b.writeConsistency(ScyllaStoreConfig.consistency(value));
        case "connect-timeout-ms" -> b.connectTimeout(Duration.ofMillis(number(key, value)));
        case "request-timeout-ms" -> b.requestTimeout(Duration.ofMillis(number(key, value)));
        case "connections-per-node" -> b.connectionsPerNode(number(key, value));
        case "max-concurrent-requests" -> b.maxConcurrentRequests(number(key, value));
        case "max-batch-size" -> b.maxBatchSize(number(key, value));
        case "reconnect-base-delay-ms" -> b.reconnectBaseDelay(Duration.ofMillis(number(key, value)));
        case "block-ttl" -> b.blockTtl(bool(key, value));
        default -> throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "unknown scylla store setting '" + key + "'");
      }
    }
    try {
      password = Secrets.password("password", password, passwordFile);
      b.tls(ClientTls.fromSettings("", tls, tlsCaFile, tlsCertFile, tlsKeyFile));
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

  private static int number(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "scylla store setting " + key + " is not a number: " + value);
    }
  }

  private static boolean bool(String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT, "scylla store setting " + key + " must be true or false: " + value);
    };
  }
}
