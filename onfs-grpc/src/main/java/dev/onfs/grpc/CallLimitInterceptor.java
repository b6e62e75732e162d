package dev.onfs.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Admission control: bounds the calls in flight, for the whole server and for each caller (the
 * {@code online-feature-store-caller-id} header), and refuses a call over either bound at once with
 * RESOURCE_EXHAUSTED naming the limit, instead of queueing it behind calls that may be waiting for a
 * slow store. A call counts from its start until it is closed, or cancelled (a client that gave up on a
 * call whose handler still waits for the store frees its slot only when the handler returns: the
 * slot stands for the work, not for the client's patience).
 *
 * <p>Place it inside {@link CallerAuthInterceptor}, so that only authenticated calls take a slot.
 */
public final class CallLimitInterceptor implements ServerInterceptor {
  private final int maxCalls;
  private final int maxCallsPerCaller;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> inFlightByCaller = new ConcurrentHashMap<>();

  /**
   * @param maxCalls calls in flight at once over all callers
   * @param maxCallsPerCaller calls in flight at once for one caller id; 0 for no limit of its own
   */
  public CallLimitInterceptor(int maxCalls, int maxCallsPerCaller) {
    if (maxCalls <= 0) {
      throw new IllegalArgumentException("maxCalls must be positive, got " + maxCalls);
    }
    if (maxCallsPerCaller < 0) {
      throw new IllegalArgumentException("maxCallsPerCaller must not be negative, got " + maxCallsPerCaller);
    }
    this.maxCalls = maxCalls;
    this.maxCallsPerCaller = maxCallsPerCaller;
  }

  /** Calls now in flight; for tests and metrics. */
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (inFlight.incrementAndGet() > maxCalls) {
      inFlight.decrementAndGet();
      return refuse(call, "server busy: concurrent calls limit " + maxCalls + " reached (option max-concurrent-calls)");
    }
    String caller = maxCallsPerCaller > 0 ? headers.get(OnfsHeaders.CALLER_ID_KEY) : null;
    if (caller != null && !acquire(caller)) {
      inFlight.decrementAndGet();
      return refuse(call, "server busy: concurrent calls limit " + maxCallsPerCaller + " of caller '" + caller
          + "' reached (option max-concurrent-calls-per-caller)");
    }
    Slot slot = new Slot(caller);
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          slot.release();
          super.close(status, trailers);
        }
      }, headers);
    } catch (RuntimeException | Error e) {
      slot.release();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        slot.release();
        super.onCancel();
      }

      @Override
      public void onComplete() {
        slot.release();
        super.onComplete();
      }
    };
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String message) {
    call.close(Status.RESOURCE_EXHAUSTED.withDescription(message + "; retry later"), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private boolean acquire(String caller) {
    boolean[] acquired = {false};
    inFlightByCaller.compute(caller, (k, n) -> {
      int current = n == null ? 0 : n;
      if (current >= maxCallsPerCaller) {
        return n;
      }
      acquired[0] = true;
      return current + 1;
    });
    return acquired[0];
  }

  /** One admitted call's hold on the counters, given back exactly once. */
  private final class Slot {
    private final @Nullable String caller;
    private final AtomicBoolean released = new AtomicBoolean();

    Slot(@Nullable String caller) {
      this.caller = caller;
    }

    void release() {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      inFlight.decrementAndGet();
      if (caller != null) {
        // Callers with nothing in flight leave the map, so it holds only active callers.
        inFlightByCaller.computeIfPresent(caller, (k, n) -> n <= 1 ? null : n - 1);
      }
    }
  }
}
