package dev.onfs.storage.redis;

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
 * Creates {@link RedisStore}s under the name {@code redis}. Settings (all optional except
 * {@code nodes}): {@code mode} (standalone|sentinel|cluster), {@code nodes} (comma-separated host:port),
 * {@code master-name}, {@code user}, {@code password} or {@code password-file}, {@code database},
 * {@code connect-timeout-ms}, {@code socket-timeout-ms}, {@code pool-max-total}, {@code pool-max-idle},
 * {@code pool-min-idle}, {@code pool-max-wait-ms}, {@code layout} (csdb|hash), {@code key-prefix},
 * {@code max-batch-size}, {@code cluster-max-attempts}, and TLS: {@code tls} (true|false),
 * {@code tls-ca-file}, {@code tls-cert-file}, {@code tls-key-file} (PEM; any file turns TLS on).
 */
public final class RedisStoreFactory implements StoreFactory {
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
    RedisStoreConfig.Builder b = RedisStoreConfig.builder();
    int maxTotal = 32;
    int maxIdle = -1;
    int minIdle = 4;
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
        case "mode" -> b.mode(enumValue(RedisMode.class, key, value));
        case "nodes" -> {
          for (String node : value.split(",")) {
            if (!node.isBlank()) {
              b.node(node.trim());
            }
          }
        }
        case "master-name" -> b.masterName(value);
        case "user" -> b.user(value);
        case "password" -> password = e.getValue();
        case "password-file" -> passwordFile = value;
        case "tls" -> tls = value;
        case "tls-ca-file" -> tlsCaFile = value;
        case "tls-cert-file" -> tlsCertFile = value;
        case "tls-key-file" -> tlsKeyFile = value;
        case "database" -> b.database(number(key, value));
        case "connect-timeout-ms" -> b.connectTimeout(Duration.ofMillis(number(key, value)));
        case "socket-timeout-ms" -> b.socketTimeout(Duration.ofMillis(number(key, value)));
        case "pool-max-total" -> maxTotal = number(key, value);
        case "pool-max-idle" -> maxIdle = number(key, value);
        case "pool-min-idle" -> minIdle = number(key, value);
        case "pool-max-wait-ms" -> b.poolMaxWait(Duration.ofMillis(number(key, value)));
        case "layout" -> b.layout(enumValue(RedisLayout.class, key, value));
        case "key-prefix" -> b.keyPrefix(e.getValue());
        case "max-batch-size" -> b.maxBatchSize(number(key, value));
        case "cluster-max-attempts" -> b.clusterMaxAttempts(number(key, value));
        default -> throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "unknown redis store setting '" + key + "'");
      }
    }
    b.pool(maxTotal, maxIdle < 0 ? maxTotal : maxIdle, Math.min(minIdle, maxIdle < 0 ? maxTotal : maxIdle));
    try {
      String secret = Secrets.password("password", password, passwordFile);
      if (secret != null) {
        b.password(secret);
      }
      b.tls(ClientTls.fromSettings("", tls, tlsCaFile, tlsCertFile, tlsKeyFile));
    } catch (OnfsException e) {
      throw new OnfsException(e.code(), "redis store: " + e.getMessage(), e);
    }
    return b.build();
  }

  private static int number(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "redis store setting " + key + " is not a number: " + value);
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String key, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT, "redis store setting " + key + " has unknown value '" + value + "'");
    }
  }
}
