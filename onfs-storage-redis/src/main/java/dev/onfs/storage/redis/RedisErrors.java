package dev.onfs.storage.redis;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Translates jedis failures into transient or permanent {@link OnfsException}s at the adapter edge. */
final class RedisErrors {
  private RedisErrors() {}

  static OnfsException translate(RuntimeException e, String what) {
    return translate(e, what, null);
  }

  /**
   * Like {@link #translate(RuntimeException, String)}, naming what the connection settings can fix:
   * a failed TLS handshake, refused credentials, or a server that drops plaintext connections.
   */
  static OnfsException translate(RuntimeException e, String what, @Nullable RedisStoreConfig config) {
    if (e instanceof OnfsException onfs) {
      return onfs;
    }
    if (!(e instanceof JedisException)) {
      return new OnfsException(ErrorCode.INTERNAL, "redis " + what + " failed: " + e, e);
    }
    SSLException tls = find(e, SSLException.class);
    if (tls != null) {
      CertificateExpiredException expired = find(e, CertificateExpiredException.class);
      return new OnfsException(ErrorCode.STORE_UNAVAILABLE, "redis TLS handshake failed for " + what + ": "
          + tls.getMessage() + (expired == null ? "" : " (server certificate expired: " + expired.getMessage() + ")")
          + "; check tls-ca-file, tls-cert-file and tls-key-file", e);
    }
    JedisAccessControlException denied = find(e, JedisAccessControlException.class);
    if (denied != null && denied.getMessage() != null
        && (denied.getMessage().startsWith("WRONGPASS") || denied.getMessage().startsWith("NOAUTH"))) {
      String user = config == null || config.user() == null ? "default" : config.user();
      return new OnfsException(ErrorCode.STORE_UNAVAILABLE, "redis authentication failed for user '" + user
          + "' on " + what + ": " + denied.getMessage() + "; check user and password", e);
    }
    if (config != null && config.tls() == null && isDroppedConnection(e)) {
      return new OnfsException(ErrorCode.STORE_UNAVAILABLE, "redis connection closed by the server for " + what
          + ": " + e.getMessage() + " (a server that requires TLS drops plaintext clients: if it does, set tls=true"
          + " and tls-ca-file)", e);
    }
    if (isTimeout(e)) {
      return new OnfsException(ErrorCode.STORE_TIMEOUT, "redis " + what + " timed out: " + e.getMessage(), e);
    }
    if (e instanceof JedisDataException && !(e instanceof JedisBusyException) && !isTransientReply(e.getMessage())) {
      return new OnfsException(ErrorCode.STORE_REJECTED, "redis rejected " + what + ": " + e.getMessage(), e);
    }
    return new OnfsException(ErrorCode.STORE_UNAVAILABLE, "redis unavailable for " + what + ": " + e.getMessage(), e);
  }

  /** Error replies that go away by themselves (loading, failover, resharding, busy scripts). */
  static boolean isTransientReply(@Nullable String message) {
    if (message == null) {
      return false;
    }
    return message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("TRYAGAIN")
        || message.startsWith("CLUSTERDOWN") || message.startsWith("MASTERDOWN") || message.startsWith("READONLY")
        || message.startsWith("MOVED") || message.startsWith("ASK") || message.startsWith("NOREPLICAS");
  }

  static boolean isNoScript(Throwable e) {
    return e instanceof JedisDataException && e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }

  private static boolean isDroppedConnection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException || (t instanceof SocketException && !(t instanceof java.net.ConnectException))
          || (t.getMessage() != null && t.getMessage().contains("Unexpected end of stream"))) {
        return true;
      }
    }
    return false;
  }

  private static <T extends Throwable> @Nullable T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
