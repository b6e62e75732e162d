package dev.onfs.server.logging;

import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.grpc.OnfsHeaders;
import dev.onfs.grpc.ReceivedRequests;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The gRPC access log: one record per call on logger {@code onfs.access} with a request id, the
 * method, the caller, entity, feature groups, key rows, status, latency and whether the line was
 * sampled. Successful calls are logged at {@code sampleRate}; failed ones always, up to
 * {@code errorsPerSecond} (the number left out is carried on the next line written). Every line is
 * at level INFO; its {@code status} says how the call ended.
 *
 * <p>No credentials: headers are never logged, and the caller is the id the authentication
 * interceptor registered for the call, so an id that failed authentication (which may be a token
 * pasted in the wrong header) is not written. Install {@link #interceptor()} outermost, so that
 * refused calls are logged too, and {@link #callerRecorder()} inside authentication.
 */
public final class AccessLog {
  private static final Logger LOG = Logger.getLogger("onfs.access");
  /** A request id a caller may pass; anything else is replaced by one of ours. */
  public static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final int MAX_LABEL = 128;
  private static final Context.Key<Entry> ENTRY = Context.key("onfs-access-log-entry");

  private final double sampleRate;
  private final int errorsPerSecond;
  private final AtomicLong errorWindow = new AtomicLong();
  private final AtomicLong errorsInWindow = new AtomicLong();
  private final AtomicLong suppressedErrors = new AtomicLong();

  /**
   * @param sampleRate share of successful calls logged, 0 (none) to 1 (all)
   * @param errorsPerSecond most failed calls logged per second; 0 logs none
   */
  public AccessLog(double sampleRate, int errorsPerSecond) {
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("sampleRate must be 0..1, got " + sampleRate);
    }
    if (errorsPerSecond < 0) {
      throw new IllegalArgumentException("errorsPerSecond must not be negative, got " + errorsPerSecond);
    }
    this.sampleRate = sampleRate;
    this.errorsPerSecond = errorsPerSecond;
  }

  /** What one call logs; filled in as the call goes through the interceptors and the service. */
  private static final class Entry {
    final long start = System.nanoTime();
    final @Nullable String requestId;
    volatile @Nullable String caller;
    // The request as received; described only when a line is written (most calls write none).
    volatile @Nullable Object request;

    Entry(@Nullable String requestId) {
      this.requestId = requestId;
    }
  }

  /** The outer interceptor: starts the clock and writes the line when the call closes. */
  public ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String asked = headers.get(REQUEST_ID);
        Entry entry = new Entry(asked != null && SAFE_REQUEST_ID.matcher(asked).matches() ? asked : null);
        String method = call.getMethodDescriptor().getFullMethodName();
        ServerCall<Q, R> logged = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            try {
              log(method, entry, status);
            } finally {
              super.close(status, trailers);
            }
          }
        };
        ServerCall.Listener<Q> listener =
            Contexts.interceptCall(Context.current().withValue(ENTRY, entry), logged, headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
          @Override
          public void onMessage(Q message) {
            entry.request = message;
            super.onMessage(message);
          }
        };
      }
    };
  }

  /** The inner interceptor: notes the caller id authentication granted the call. */
  public ServerInterceptor callerRecorder() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        Entry entry = ENTRY.get();
        if (entry != null) {
          entry.caller = OnfsHeaders.CALLER.get();
        }
        return next.startCall(call, headers);
      }
    };
  }

  /** What a line says about the request: entity, feature groups and rows, each null when unknown. */
  private record Described(@Nullable String entity, List<String> featureGroups, @Nullable Integer rows) {}

  private static Described describe(@Nullable Object message) {
    RetrieveQuery retrieve = message == null ? null : ReceivedRequests.retrieveQuery(message);
    dev.onfs.proto.persist.Query persist = message == null ? null : ReceivedRequests.persistQuery(message);
    if (retrieve != null) {
      List<String> groups = new ArrayList<>(retrieve.featureGroups().size());
      for (RetrieveQuery.FeatureGroup group : retrieve.featureGroups()) {
        groups.add(clip(group.label()));
      }
      return new Described(clip(retrieve.entityLabel()), groups, retrieve.keys().size());
    } else if (persist != null) {
      List<String> groups = new ArrayList<>(persist.getFeatureGroupSchemaCount());
      for (dev.onfs.proto.persist.FeatureGroupSchema group : persist.getFeatureGroupSchemaList()) {
        groups.add(clip(group.getLabel()));
      }
      return new Described(clip(persist.getEntityLabel()), groups, persist.getDataCount());
    }
    return new Described(null, List.of(), null);
  }

  private void log(String method, Entry entry, Status status) {
    boolean sampled;
    if (status.isOk()) {
      if (sampleRate <= 0 || (sampleRate < 1 && ThreadLocalRandom.current().nextDouble() >= sampleRate)) {
        return;
      }
      sampled = true;
    } else {
      if (!errorAllowed()) {
        suppressedErrors.incrementAndGet();
        return;
      }
      sampled = false;
    }
    if (!LOG.isLoggable(Level.INFO)) {
      return;
    }
    double latencyMs = (System.nanoTime() - entry.start) / 1_000_000.0;
    String requestId = entry.requestId != null ? entry.requestId
        : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    JsonLinesFormatter.Fields fields = new JsonLinesFormatter.Fields("access");
    fields.put("type", "access");
    fields.put("request_id", requestId);
    fields.put("method", method);
    fields.put("caller", entry.caller);
    Described request = describe(entry.request);
    fields.put("entity", request.entity());
    fields.put("feature_groups", request.featureGroups());
    fields.put("rows", request.rows());
    fields.put("status", status.getCode().name());
    fields.put("latency_ms", Math.round(latencyMs * 1000) / 1000.0);
    fields.put("sampled", sampled);
    if (!status.isOk() && status.getDescription() != null) {
      fields.put("error", clip(status.getDescription()));
    }
    long suppressed = suppressedErrors.getAndSet(0);
    if (suppressed > 0) {
      fields.put("errors_not_logged", suppressed);
    }
    StringBuilder text = new StringBuilder("access");
    fields.forEach((name, value) -> {
      if (value != null && !name.equals("type")) {
        text.append(' ').append(name).append('=').append(value);
      }
    });
    // INFO for failures too: a caller's bad request is the caller's problem, not a warning about the server.
    LogRecord record = new LogRecord(Level.INFO, text.toString());
    record.setLoggerName(LOG.getName());
    record.setParameters(new Object[] {fields});
    LOG.log(record);
  }

  /** At most {@code errorsPerSecond} error lines in each second. */
  private boolean errorAllowed() {
    if (errorsPerSecond == 0) {
      return false;
    }
    long second = System.nanoTime() / 1_000_000_000L;
    long window = errorWindow.get();
    if (window != second && errorWindow.compareAndSet(window, second)) {
      errorsInWindow.set(0);
    }
    return errorsInWindow.incrementAndGet() <= errorsPerSecond;
  }

  private static String clip(String value) {
    return value.length() <= MAX_LABEL ? value : value.substring(0, MAX_LABEL) + "...";
  }
}
