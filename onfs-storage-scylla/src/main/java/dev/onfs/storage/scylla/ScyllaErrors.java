package dev.onfs.storage.scylla;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteFailureException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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

  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
