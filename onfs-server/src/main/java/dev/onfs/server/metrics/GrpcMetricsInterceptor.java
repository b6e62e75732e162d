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
  // Meters by "method\0tag": registering looks a meter up by its sorted tags, which costs more than the
  // measurement; the tag values are bounded (status codes, feature groups the registry defines).
  private final ConcurrentHashMap<String, Timer> rpcTimers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> featureGroupTimers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, DistributionSummary> keySummaries = new ConcurrentHashMap<>();

  public GrpcMetricsInterceptor(MeterRegistry registry, RegistryLabels labels) {
    this.registry = requireNonNull(registry, "registry is null");
    this.labels = requireNonNull(labels, "labels is null");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    List<String> featureGroups = new ArrayList<>(4);
    ServerCall<Q, R> measured = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        long nanos = System.nanoTime() - start;
        String code = status.getCode().name();
        rpcTimers.computeIfAbsent(method + '\0' + code, k -> Timer.builder("onfs.rpc")
            .description("gRPC calls by method and status code, rejected ones included").tag("method", method)
            .tag("code", code).publishPercentileHistogram().register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        for (String featureGroup : status.isOk() ? featureGroups : List.<String>of()) {
          featureGroupTimers.computeIfAbsent(method + '\0' + featureGroup, k -> Timer.builder("onfs.rpc.feature.group")
              .description("successful gRPC calls by requested feature group").tag("method", method)
              .tag("feature_group", featureGroup).publishPercentileHistogram().register(registry))
              .record(nanos, TimeUnit.NANOSECONDS);
        }
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> listener = next.startCall(measured, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        inspect(method, message, featureGroups);
        super.onMessage(message);
      }
    };
  }

  private void inspect(String method, Object message, List<String> featureGroups) {
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
    keySummaries.computeIfAbsent(method, k -> DistributionSummary.builder("onfs.rpc.keys")
        .description("key rows (retrieve) or data rows (persist) per request").tag("method", method)
        .serviceLevelObjectives(KEY_BUCKETS).register(registry)).record(keys);
  }
}
