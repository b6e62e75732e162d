package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreCapabilities;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.grpc.CallerTokens;
import dev.onfs.grpc.OnfsHeaders;
import dev.onfs.grpc.RetrieveMethods;
import dev.onfs.grpc.RetrieveQueryCodec;
import dev.onfs.server.health.Readiness;
import dev.onfs.testing.RedisServer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Bounded work per request and admission control, against a real Redis: a stalled store does not make
 * the server start a thread per waiting call, calls over the concurrency limit are refused at once,
 * and an oversized request is refused before any store read.
 */
class AdmissionControlIT {
  private static final int CALL_THREADS = 16;
  private static final int MAX_CALLS = 64;
  private static final int STORM = 2_000;
  private static final RetrieveQuery ONE_KEY = new RetrieveQuery("user",
      List.of(new RetrieveQuery.FeatureGroup(TypedRegistry.label(dev.onfs.core.types.DataType.FP32), List.of("a", "b"))),
      List.of("user_id"), List.of(RetrieveQuery.Keys.of("1")));

  /** Forwards to the real store and counts reads. */
  private static final class CountingStore implements OnlineStore {
    final OnlineStore delegate;
    final AtomicInteger reads = new AtomicInteger();

    CountingStore(OnlineStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public StoreCapabilities capabilities() {
      return delegate.capabilities();
    }

    @Override
    public ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
      reads.incrementAndGet();
      return delegate.read(table, keys, featureGroups);
    }

    @Override
    public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
      delegate.write(table, featureGroups, rows);
    }

    @Override
    public void delete(StoreTable table, List<EntityKey> keys) {
      delegate.delete(table, keys);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  private static OnfsServer start(RedisServer redis, CountingStore[] storeOut, String... settings) {
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(TypedRegistry.snapshot());
    CountingStore store = new CountingStore(StoreFactories.create("redis", Map.of(
        "nodes", redis.host() + ":" + redis.port(), "connect-timeout-ms", "1000", "socket-timeout-ms", "1000",
        "pool-max-total", "64", "pool-max-wait-ms", "1000")));
    storeOut[0] = store;
    OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build();
    Map<String, String> values = new HashMap<>(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
        "http-port", "0", "shutdown-grace", "2s"));
    for (int i = 0; i < settings.length; i += 2) {
      values.put(settings[i], settings[i + 1]);
    }
    CallerTokens tokens = CallerTokens.of(registry);
    return OnfsServer.start(ServerConfig.fromMap(values), features,
        Readiness.builder(registry).store("redis", store).build(), tokens,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(features, store, registry));
  }

  private static ManagedChannel channel(OnfsServer server) {
    // Callbacks on the network thread: the client adds no threads of its own while calls complete.
    return Grpc.newChannelBuilder("127.0.0.1:" + server.grpcPort(), InsecureChannelCredentials.create())
        .directExecutor().build();
  }

