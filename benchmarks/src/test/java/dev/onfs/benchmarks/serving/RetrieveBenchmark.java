package dev.onfs.benchmarks.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.grpc.RetrieveResultCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * In-process retrieve of 100 entity ids x 3 feature groups (FP32 x 10 features, INT64 x 5, one
 * FP16 vector of 32) from the in-memory store, with and without the near cache, decoded, and the
 * store's own multi-get of the same 300 blocks as the baseline; and the gRPC codec's share of a
 * remote retrieve: the server's retrieve plus encoding the answer, encoding alone, and the client's
 * decoding of the encoded answer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RetrieveBenchmark {
  static final int ENTITIES = 10_000;
  static final int IDS_PER_QUERY = 100;

  InMemoryStore store;
  OnlineFeatureStore plain;
  OnlineFeatureStore cached;
  RetrieveQuery query;
  StoreTable table;
  List<EntityKey> keys;
  List<StoreFeatureGroup> groups;
  RetrieveResult result;
  byte[] wire;

  @Setup
  public void setup() {
    setup(ENTITIES);
  }

  /** {@code entities} users {@code u0..}, persisted into a new in-memory store. */
  void setup(int entities) {
    store = InMemoryStore.create();
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(RetrieveBenchmarkEntity.registry());
    plain = OnlineFeatureStore.builder().registry(registry).store(store).build();
    cached = OnlineFeatureStore.builder().registry(registry).store(store).nearCache(256L << 20).build();
    SplittableRandom random = new SplittableRandom(7);
    RetrieveBenchmarkEntity.persist(plain, entities, random);
    List<RetrieveQuery.Keys> ids = new ArrayList<>();
    keys = new ArrayList<>();
    for (int i = 0; i < IDS_PER_QUERY; i++) {
      String id = "u" + random.nextInt(entities);
      ids.add(RetrieveQuery.Keys.of(id));
      keys.add(EntityKey.of(id));
    }
    query = query(ids);
    table = new StoreTable("user", "1", "", "user_features", List.of("user_id"));
    groups = List.of(StoreFeatureGroup.of(0), StoreFeatureGroup.of(1), StoreFeatureGroup.of(2));
    result = plain.retrieve(query);
    wire = RetrieveResultCodec.encode(result);
  }

  /** Users {@code u<from>} to {@code u<to - 1>}, every feature. */
  RetrieveQuery queryFor(int from, int to) {
    List<RetrieveQuery.Keys> ids = new ArrayList<>(to - from);
    for (int id = from; id < to; id++) {
      ids.add(RetrieveQuery.Keys.of("u" + id));
    }
    return query(ids);
  }

  private static RetrieveQuery query(List<RetrieveQuery.Keys> ids) {
    return new RetrieveQuery("user",
        List.of(new RetrieveQuery.FeatureGroup("stats", RetrieveBenchmarkEntity.labels("s", 10)),
            new RetrieveQuery.FeatureGroup("counts", RetrieveBenchmarkEntity.labels("c", 5)),
            new RetrieveQuery.FeatureGroup("embedding", List.of("emb"))),
        List.of("user_id"), ids);
  }

  /** Baseline: the store's multi-get of the same 100 x 3 blocks, nothing decoded. */
  @Benchmark
  public ReadResult storeMultiGet() {
    return store.read(table, keys, groups);
  }

  @Benchmark
  public RetrieveResult retrieve() {
    return plain.retrieve(query);
  }

  @Benchmark
  public RetrieveResult retrieveNearCache() {
    return cached.retrieve(query);
  }

  @Benchmark
  public DecodedResult retrieveDecoded() {
    return plain.retrieveDecoded(query);
  }

  /** What the server does per remote retrieve, but for the transport: retrieve, then encode. */
  @Benchmark
  public byte[] retrieveEncoded() {
    return RetrieveResultCodec.encode(plain.retrieve(query));
  }

  @Benchmark
  public byte[] encodeResult() {
    return RetrieveResultCodec.encode(result);
  }

  @Benchmark
  public RetrieveResult decodeResult() throws IOException {
    return RetrieveResultCodec.decode(wire, 0, wire.length);
  }

  @Test
  void runsEachBenchmarkOnce() throws IOException {
    setup();
    assertThat(storeMultiGet().presentCount()).isEqualTo(IDS_PER_QUERY * 3);
    RetrieveResult result = retrieve();
    assertThat(result.rows()).hasSize(IDS_PER_QUERY);
    assertThat(result.rows().get(0).columns()).hasSize(16);
    assertThat(retrieveNearCache()).isEqualTo(result);
    assertThat(retrieveNearCache()).isEqualTo(result);
    assertThat(retrieveDecoded().rows().get(0).columns().get(15).split(":")).hasSize(32);
    assertThat(decodeResult().rows()).isEqualTo(result.rows());
    assertThat(retrieveEncoded()).isEqualTo(encodeResult());
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(RetrieveBenchmark.class.getSimpleName()).build()).run();
  }
}
