package dev.onfs.storage.redis;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.net.SocketTimeoutException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Translates jedis failures into transient or permanent {@link OnfsException}s at the adapter edge. */
final class RedisErrors {
  private RedisErrors() {}

  static OnfsException translate(RuntimeException e, String what) {
    if (e instanceof OnfsException onfs) {
      return onfs;
    }
    if (!(e instanceof JedisException)) {
      return new OnfsException(ErrorCode.INTERNAL, "redis " + what + " failed: " + e, e);
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
  static boolean isTransientReply(String message) {
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

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
