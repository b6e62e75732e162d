package dev.onfs.benchmarks.grpc;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.OnlineFeatureStore;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.serving.Values;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.types.DataType;
import dev.onfs.grpc.CallerTokens;
import dev.onfs.server.OnfsServer;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.StoreFactories;
import dev.onfs.testing.RedisServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Closed-loop load generator: N clients each retrieve 100 random user ids x 3 feature groups through
 * gRPC from a Redis-backed server, back to back, for a fixed time; then the same clients read the same
 * Redis keys with raw jedis (one MGET, and a pipeline of GETs, per request) as the baseline, in the same
 * run. Prints throughput and p50/p99/p99.9 of each and their ratios.
 *
 * <p>Run: {@code ./mvnw -B -pl benchmarks -am verify -Dit.test=GrpcServingLoadIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * -Donfs.load.clients=8 -Donfs.load.seconds=20}, or {@link #main} from an IDE.
 */
public final class GrpcServingLoad {
  static final String ENTITY = "user";
  static final List<String> GROUPS = List.of("user_stats", "user_counts", "user_profile");

  /** Load parameters. */
  public record Settings(int clients, int seconds, int warmupSeconds, int users, int idsPerRequest) {}

  /** One measured phase. */
  public record Phase(String name, long requests, double seconds, Histogram latencyMicros) {
    double throughput() {
      return requests / seconds;
    }

    String line() {
      return String.format("%-28s %10.0f req/s  p50 %7.0f us  p99 %7.0f us  p99.9 %7.0f us  (%d requests)",
          name, throughput(), (double) latencyMicros.getValueAtPercentile(50),
          (double) latencyMicros.getValueAtPercentile(99), (double) latencyMicros.getValueAtPercentile(99.9), requests);
    }
  }

  private GrpcServingLoad() {}

  public static void main(String[] args) throws Exception {
    Settings settings = new Settings(Integer.getInteger("onfs.load.clients", 8), Integer.getInteger("onfs.load.seconds", 20),
        Integer.getInteger("onfs.load.warmup", 5), Integer.getInteger("onfs.load.users", 10_000), 100);
    for (String line : run(settings)) {
      System.out.println(line);
    }
  }

  static RegistrySnapshot registry() {
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "redis", 1, "user_features", List.of("user_id"), 0))
        .entity(Entity.builder(ENTITY).key("user_id", "user_id")
            .featureGroup(group("user_stats", 0, DataType.FP32, 10, 0))
            .featureGroup(group("user_counts", 1, DataType.INT64, 5, 0))
            .featureGroup(group("user_profile", 2, DataType.STRING, 3, 16))
            .build())
        .readerToken("load", "load")
        .build();
  }

  private static FeatureGroup group(String label, int id, DataType type, int features, int stringLength) {
    FeatureVersion.Builder version = FeatureVersion.builder(1);
    for (int i = 0; i < features; i++) {
      byte[] zero = type == DataType.STRING ? new byte[0] : new byte[type.width()];
      version.feature("f" + i, zero, stringLength, 0);
    }
    return FeatureGroup.builder(label).id(id).storeId("1").dataType(type).ttlInSeconds(0).activeVersion(1)
        .layoutVersion(1).column("seg_" + id, 256).version(version.build()).build();
  }

  static List<String> labels(int n) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add("f" + i);
    }
    return labels;
  }

  private static void load(OnfsClient client, int users) {
    List<PersistQuery.FeatureGroupSchema> schema = List.of(
        new PersistQuery.FeatureGroupSchema("user_stats", labels(10)),
        new PersistQuery.FeatureGroupSchema("user_counts", labels(5)),
        new PersistQuery.FeatureGroupSchema("user_profile", labels(3)));
    List<PersistQuery.Data> rows = new ArrayList<>();
    for (int user = 0; user < users; user++) {
      double[] stats = new double[10];
      long[] counts = new long[5];
      for (int i = 0; i < 10; i++) {
        stats[i] = user * 0.01 + i;
      }
      for (int i = 0; i < 5; i++) {
        counts[i] = user * 7L + i;
      }
      rows.add(new PersistQuery.Data(List.of(Integer.toString(user)), List.of(Values.fp32(stats), Values.int64(counts),
          Values.strings("city" + user % 50, "seg" + user % 7, "tier" + user % 3))));
      if (rows.size() == 500) {
        client.persist(new PersistQuery(ENTITY, List.of("user_id"), schema, rows));
        rows = new ArrayList<>();
      }
    }
    if (!rows.isEmpty()) {
      client.persist(new PersistQuery(ENTITY, List.of("user_id"), schema, rows));
    }
  }

  /** Runs both phases and returns the report lines. */
  public static List<String> run(Settings settings) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(registry());
      OnlineStore store = StoreFactories.create("redis", Map.of("nodes", redis.host() + ":" + redis.port(),
          "pool-max-total", Integer.toString(Math.max(32, 2 * settings.clients()))));
      OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store)
          .executor(java.util.concurrent.Executors.newFixedThreadPool(Math.max(8, 2 * settings.clients()), r -> {
            Thread t = new Thread(r, "load-serving");
            t.setDaemon(true);
            return t;
          })).build();
      ServerConfig config = ServerConfig.fromMap(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
          "http-port", "0", "shutdown-grace", "2s"));
      CallerTokens tokens = callerId -> Optional.ofNullable(registry.readerToken(callerId));
      List<String> report = new ArrayList<>();
      try (OnfsServer server = OnfsServer.start(config, features, tokens,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(features, store, registry));
           OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
               .credentials("load", "load").batchSize(settings.idsPerRequest()).maxRetries(0).build()) {
        load(client, settings.users());
        List<RetrieveQuery.FeatureGroup> groups = List.of(
            new RetrieveQuery.FeatureGroup("user_stats", labels(10)),
            new RetrieveQuery.FeatureGroup("user_counts", labels(5)),
            new RetrieveQuery.FeatureGroup("user_profile", labels(3)));
        Phase grpc = measure("onfs gRPC retrieve", settings, random -> {
          List<RetrieveQuery.Keys> keys = new ArrayList<>(settings.idsPerRequest());
          for (int i = 0; i < settings.idsPerRequest(); i++) {
            keys.add(RetrieveQuery.Keys.of(Integer.toString(random.nextInt(settings.users()))));
          }
          RetrieveResult result = client.retrieve(new RetrieveQuery(ENTITY, groups, List.of("user_id"), keys));
          if (result.rows().size() != settings.idsPerRequest() || result.rows().get(0).columns().size() != 18) {
            throw new IllegalStateException("unexpected result shape");
          }
        });

        ThreadLocal<Jedis> jedis = ThreadLocal.withInitial(() -> new Jedis(redis.host(), redis.port()));
        Phase mget = measure("raw jedis MGET", settings, random -> {
          byte[][] keys = new byte[settings.idsPerRequest()][];
          for (int i = 0; i < keys.length; i++) {
            keys[i] = (ENTITY + ":" + random.nextInt(settings.users())).getBytes(StandardCharsets.UTF_8);
          }
          List<byte[]> values = jedis.get().mget(keys);
          if (values.get(0) == null) {
            throw new IllegalStateException("key missing: the baseline must read what the server reads");
          }
        });
        Phase pipelined = measure("raw jedis pipelined GETs", settings, random -> {
          Pipeline pipeline = jedis.get().pipelined();
          List<redis.clients.jedis.Response<byte[]>> responses = new ArrayList<>(settings.idsPerRequest());
          for (int i = 0; i < settings.idsPerRequest(); i++) {
            responses.add(pipeline.get((ENTITY + ":" + random.nextInt(settings.users())).getBytes(StandardCharsets.UTF_8)));
          }
          pipeline.sync();
          if (responses.get(0).get() == null) {
            throw new IllegalStateException("key missing");
          }
        });
        report.add(String.format("clients=%d, %d ids x 3 feature groups (18 features) per request, %d users, %ds measured"
            + " after %ds warm-up, %d cores", settings.clients(), settings.idsPerRequest(), settings.users(),
            settings.seconds(), settings.warmupSeconds(), Runtime.getRuntime().availableProcessors()));
        report.add(grpc.line());
        report.add(mget.line());
        report.add(pipelined.line());
        report.add(String.format("onfs / MGET: throughput x%.2f, p50 x%.2f, p99 x%.2f",
            grpc.throughput() / mget.throughput(), ratio(grpc, mget, 50), ratio(grpc, mget, 99)));
        report.add(String.format("onfs / pipelined GETs: throughput x%.2f, p50 x%.2f, p99 x%.2f",
            grpc.throughput() / pipelined.throughput(), ratio(grpc, pipelined, 50), ratio(grpc, pipelined, 99)));
      }
      return report;
    }
  }

  private static double ratio(Phase a, Phase b, double percentile) {
    return (double) a.latencyMicros().getValueAtPercentile(percentile)
        / Math.max(1, b.latencyMicros().getValueAtPercentile(percentile));
  }

  interface Request {
    void run(SplittableRandom random) throws Exception;
  }

  /** Closed loop: every client sends its next request when the previous one returns. */
  static Phase measure(String name, Settings settings, Request request) throws Exception {
    Histogram total = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    AtomicLong requests = new AtomicLong();
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmupSeconds());
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(settings.seconds());
    CountDownLatch done = new CountDownLatch(settings.clients());
    List<Histogram> perClient = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < settings.clients(); c++) {
      Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
      perClient.add(histogram);
      SplittableRandom random = new SplittableRandom(42 + c);
      Thread thread = new Thread(() -> {
        try {
          long now;
          while ((now = System.nanoTime()) < end) {
            request.run(random);
            long after = System.nanoTime();
            if (now >= warmupEnd) {
              histogram.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(after - now), histogram.getHighestTrackableValue()));
              requests.incrementAndGet();
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        } finally {
          done.countDown();
        }
      }, "load-" + name + "-" + c);
      thread.setDaemon(true);
      thread.start();
    }
    done.await();
    if (!failures.isEmpty()) {
      throw new IllegalStateException(name + " failed", failures.get(0));
    }
    for (Histogram histogram : perClient) {
      total.add(histogram);
    }
    return new Phase(name, requests.get(), settings.seconds(), total);
  }
}
