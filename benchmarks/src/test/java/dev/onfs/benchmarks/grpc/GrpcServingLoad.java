package dev.onfs.benchmarks.grpc;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.serving.OnlineFeatureStore;
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
import dev.onfs.server.health.Readiness;
import dev.onfs.testing.RedisServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Load generator: N clients each retrieve 100 random user ids x 3 feature groups through gRPC from a
 * Redis-backed server, back to back (closed loop), for a fixed time; then the same through a server whose
 * near cache holds every key, the same two on the embedded core without gRPC, and as the baseline raw
 * jedis reads of the same Redis keys (one MGET, and a pipeline of GETs, per request), all in the same run;
 * last an open-loop gRPC run at half the closed-loop throughput. Prints throughput and p50/p99/p99.9 of
 * each and their ratios.
 *
 * <p>Run: {@code ./mvnw -B -pl benchmarks -am verify -Dit.test=GrpcServingLoadIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * -Donfs.load.clients=8 -Donfs.load.seconds=20}, or {@link #main} from an IDE.
 */
public final class GrpcServingLoad {
  static final String ENTITY = "user";

  /** Load parameters. */
  public record Settings(int clients, int seconds, int warmupSeconds, int users, int idsPerRequest) {}

  /**
   * One measured phase.
   *
   * @param cpuNanos CPU of this JVM over the measured part
   * @param serverThreadNanos CPU of the server's own threads (its network threads, and its call pool
   *     when it has one): what one server process spends, without the clients
   * @param redisNanos CPU of the redis-server process ({@code INFO cpu})
   * @param compilerNanos CPU of the JIT compiler threads (part of {@code cpuNanos}): when it is not near
   *     zero the warm-up was too short for this machine and the JVM figures still include compilation
   * @param allocatedBytes heap allocated by this JVM's threads over the measured part
   * @param serverThreadAllocatedBytes heap allocated by the server's own threads (as for {@code serverThreadNanos})
   * @param redisCommands commands redis-server ran ({@code INFO commandstats}), without the load's own
   *     {@code INFO} calls
   */
  public record Phase(String name, long requests, double seconds, Histogram latencyMicros, long cpuNanos,
      long serverThreadNanos, long redisNanos, long compilerNanos, long allocatedBytes,
      long serverThreadAllocatedBytes, long redisCommands) {
    double throughput() {
      return requests / seconds;
    }

    double cpuPerRequest() {
      return (double) cpuNanos / Math.max(1, requests);
    }

    String line() {
      return String.format("%-28s %10.0f req/s  p50 %7.0f us  p99 %7.0f us  p99.9 %7.0f us  (%d requests,"
          + " CPU per request: %.0f us in this JVM (%.0f us of it JIT compiling), %.0f us in server threads,"
          + " %.0f us in redis-server;"
          + " allocated per request: %.1f KB in this JVM, %.1f KB in server threads;"
          + " redis commands per request: %.2f)",
          name, throughput(), (double) latencyMicros.getValueAtPercentile(50),
          (double) latencyMicros.getValueAtPercentile(99), (double) latencyMicros.getValueAtPercentile(99.9), requests,
          perRequest(cpuNanos) / 1e3, perRequest(compilerNanos) / 1e3, perRequest(serverThreadNanos) / 1e3,
          perRequest(redisNanos) / 1e3,
          perRequest(allocatedBytes) / 1024, perRequest(serverThreadAllocatedBytes) / 1024, perRequest(redisCommands));
    }

    private double perRequest(long total) {
      return (double) total / Math.max(1, requests);
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

  /** The load's registry; {@code nearCache} turns on the entity's and every group's in-memory cache. */
  static RegistrySnapshot registry(boolean nearCache) {
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "redis", 1, "user_features", List.of("user_id"), 0))
        .entity(Entity.builder(ENTITY).key("user_id", "user_id")
            .inMemoryCache(nearCache ? new CacheConfig(true, 3600, 0, 0) : CacheConfig.DISABLED)
            .featureGroup(group("user_stats", 0, DataType.FP32, 10, 0, nearCache))
            .featureGroup(group("user_counts", 1, DataType.INT64, 5, 0, nearCache))
            .featureGroup(group("user_profile", 2, DataType.STRING, 3, 16, nearCache))
            .build())
        .readerToken("load", "load")
        .writerToken("load", "load")
        .build();
  }

  private static FeatureGroup group(String label, int id, DataType type, int features, int stringLength,
      boolean nearCache) {
    FeatureVersion.Builder version = FeatureVersion.builder(1);
    for (int i = 0; i < features; i++) {
      byte[] zero = type == DataType.STRING ? new byte[0] : new byte[type.width()];
      version.feature("f" + i, zero, stringLength, 0);
    }
    return FeatureGroup.builder(label).id(id).storeId("1").dataType(type).ttlInSeconds(0).activeVersion(1)
        .layoutVersion(1).column("seg_" + id, 256).inMemoryCacheEnabled(nearCache).version(version.build()).build();
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

  /** The server's {@code grpc-executor}: {@code direct} unless {@code -Donfs.load.executor} says otherwise. */
  static String executor() {
    return System.getProperty("onfs.load.executor", "direct");
  }

  /** Runs every phase and returns the report lines. */
  public static List<String> run(Settings settings) throws Exception {
    try (RedisServer redis = RedisServer.start(); Jedis info = new Jedis(redis.host(), redis.port())) {
      redisCpuNanos = () -> redisCpu(info);
      redisCommandCalls = () -> redisCommands(info);
      InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(registry(false));
      InMemoryFeatureRegistry cachedRegistry = new InMemoryFeatureRegistry(registry(true));
      OnlineStore store = StoreFactories.create("redis", Map.of("nodes", redis.host() + ":" + redis.port(),
          "pool-max-total", Integer.toString(Math.max(32, 2 * settings.clients()))));
      OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build();
      // The same Redis store behind a near cache that the warm-up fills: every measured key hits it.
      OnlineFeatureStore cachedFeatures = OnlineFeatureStore.builder().registry(cachedRegistry).store(store)
          .nearCache().build();
      ServerConfig config = ServerConfig.fromMap(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
          "http-port", "0", "shutdown-grace", "2s", "grpc-executor", executor(),
          "grpc-event-loop-threads", System.getProperty("onfs.load.eventLoops", "0")));
      CallerTokens tokens = CallerTokens.of(registry);
      List<String> report = new ArrayList<>();
      try (OnfsServer server = OnfsServer.start(config, features,
              Readiness.builder(registry).store("redis", store).build(), tokens,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(features, store, registry));
           OnfsServer cachedServer = OnfsServer.start(config, cachedFeatures,
              Readiness.builder(cachedRegistry).store("redis", store).build(), tokens,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(cachedFeatures, cachedRegistry));
           ClientPerThread clients = new ClientPerThread(server, settings);
           ClientPerThread cachedClients = new ClientPerThread(cachedServer, settings)) {
        load(clients.get(), settings.users());
        List<RetrieveQuery.FeatureGroup> groups = List.of(
            new RetrieveQuery.FeatureGroup("user_stats", labels(10)),
            new RetrieveQuery.FeatureGroup("user_counts", labels(5)),
            new RetrieveQuery.FeatureGroup("user_profile", labels(3)));
        Request grpcRequest = retrieving(settings, groups, query -> clients.get().retrieve(query));
        Phase grpc = measureIf("grpc", "onfs gRPC retrieve", settings, grpcRequest);
        Phase cached = measureIf("cached", "onfs gRPC near cache", settings,
            retrieving(settings, groups, query -> cachedClients.get().retrieve(query)));
        // The same retrieve without gRPC, to split the cost between the edge and the core.
        Phase embedded = measureIf("embedded", "embedded core retrieve", settings,
            retrieving(settings, groups, features::retrieve));
        Phase embeddedCached = measureIf("embedded-cached", "embedded core near cache", settings,
            retrieving(settings, groups, cachedFeatures::retrieve));

        ThreadLocal<Jedis> jedis = ThreadLocal.withInitial(() -> new Jedis(redis.host(), redis.port()));
        Phase mget = measureIf("mget", "raw jedis MGET", settings, random -> {
          byte[][] keys = new byte[settings.idsPerRequest()][];
          for (int i = 0; i < keys.length; i++) {
            keys[i] = (ENTITY + ":" + random.nextInt(settings.users())).getBytes(StandardCharsets.UTF_8);
          }
          List<byte[]> values = jedis.get().mget(keys);
          if (values.get(0) == null) {
            throw new IllegalStateException("key missing: the baseline must read what the server reads");
          }
        });
        Phase pipelined = measureIf("pipelined", "raw jedis pipelined GETs", settings, random -> {
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
        // Open loop at half the closed-loop gRPC throughput (or -Donfs.load.rate): latency at a load the
        // server can carry, counted from each request's scheduled start.
        String defaultRate = grpc == null ? "0" : Double.toString(grpc.throughput() / 2);
        double rate = Double.parseDouble(System.getProperty("onfs.load.rate", defaultRate));
        Phase openLoop = rate <= 0 ? null
            : measureOpenLoopIf("open", String.format("onfs gRPC at %.0f req/s", rate), settings, rate, grpcRequest);

        report.add(String.format("clients=%d, %d ids x 3 feature groups (18 features) per request, %d users, %ds measured"
            + " after %ds warm-up, %d cores, grpc-executor=%s", settings.clients(), settings.idsPerRequest(),
            settings.users(), settings.seconds(), settings.warmupSeconds(), Runtime.getRuntime().availableProcessors(),
            executor()));
        for (Phase phase : java.util.Arrays.asList(grpc, cached, embedded, embeddedCached, mget, pipelined, openLoop)) {
          if (phase != null) {
            report.add(phase.line());
          }
        }
        ratio(report, "onfs gRPC / raw MGET", grpc, mget);
        ratio(report, "embedded core / raw MGET", embedded, mget);
        ratio(report, "onfs gRPC / embedded core", grpc, embedded);
        ratio(report, "onfs gRPC near cache / onfs gRPC", cached, grpc);
        ratio(report, "embedded near cache / embedded", embeddedCached, embedded);
        ratio(report, "onfs gRPC / pipelined GETs", grpc, pipelined);
        if (grpc != null && mget != null && grpc.serverThreadNanos() > 0) {
          // What one server core and one Redis core each serve: the server's own threads per retrieve
          // against redis-server's CPU per MGET of the same keys.
          report.add(String.format("onfs server threads per gRPC retrieve / redis-server per raw MGET: CPU x%.2f",
              grpc.perRequest(grpc.serverThreadNanos()) / mget.perRequest(mget.redisNanos())));
          // The rest of this JVM, without JIT compiling, is the client side (and GC, as in the MGET run).
          report.add(String.format("onfs client per gRPC retrieve (this JVM minus server threads and JIT) / raw MGET"
              + " in this JVM minus JIT: CPU x%.2f",
              grpc.perRequest(grpc.cpuNanos() - grpc.serverThreadNanos() - grpc.compilerNanos())
                  / mget.perRequest(mget.cpuNanos() - mget.compilerNanos())));
          report.add(String.format("redis-server per gRPC retrieve / per raw MGET: CPU x%.2f, commands x%.2f",
              grpc.perRequest(grpc.redisNanos()) / mget.perRequest(mget.redisNanos()),
              grpc.perRequest(grpc.redisCommands()) / mget.perRequest(mget.redisCommands())));
        }
        for (Phase phase : java.util.Arrays.asList(grpc, cached)) {
          if (phase != null && phase.serverThreadNanos() > 0) {
            report.add(String.format("%s: server threads allocate %.1f KB per request", phase.name(),
                phase.perRequest(phase.serverThreadAllocatedBytes()) / 1024));
          }
        }
      }
      return report;
    }
  }

  /**
   * Each load thread's own client, so that N concurrent clients are N connections as they are in
   * production (N service instances); {@code -Donfs.load.connections=shared} makes every thread share one.
   */
  static final class ClientPerThread implements AutoCloseable {
    private final List<OnfsClient> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<OnfsClient> perThread;

    ClientPerThread(OnfsServer server, Settings settings) {
      OnfsClient shared = client(server, settings);
      all.add(shared);
      boolean perClient = !System.getProperty("onfs.load.connections", "per-client").equals("shared");
      this.perThread = ThreadLocal.withInitial(() -> {
        if (!perClient) {
          return shared;
        }
        OnfsClient own = client(server, settings);
        all.add(own);
        return own;
      });
    }

    OnfsClient get() {
      return perThread.get();
    }

    @Override
    public void close() {
      synchronized (all) {
        all.forEach(OnfsClient::close);
      }
    }
  }

  private static OnfsClient client(OnfsServer server, Settings settings) {
    return OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
        .credentials("load", "load").batchSize(settings.idsPerRequest()).maxRetries(0).build();
  }

  /** A retrieve of random ids through {@code retrieve}, failing on a result of the wrong shape. */
  private static Request retrieving(Settings settings, List<RetrieveQuery.FeatureGroup> groups,
      Function<RetrieveQuery, RetrieveResult> retrieve) {
    return random -> {
      RetrieveResult result = retrieve.apply(query(settings, groups, random));
      if (result.rows().size() != settings.idsPerRequest() || result.rows().get(0).columns().size() != 18) {
        throw new IllegalStateException("unexpected result shape");
      }
    };
  }

  private static RetrieveQuery query(Settings settings, List<RetrieveQuery.FeatureGroup> groups, SplittableRandom random) {
    List<RetrieveQuery.Keys> keys = new ArrayList<>(settings.idsPerRequest());
    for (int i = 0; i < settings.idsPerRequest(); i++) {
      keys.add(RetrieveQuery.Keys.of(Integer.toString(random.nextInt(settings.users()))));
    }
    return new RetrieveQuery(ENTITY, groups, List.of("user_id"), keys);
  }

  /** The phases {@code -Donfs.load.phases} names (comma-separated; all when unset). */
  static boolean selected(String phase) {
    String phases = System.getProperty("onfs.load.phases", "");
    return phases.isBlank() || List.of(phases.split(",")).contains(phase);
  }

  static Phase measureIf(String key, String name, Settings settings, Request request)
      throws Exception {
    return selected(key) ? measure(name, settings, request) : null;
  }

  static Phase measureOpenLoopIf(
      String key, String name, Settings settings, double rate, Request request) throws Exception {
    return selected(key) ? measureOpenLoop(name, settings, rate, request) : null;
  }

  private static void ratio(List<String> report, String label, Phase a,
      Phase b) {
    if (a != null && b != null) {
      report.add(String.format("%s: throughput x%.2f, p50 x%.2f, p99 x%.2f, CPU per request x%.2f", label,
          a.throughput() / b.throughput(), ratio(a, b, 50), ratio(a, b, 99), a.cpuPerRequest() / b.cpuPerRequest()));
    }
  }

  private static double ratio(Phase a, Phase b, double percentile) {
    return (double) a.latencyMicros().getValueAtPercentile(percentile)
        / Math.max(1, b.latencyMicros().getValueAtPercentile(percentile));
  }

  interface Request {
    void run(SplittableRandom random) throws Exception;
  }

  /**
   * Open loop: the clients together start {@code rate} requests per second on a fixed schedule; a
   * request's latency counts from its scheduled start, so time spent queued behind a slow one counts.
   */
  static Phase measureOpenLoop(String name, Settings settings, double rate, Request request) throws Exception {
    long intervalNanos = (long) (1e9 * settings.clients() / rate);
    return run(name, settings, (random, warmupEnd, end, histogram, requests) -> {
      long next = System.nanoTime() + random.nextLong(intervalNanos);
      while (next < end) {
        long now;
        while ((now = System.nanoTime()) < next) {
          java.util.concurrent.locks.LockSupport.parkNanos(next - now);
        }
        request.run(random);
        long after = System.nanoTime();
        if (next >= warmupEnd) {
          histogram.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(after - next), histogram.getHighestTrackableValue()));
          requests.incrementAndGet();
        }
        next += intervalNanos;
      }
    });
  }

  /** CPU of redis-server so far; set by {@link #run(Settings)}. */
  private static volatile java.util.function.LongSupplier redisCpuNanos = () -> 0;
  /** Commands redis-server has run so far, by command; set by {@link #run(Settings)}. */
  private static volatile java.util.function.Supplier<Map<String, Long>> redisCommandCalls = Map::of;

  /** CPU of redis-server so far, from {@code INFO cpu} (user + system seconds). */
  private static long redisCpu(Jedis jedis) {
    double seconds = 0;
    for (String line : jedis.info("cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return (long) (seconds * 1e9);
  }

  /** Calls so far by command, from {@code INFO commandstats} ({@code cmdstat_mget:calls=12,...}). */
  private static Map<String, Long> redisCommands(Jedis jedis) {
    Map<String, Long> calls = new java.util.TreeMap<>();
    for (String line : jedis.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String command = line.substring("cmdstat_".length(), line.indexOf(':'));
        String stats = line.substring(line.indexOf("calls=") + "calls=".length());
        calls.put(command, Long.parseLong(stats.substring(0, stats.indexOf(','))));
      }
    }
    return calls;
  }

  /** Commands run between two {@link #redisCommands} snapshots, without the load's own {@code INFO}. */
  private static long commandsBetween(Map<String, Long> start, Map<String, Long> end) {
    long commands = 0;
    for (Map.Entry<String, Long> command : end.entrySet()) {
      if (!command.getKey().equals("info")) {
        commands += command.getValue() - start.getOrDefault(command.getKey(), 0L);
      }
    }
    return commands;
  }

  /** What one thread has used so far: CPU time and heap allocated. */
  private record ThreadUse(long cpuNanos, long allocatedBytes) {}

  /**
   * CPU and allocation by thread id, of every live thread ({@code serverOnly} false) or of the server's
   * own threads: its network threads when it has its own ({@code grpc-event-loop-threads} > 0) and gRPC's
   * call pool ({@code grpc-executor: pool}). With the shared default network group the server's network
   * work is not separable from the clients'.
   */
  private static Map<Long, ThreadUse> threadUse(boolean serverOnly) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    Map<Long, ThreadUse> use = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && (!serverOnly || info.getThreadName().startsWith("onfs-grpc-")
          || info.getThreadName().startsWith("grpc-default-executor"))) {
        long nanos = threads.getThreadCpuTime(info.getThreadId());
        long bytes = threads.getThreadAllocatedBytes(info.getThreadId());
        if (nanos >= 0 && bytes >= 0) {
          use.put(info.getThreadId(), new ThreadUse(nanos, bytes));
        }
      }
    }
    return use;
  }

  /** Use between two {@link #threadUse} snapshots; a thread started in between counts from zero. */
  private static ThreadUse useBetween(Map<Long, ThreadUse> start, Map<Long, ThreadUse> end) {
    long nanos = 0;
    long bytes = 0;
    for (Map.Entry<Long, ThreadUse> thread : end.entrySet()) {
      ThreadUse before = start.getOrDefault(thread.getKey(), new ThreadUse(0, 0));
      nanos += thread.getValue().cpuNanos() - before.cpuNanos();
      bytes += thread.getValue().allocatedBytes() - before.allocatedBytes();
    }
    return new ThreadUse(nanos, bytes);
  }

  /**
   * CPU of the JIT compiler threads so far, from {@code /proc/self/task/*}{@code /stat} (clock ticks, taken as
   * 1/100 s); 0 where there is no {@code /proc}. The JVM hides these threads from {@code ThreadMXBean}.
   */
  private static long compilerCpuNanos() {
    long ticks = 0;
    try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks =
        java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
      for (java.nio.file.Path task : tasks) {
        String stat;
        try {
          stat = java.nio.file.Files.readString(task.resolve("stat"));
        } catch (java.io.IOException e) {
          continue; // the thread ended
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.contains("CompilerThre")) {
          // Fields after the name: state is the 3rd field, utime the 14th and stime the 15th.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
    return ticks * 10_000_000L;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  interface ClientLoop {
    void run(SplittableRandom random, long warmupEnd, long end, Histogram histogram, AtomicLong requests) throws Exception;
  }

  /** Closed loop: every client sends its next request when the previous one returns. */
  static Phase measure(String name, Settings settings, Request request) throws Exception {
    return run(name, settings, (random, warmupEnd, end, histogram, requests) -> {
      long now;
      while ((now = System.nanoTime()) < end) {
        request.run(random);
        long after = System.nanoTime();
        if (now >= warmupEnd) {
          histogram.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(after - now), histogram.getHighestTrackableValue()));
          requests.incrementAndGet();
        }
      }
    });
  }

  private static Phase run(String name, Settings settings, ClientLoop loop) throws Exception {
    Histogram total = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    AtomicLong requests = new AtomicLong();
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmupSeconds());
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(settings.seconds());
    CountDownLatch done = new CountDownLatch(settings.clients());
    // The load threads stay alive until their allocation has been read.
    CountDownLatch measured = new CountDownLatch(1);
    List<Histogram> perClient = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < settings.clients(); c++) {
      Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
      perClient.add(histogram);
      SplittableRandom random = new SplittableRandom(42 + c);
      Thread thread = new Thread(() -> {
        try {
          loop.run(random, warmupEnd, end, histogram, requests);
        } catch (Throwable e) {
          failures.add(e);
        } finally {
          done.countDown();
        }
        try {
          measured.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "load-" + name + "-" + c);
      thread.setDaemon(true);
      thread.start();
    }
    // CPU of this JVM (clients, server, core; not redis-server) over the measured part only.
    long untilWarm = warmupEnd - System.nanoTime();
    if (untilWarm > 0) {
      TimeUnit.NANOSECONDS.sleep(untilWarm);
    }
    long cpuStart = processCpuNanos();
    long compilerStart = compilerCpuNanos();
    Map<Long, ThreadUse> serverStart = threadUse(true);
    Map<Long, ThreadUse> allStart = threadUse(false);
    long redisStart = redisCpuNanos.getAsLong();
    Map<String, Long> commandsStart = redisCommandCalls.get();
    done.await();
    long cpuNanos = processCpuNanos() - cpuStart;
    long compilerNanos = compilerCpuNanos() - compilerStart;
    long redisNanos = redisCpuNanos.getAsLong() - redisStart;
    long redisCommands = commandsBetween(commandsStart, redisCommandCalls.get());
    ThreadUse server = useBetween(serverStart, threadUse(true));
    ThreadUse all = useBetween(allStart, threadUse(false));
    measured.countDown();
    if (!failures.isEmpty()) {
      throw new IllegalStateException(name + " failed", failures.get(0));
    }
    for (Histogram histogram : perClient) {
      total.add(histogram);
    }
    return new Phase(name, requests.get(), settings.seconds(), total, cpuNanos, server.cpuNanos(), redisNanos,
        compilerNanos, all.allocatedBytes(), server.allocatedBytes(), redisCommands);
  }
}