  private static Channel authenticated(ManagedChannel channel) {
    return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(OnfsHeaders.of("test", "test")));
  }

  private static CallOptions deadline(int seconds) {
    return CallOptions.DEFAULT.withDeadlineAfter(seconds, TimeUnit.SECONDS);
  }

  @Test
  void aStalledStoreNeitherGrowsTheServersThreadsNorQueuesCallsPastTheLimit() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    CountingStore[] store = new CountingStore[1];
    try (RedisServer redis = RedisServer.start();
         OnfsServer server = start(redis, store, "grpc-call-threads", Integer.toString(CALL_THREADS),
             "max-concurrent-calls", Integer.toString(MAX_CALLS))) {
      ManagedChannel channel = channel(server);
      try {
        Channel calls = authenticated(channel);
        ClientCalls.blockingUnaryCall(calls, RetrieveMethods.RETRIEVE_FEATURES, deadline(10), ONE_KEY);
        int baseline = threads.getThreadCount();

        redis.pause();
        threads.resetPeakThreadCount();
        Map<Status.Code, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(STORM);
        for (int i = 0; i < STORM; i++) {
          ClientCalls.asyncUnaryCall(calls.newCall(RetrieveMethods.RETRIEVE_FEATURES, deadline(120)), ONE_KEY,
              new StreamObserver<RetrieveResult>() {
                @Override
                public void onNext(RetrieveResult value) {}

                @Override
                public void onError(Throwable t) {
                  outcomes.computeIfAbsent(Status.fromThrowable(t).getCode(), c -> new AtomicInteger()).incrementAndGet();
                  done.countDown();
                }

                @Override
                public void onCompleted() {
                  outcomes.computeIfAbsent(Status.Code.OK, c -> new AtomicInteger()).incrementAndGet();
                  done.countDown();
                }
              });
        }
        assertThat(done.await(120, TimeUnit.SECONDS)).as("every call ends while Redis is paused").isTrue();
        int peak = threads.getPeakThreadCount();
        Map<Status.Code, Integer> counts = new HashMap<>();
        outcomes.forEach((code, n) -> counts.put(code, n.get()));

        // The call pool is started with the server: load adds at most network threads and a few helpers.
        int bound = CALL_THREADS + 2 * Runtime.getRuntime().availableProcessors() + 16;
        assertThat(peak - baseline).as("threads added under load (baseline %d, peak %d)", baseline, peak)
            .isLessThanOrEqualTo(bound);
        // No call can succeed while Redis is paused: the admitted ones time out in the store, the rest are refused.
        assertThat(counts.keySet()).as("%s", counts)
            .isSubsetOf(Status.Code.RESOURCE_EXHAUSTED, Status.Code.DEADLINE_EXCEEDED, Status.Code.UNAVAILABLE);
        assertThat(counts.getOrDefault(Status.Code.RESOURCE_EXHAUSTED, 0)).as("%s", counts).isGreaterThan(STORM / 2);

        redis.resume();
        assertThat(ClientCalls.blockingUnaryCall(calls, RetrieveMethods.RETRIEVE_FEATURES, deadline(10), ONE_KEY)
            .rows()).hasSize(1);
        assertThat(threads.getThreadCount()).as("threads once the calls are over").isLessThanOrEqualTo(baseline + 4);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aMillionKeyRetrieveIsRefusedWithoutReadingTheStore() throws Exception {
    List<RetrieveQuery.Keys> keys = new ArrayList<>(1_000_000);
    for (int i = 0; i < 1_000_000; i++) {
      keys.add(RetrieveQuery.Keys.of(Integer.toString(i)));
    }
    RetrieveQuery huge = new RetrieveQuery("user", ONE_KEY.featureGroups(), List.of("user_id"), keys);
    CountingStore[] store = new CountingStore[1];
    try (RedisServer redis = RedisServer.start()) {
      // The default message size already stops it; with a larger one, the key limit does.
      for (String[] settings : List.of(new String[0], new String[] {"max-inbound-message-size", "67108864"})) {
        try (OnfsServer server = start(redis, store, settings)) {
          ManagedChannel channel = channel(server);
          try {
            Channel calls = authenticated(channel);
            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(calls, RetrieveMethods.RETRIEVE_FEATURES, deadline(60), huge));
            assertThat(refused).isNotNull();
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(refused.getStatus().getDescription()).isEqualTo(settings.length == 0
                ? "gRPC message exceeds maximum size 4194304: " + RetrieveQueryCodec.encode(huge).length
                : "keys per request: 1000000 > limit 10000 (option max-keys-per-request)");
            assertThat(store[0].reads.get()).isZero();
            assertThat(ClientCalls.blockingUnaryCall(calls, RetrieveMethods.RETRIEVE_FEATURES, deadline(10), ONE_KEY)
                .rows()).hasSize(1);
          } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
          }
        }
      }
    }
  }
}
