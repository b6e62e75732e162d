package dev.onfs.storage.scylla;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteFailureException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.security.cert.CertificateExpiredException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/** Translates driver failures into transient or permanent {@link OnfsException}s at the adapter edge. */
final class ScyllaErrors {
  private ScyllaErrors() {}

  static OnfsException translate(Throwable t, String what) {
    Throwable e = unwrap(t);
    if (e instanceof OnfsException onfs) {
      return onfs;
    }
    if (e instanceof DriverTimeoutException || e instanceof ReadTimeoutException || e instanceof WriteTimeoutException) {
      return new OnfsException(ErrorCode.STORE_TIMEOUT, "scylla " + what + " timed out: " + e.getMessage(), e);
    }
    if (e instanceof QueryValidationException
        || (e instanceof QueryConsistencyException
            && (e instanceof ReadFailureException || e instanceof WriteFailureException))) {
      return new OnfsException(ErrorCode.STORE_REJECTED, "scylla rejected " + what + ": " + e.getMessage(), e);
    }
    if (e instanceof IllegalArgumentException) {
      return new OnfsException(ErrorCode.STORE_REJECTED, "scylla rejected " + what + ": " + e.getMessage(), e);
    }
    // Connection loss, no node available, unavailable replicas, overload, bootstrapping, closed session.
    return new OnfsException(ErrorCode.STORE_UNAVAILABLE, "scylla unavailable for " + what + ": " + e, e);
  }

  /**
   * A failed session start. When every node failed for the same fixable reason (TLS handshake,
   * credentials, a TLS-only port reached in plaintext), the message says so and what to check.
   */
  static OnfsException translateConnect(Throwable t, ScyllaStoreConfig config) {
    String what = "connect to " + config.contactPoints();
    Throwable e = unwrap(t);
    List<Throwable> causes = e instanceof AllNodesFailedException all
        ? all.getAllErrors().values().stream().flatMap(List::stream).toList()
        : List.of(e);
    for (Throwable cause : causes) {
      SSLException tls = find(cause, SSLException.class);
      if (tls != null) {
        CertificateExpiredException expired = find(cause, CertificateExpiredException.class);
        return new OnfsException(ErrorCode.STORE_UNAVAILABLE, "scylla TLS handshake failed to " + what + ": "
            + tls.getMessage() + (expired == null ? "" : " (server certificate expired: " + expired.getMessage() + ")")
            + "; check tls-ca-file, tls-cert-file and tls-key-file", e);
      }
      AuthenticationException denied = find(cause, AuthenticationException.class);
      if (denied != null) {
        return new OnfsException(ErrorCode.STORE_UNAVAILABLE, "scylla authentication failed to " + what
            + (config.username() == null ? " without credentials" : " as user '" + config.username() + "'")
            + ": " + denied.getMessage() + "; check username and password", e);
      }
    }
    if (config.tls() == null && causes.stream().anyMatch(ScyllaErrors::isDroppedConnection)) {
      return new OnfsException(ErrorCode.STORE_UNAVAILABLE, "scylla unavailable for " + what + ": " + e
          + " (a node that requires TLS drops plaintext clients: if it does, set tls=true and tls-ca-file)", e);
    }
    return translate(e, what);
  }

  /** The node closed the connection during the handshake, as a TLS-only port does to a plaintext client. */
  private static boolean isDroppedConnection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ClosedConnectionException || t instanceof java.io.EOFException
          || (t instanceof java.io.IOException && t.getMessage() != null && t.getMessage().contains("reset"))) {
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

  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
