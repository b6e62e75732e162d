package dev.onfs.server.metrics;

import static java.util.Objects.requireNonNull;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Measures every RPC: {@code onfs.rpc} timer by method and status code (a histogram, so Prometheus
 * gets latency buckets and per-code counts), {@code onfs.rpc.keys} key rows per request, and
 * {@code onfs.rpc.feature.group} latency by method and feature group for successful retrieve and persist
 * calls, the feature group tagged through {@link RegistryLabels}. Methods are those the server
 * registered (gRPC answers unknown ones before any interceptor). Install it outermost so that
 * authentication failures are counted too.
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
  /** Buckets of key rows per request: batch sizes callers typically use. */
  static final double[] KEY_BUCKETS = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000};

  private final MeterRegistry registry;
  private final RegistryLabels labels;
  // Meters kept by method, then by status code or feature group: registering looks a meter up by its sorted
  // tags, which costs more than the measurement, and a per-call key string would be garbage on every call.
  // The tag values are bounded (status codes, feature groups the registry defines).
  private final ConcurrentHashMap<String, MethodMeters> byMethod = new ConcurrentHashMap<>();

  public GrpcMetricsInterceptor(MeterRegistry registry, RegistryLabels labels) {
    this.registry = requireNonNull(registry, "registry is null");
    this.labels = requireNonNull(labels, "labels is null");
  }

  /** One method's meters. */
  private final class MethodMeters {
    private final String method;
    private final AtomicReferenceArray<Timer> rpcByCode = new AtomicReferenceArray<>(Status.Code.values().length);
    private final ConcurrentHashMap<String, Timer> featureGroupTimers = new ConcurrentHashMap<>();
    private volatile @Nullable DistributionSummary keys;

    MethodMeters(String method) {
      this.method = method;
    }

    Timer rpc(Status.Code code) {
      Timer timer = rpcByCode.get(code.ordinal());
      if (timer == null) {
        // Racing registrations get the same meter back from the registry.
        timer = Timer.builder("onfs.rpc")
            .description("gRPC calls by method and status code, rejected ones included").tag("method", method)
            .tag("code", code.name()).publishPercentileHistogram().register(registry);
        rpcByCode.set(code.ordinal(), timer);
      }
      return timer;
    }

    Timer featureGroup(String featureGroup) {
      return featureGroupTimers.computeIfAbsent(featureGroup, group -> Timer.builder("onfs.rpc.feature.group")
          .description("successful gRPC calls by requested feature group").tag("method", method)
          .tag("feature_group", group).publishPercentileHistogram().register(registry));
    }

    DistributionSummary keys() {
      DistributionSummary summary = keys;
      if (summary == null) {
        summary = DistributionSummary.builder("onfs.rpc.keys")
            .description("key rows (retrieve) or data rows (persist) per request").tag("method", method)
            .serviceLevelObjectives(KEY_BUCKETS).register(registry);
        keys = summary;
      }
      return summary;
    }
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    MethodMeters meters = byMethod.computeIfAbsent(call.getMethodDescriptor().getFullMethodName(), MethodMeters::new);
    List<String> featureGroups = new ArrayList<>(4);
    ServerCall<Q, R> measured = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        long nanos = System.nanoTime() - start;
        meters.rpc(status.getCode()).record(nanos, TimeUnit.NANOSECONDS);
        if (status.isOk()) {
          for (String featureGroup : featureGroups) {
            meters.featureGroup(featureGroup).record(nanos, TimeUnit.NANOSECONDS);
          }
        }
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> listener = next.startCall(measured, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        inspect(meters, message, featureGroups);
        super.onMessage(message);
      }
    };
  }

  private void inspect(MethodMeters meters, Object message, List<String> featureGroups) {
    int keys;
    // The retrieve service reads requests straight into the core's query; a malformed request (either
    // service) is not counted.
    dev.onfs.core.serving.RetrieveQuery retrieve = dev.onfs.grpc.ReceivedRequests.retrieveQuery(message);
    dev.onfs.proto.persist.Query persist = dev.onfs.grpc.ReceivedRequests.persistQuery(message);
    if (retrieve != null) {
      keys = retrieve.keys().size();
      for (dev.onfs.core.serving.RetrieveQuery.FeatureGroup group : retrieve.featureGroups()) {
        featureGroups.add(labels.featureGroup(retrieve.entityLabel(), group.label()));
      }
    } else if (persist != null) {
      dev.onfs.proto.persist.Query query = persist;
      keys = query.getDataCount();
      for (dev.onfs.proto.persist.FeatureGroupSchema group : query.getFeatureGroupSchemaList()) {
        featureGroups.add(labels.featureGroup(query.getEntityLabel(), group.getLabel()));
      }
    } else {
      return;
    }
    meters.keys().record(keys);
  }
}
