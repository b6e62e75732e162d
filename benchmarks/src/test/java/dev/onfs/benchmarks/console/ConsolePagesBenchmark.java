package dev.onfs.benchmarks.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.console.Console;
import dev.onfs.console.Freshness;
import dev.onfs.controlplane.ControlPlane;
import dev.onfs.controlplane.rest.ApiRequest;
import dev.onfs.controlplane.rest.ApiResponse;
import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.types.DataType;
import dev.onfs.controlplane.storage.DirectoryKeyValueStore;
import dev.onfs.controlplane.storage.KeyValueStore;
import dev.onfs.registry.etcd.EtcdKeyTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Server time of the console's catalog pages for a registry of 1,000 feature groups of 100 features
 * (10 entities of 100 groups): {@link Console#handle} from the request to the rendered bytes, with the
 * control plane's registry read (directory storage) included, as a browser's GET costs the server.
 * {@code catalog} is the first page of every group; {@code search} looks for a feature label across
 * all 100,000 features; {@code searchFiltered} adds the type, store and job filters.
 *
 * <p>Run: {@code java -cp <test classpath> dev.onfs.benchmarks.console.ConsolePagesBenchmark [jmh args]}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConsolePagesBenchmark {
  int entities = 10;
  int groupsPerEntity = 100;
  int featuresPerGroup = 100;

  private Path dir;
  private DirectoryKeyValueStore store;
  private ControlPlane cp;
  private Console console;
  private String session;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("onfs-console-bench-");
    // The registry tree as etcd would hold it, in the directory store (too large for the demo's YAML import).
    store = DirectoryKeyValueStore.open(dir.resolve("state"));
    List<KeyValueStore.Write> writes = new ArrayList<>();
    EtcdKeyTree.keys("onfs", registry(entities, groupsPerEntity, featuresPerGroup))
        .forEach((key, value) -> writes.add(new KeyValueStore.Write.Put(key, value)));
    store.commit(List.of(), writes);
    cp = ControlPlane.builder().keyValueStore(store).demoMode(true).build();
    String password = cp.bootstrapDemoAdmin("admin");
    session = cp.login("admin", password.toCharArray(), null).token();
    console = new Console(cp, (entity, group, key) -> Map.of(), Freshness.none(), new byte[32], Duration.ofHours(1));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    cp.close();
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static RegistrySnapshot registry(int entities, int groupsPerEntity, int featuresPerGroup) {
    RegistrySnapshot.Builder snapshot = RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "redis_failover", 1, "features", List.of(), 0))
        .writerToken("daily_job", "j").writerToken("hourly_job", "h").readerToken("ranker", "r");
    for (int e = 0; e < entities; e++) {
      Entity.Builder entity = Entity.builder("entity_" + e).key("id_" + e, "id_" + e)
          .distributedCache(CacheConfig.DISABLED).inMemoryCache(CacheConfig.DISABLED);
      for (int g = 0; g < groupsPerEntity; g++) {
        FeatureVersion.Builder version = FeatureVersion.builder(1);
        for (int f = 0; f < featuresPerGroup; f++) {
          version.feature("feat_" + g + "_" + f, new byte[4]);
        }
        entity.featureGroup(FeatureGroup.builder("group_" + g).id(g).storeId("1")
            .dataType(g % 2 == 0 ? DataType.FP32 : DataType.INT32).ttlInSeconds(86400)
            .jobId(g % 3 == 0 ? "hourly_job" : "daily_job").activeVersion(1).layoutVersion(1)
            .column("seg_" + g, 1024).version(version.build()).build());
      }
      snapshot.entity(entity.build());
    }
    return snapshot.build();
  }

  private ApiResponse get(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    Map<String, String> query = q < 0 ? Map.of() : Map.of(pathAndQuery.substring(q + 1).split("=")[0],
        pathAndQuery.substring(q + 1).split("=")[1]);
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> headers = Map.of("Cookie", "onfs_console=" + session, "Host", "127.0.0.1");
    return console.handle(new ApiRequest("GET", path, headers::get, query, new byte[0], "127.0.0.1", false));
  }

  @Benchmark
  public ApiResponse catalog() {
    return get("/console/catalog");
  }

  @Benchmark
  public ApiResponse search() {
    return get("/console/catalog?q=feat_42_7");
  }

  @Benchmark
  public ApiResponse searchFiltered() {
    return console.handle(new ApiRequest("GET", "/console/catalog",
        Map.of("Cookie", "onfs_console=" + session, "Host", "127.0.0.1")::get,
        Map.of("q", "feat_4", "type", "FP32", "store", "1", "job", "daily_job"), new byte[0], "127.0.0.1", false));
  }

  @Test
  void everyBenchmarkBodyRuns() throws IOException {
    ConsolePagesBenchmark benchmark = new ConsolePagesBenchmark();
    benchmark.entities = 2;
    benchmark.groupsPerEntity = 60;
    benchmark.featuresPerGroup = 10;
    benchmark.setUp();
    try {
      ApiResponse catalog = benchmark.catalog();
      assertThat(catalog.status()).isEqualTo(200);
      assertThat(catalog.text()).contains("120 feature groups").contains("page 1 of 3").contains("group_0");
      ApiResponse search = benchmark.search();
      assertThat(search.status()).isEqualTo(200);
      // feat_42_7 is a feature of group_42 in each of the two entities.
      assertThat(search.text()).contains("2 feature groups").contains("features: feat_42_7");
      ApiResponse filtered = benchmark.searchFiltered();
      assertThat(new String(filtered.body(), StandardCharsets.UTF_8)).contains("feature groups");
      assertThat(filtered.status()).isEqualTo(200);
    } finally {
      benchmark.tearDown();
    }
  }

  public static void main(String[] args) throws RunnerException, IOException {
    if (args.length > 0) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    new Runner(new OptionsBuilder().include(ConsolePagesBenchmark.class.getSimpleName()).build()).run();
  }
}
