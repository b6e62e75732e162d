package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.types.CellDecoder;
import dev.onfs.client.OnfsClient;
import dev.onfs.core.ErrorKind;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.serving.Values;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.types.DataType;
import dev.onfs.grpc.CallerTokens;
import dev.onfs.grpc.OnfsHeaders;
import dev.onfs.proto.retrieve.FeatureServiceGrpc;
import dev.onfs.server.health.Readiness;
import dev.onfs.server.metrics.MicrometerStatsRecorder;
import dev.onfs.server.metrics.RegistryLabels;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole path through real gRPC (Netty on loopback) into the core over the in-memory store. */
class GrpcEndToEndTest {
  private static OnfsServer server;
  private static OnfsClient client;
  private static ManagedChannel raw;

  @BeforeAll
  static void start() {
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(TypedRegistry.snapshot());
    OnlineStore store = StoreFactories.create("memory", Map.of());
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store)
        .statsRecorder(new MicrometerStatsRecorder(meters, new RegistryLabels(registry::snapshot))).build();
    // Calls run on the server's own network threads here; the other server tests use the defaults.
    ServerConfig config = ServerConfig.fromMap(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
        "http-port", "0", "shutdown-grace", "2s", "grpc-executor", "direct", "grpc-event-loop-threads", "2"));
    CallerTokens tokens = CallerTokens.of(registry);
    server = OnfsServer.start(config, features, Readiness.builder(registry).store("memory", store).build(), tokens,
        meters, List.of(features, store, registry));
    client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
        .credentials("test", "test").batchSize(3).build();
    raw = Grpc.newChannelBuilder("127.0.0.1:" + server.grpcPort(), InsecureChannelCredentials.create()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    raw.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  private static RetrieveQuery query(List<String> groups, String... keys) {
    List<RetrieveQuery.FeatureGroup> featureGroups = new ArrayList<>();
    for (String group : groups) {
      featureGroups.add(new RetrieveQuery.FeatureGroup(group, List.of("a", "b")));
    }
    List<RetrieveQuery.Keys> rows = new ArrayList<>();
    for (String key : keys) {
      rows.add(RetrieveQuery.Keys.of(key));
    }
    return new RetrieveQuery("user", featureGroups, List.of("user_id"), rows);
  }

  private static PersistQuery writeAllTypes(String key) {
    List<PersistQuery.FeatureGroupSchema> schema = new ArrayList<>();
    List<Values> values = new ArrayList<>();
    for (DataType type : TypedRegistry.types()) {
      schema.add(new PersistQuery.FeatureGroupSchema(TypedRegistry.label(type), List.of("a", "b")));
      values.add(TypedRegistry.values(type));
    }
    return new PersistQuery("user", List.of("user_id"), schema, List.of(new PersistQuery.Data(List.of(key), values)));
  }

  private static List<String> allGroups() {
    return TypedRegistry.types().stream().map(TypedRegistry::label).toList();
  }

  @Test
  void persistThenRetrieveDecodedTextOfEveryDataType() {
    assertThat(client.persist(writeAllTypes("41")).message()).isEqualTo("Data Persisted Successfully");
    DecodedResult decoded = client.retrieveDecoded(query(allGroups(), "41"));
    assertThat(decoded.rows()).hasSize(1);
    List<String> columns = decoded.rows().get(0).columns();
    List<DataType> types = TypedRegistry.types();
    for (int i = 0; i < types.size(); i++) {
      assertThat(columns.subList(2 * i, 2 * i + 2)).as(types.get(i).toString())
          .isEqualTo(TypedRegistry.text(types.get(i)));
    }
  }

  @Test
  void binaryCellsDecodeToTheWrittenValuesForEveryDataType() {
    client.persist(writeAllTypes("42"));
    RetrieveResult result = client.retrieve(query(allGroups(), "42"));
    RetrieveResult.Row row = result.rows().get(0);
    List<DataType> types = TypedRegistry.types();
    for (int i = 0; i < types.size(); i++) {
      DataType type = types.get(i);
      byte[] a = row.column(2 * i);
      byte[] b = row.column(2 * i + 1);
      String as = type.toString();
      switch (type) {
        case FP8E5M2, FP8E4M3, FP16, FP32 -> {
          assertThat(CellDecoder.toFloat(a, type)).as(as).isEqualTo(1.5f);
          assertThat(CellDecoder.toFloat(b, type)).as(as).isEqualTo(-2f);
        }
        case FP64 -> assertThat(CellDecoder.toDouble(a, type)).isEqualTo(2.25);
        case INT8, INT16, INT32 -> assertThat(CellDecoder.toLong(b, type)).as(as).isEqualTo(-3);
        case INT64 -> assertThat(CellDecoder.toLong(a, type)).isEqualTo(1L << 40);
        case UINT8, UINT16, UINT32 -> assertThat(CellDecoder.toLong(a, type)).as(as).isEqualTo(200);
        case UINT64 -> assertThat(CellDecoder.toLong(a, type)).isEqualTo(-1L);
        case STRING -> assertThat(CellDecoder.toText(a, type)).isEqualTo("mumbai");
        case BOOL -> assertThat(CellDecoder.toBoolean(a, type)).isTrue();
        case FP8E5M2_VECTOR, FP8E4M3_VECTOR, FP16_VECTOR, FP32_VECTOR ->
            assertThat(CellDecoder.toFloatArray(a, type)).as(as).containsExactly(1.5f, -2f, 0.25f);
        case FP64_VECTOR -> assertThat(CellDecoder.toDoubleArray(b, type)).containsExactly(0.5, 4);
        case INT8_VECTOR, INT16_VECTOR, INT32_VECTOR, INT64_VECTOR ->
            assertThat(CellDecoder.toLongArray(a, type)).as(as).containsExactly(1, -2, 3);
        case UINT8_VECTOR, UINT16_VECTOR, UINT32_VECTOR ->
            assertThat(CellDecoder.toLongArray(b, type)).as(as).containsExactly(250, 6);
        case UINT64_VECTOR -> assertThat(CellDecoder.toLongArray(b, type)).containsExactly(-1L, 6);
        case STRING_VECTOR -> assertThat(CellDecoder.toStringArray(a, type, 3)).containsExactly("x", "yy", "z");
        case BOOL_VECTOR -> assertThat(CellDecoder.toBooleanArray(b, type)).containsExactly(false, true);
        default -> throw new AssertionError(type);
      }
    }
  }

  @Test
  void keysNeverWrittenReadAsDefaultsAndBatchesKeepOrder() {
    client.persist(writeAllTypes("7"));
    DecodedResult decoded = client.retrieveDecoded(
        query(List.of("fg_int32", "fg_string"), "1", "7", "2", "7", "3", "4", "5"));
    assertThat(decoded.rows()).extracting(row -> row.keys().get(0)).containsExactly("1", "7", "2", "7", "3", "4", "5");
    assertThat(decoded.rows().get(0).columns()).containsExactly("0", "0", "none", "none");
    assertThat(decoded.rows().get(1).columns()).containsExactly("7", "-3", "mumbai", "gold");
  }

  private static void assertFails(Runnable call, ErrorKind kind, String... messageParts) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(OnfsException.class, e -> {
      assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
      for (String part : messageParts) {
        assertThat(e.getMessage()).contains(part);
      }
    });
  }

  @Test
  void unknownEntityFeatureGroupOrFeatureIsNotFound() {
    assertFails(() -> client.retrieve(new RetrieveQuery("shop", List.of(new RetrieveQuery.FeatureGroup("fg_int32",
        List.of("a"))), List.of("shop_id"), List.of(RetrieveQuery.Keys.of("1")))), ErrorKind.NOT_FOUND, "NOT_FOUND", "shop");
    assertFails(() -> client.retrieve(query(List.of("fg_nope"), "1")), ErrorKind.NOT_FOUND, "fg_nope");
    assertFails(() -> client.retrieveDecoded(new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("fg_int32",
        List.of("zzz"))), List.of("user_id"), List.of(RetrieveQuery.Keys.of("1")))), ErrorKind.NOT_FOUND, "zzz");
  }

  @Test
  void badKeysSchemaIsInvalidArgument() {
    assertFails(() -> client.retrieve(new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("fg_int32",
        List.of("a"))), List.of("customer_id"), List.of(RetrieveQuery.Keys.of("1")))),
        ErrorKind.INVALID_REQUEST, "INVALID_ARGUMENT", "customer_id");
    assertFails(() -> client.retrieve(new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("fg_int32",
        List.of("a"))), List.of("user_id"), List.of(RetrieveQuery.Keys.of("1", "2")))),
        ErrorKind.INVALID_REQUEST, "INVALID_ARGUMENT");
  }

  @Test
  void badPersistValuesAreInvalidArgument() {
    PersistQuery wrongField = new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_int32", List.of("a", "b"))),
        List.of(new PersistQuery.Data(List.of("9"), List.of(Values.strings("x", "y")))));
    assertFails(() -> client.persist(wrongField), ErrorKind.INVALID_REQUEST, "INVALID_ARGUMENT", "fg_int32");
    PersistQuery wrongCount = new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_int32", List.of("a", "b"))),
        List.of(new PersistQuery.Data(List.of("9"), List.of(Values.int32(1)))));
    assertFails(() -> client.persist(wrongCount), ErrorKind.INVALID_REQUEST, "INVALID_ARGUMENT", "fg_int32");
    PersistQuery unknownGroup = new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_nope", List.of("a"))),
        List.of(new PersistQuery.Data(List.of("9"), List.of(Values.int32(1)))));
    assertThatThrownBy(() -> client.persist(unknownGroup)).isInstanceOf(OnfsException.class).hasMessageContaining("fg_nope");
  }

  private static void assertDenied(Metadata metadata, Status.Code code, String description) {
    var stub = FeatureServiceGrpc.newBlockingStub(raw)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    assertThatThrownBy(() -> stub.retrieveFeatures(dev.onfs.proto.ProtoMapping.toProto(query(List.of("fg_int32"), "1"))))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).isEqualTo(description);
        });
  }

  @Test
  void authenticationFailuresUseTheReferenceStatuses() {
    assertDenied(new Metadata(), Status.Code.INVALID_ARGUMENT, "mandatory metadata are missing");
    Metadata tokenOnly = new Metadata();
    tokenOnly.put(OnfsHeaders.AUTH_TOKEN_KEY, "test");
    assertDenied(tokenOnly, Status.Code.INVALID_ARGUMENT, "online-feature-store-caller-id header is missing");
    Metadata callerOnly = new Metadata();
    callerOnly.put(OnfsHeaders.CALLER_ID_KEY, "test");
    assertDenied(callerOnly, Status.Code.INVALID_ARGUMENT, "online-feature-store-auth-token header is missing");
    assertDenied(OnfsHeaders.of("test", "wrong"), Status.Code.UNAUTHENTICATED, "Invalid auth token");
    assertDenied(OnfsHeaders.of("intruder", "test"), Status.Code.UNAUTHENTICATED, "Invalid auth token");
    Metadata upperCase = new Metadata();
    upperCase.put(Metadata.Key.of("ONLINE-FEATURE-STORE-CALLER-ID", Metadata.ASCII_STRING_MARSHALLER), "test");
    upperCase.put(Metadata.Key.of("ONLINE-FEATURE-STORE-AUTH-TOKEN", Metadata.ASCII_STRING_MARSHALLER), "test");
    var allowed = FeatureServiceGrpc.newBlockingStub(raw).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(upperCase));
    assertThat(allowed.retrieveFeatures(dev.onfs.proto.ProtoMapping.toProto(query(List.of("fg_int32"), "1"))).getRowsCount())
        .isEqualTo(1);
  }

  @Test
  void expiredDeadlineIsReportedAsDeadlineExceeded() {
    var stub = FeatureServiceGrpc.newBlockingStub(raw)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(OnfsHeaders.of("test", "test")))
        .withDeadlineAfter(1, TimeUnit.NANOSECONDS);
    assertThatThrownBy(() -> stub.retrieveFeatures(dev.onfs.proto.ProtoMapping.toProto(query(List.of("fg_int32"), "1"))))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void healthAndMetricsAreServed() throws Exception {
    client.retrieve(query(List.of("fg_int32"), "1"));
    assertDenied(OnfsHeaders.of("test", "wrong"), Status.Code.UNAUTHENTICATED, "Invalid auth token");
    HealthCheckResponse health = HealthGrpc.newBlockingStub(raw).check(HealthCheckRequest.getDefaultInstance());
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("SERVING");
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("onfs_rpc_seconds_count{code=\"OK\",method=\"retrieve.FeatureService/RetrieveFeatures\"}")
        .contains("onfs_rpc_feature_group_seconds_bucket")
        .contains("onfs_rpc_keys")
        .contains("onfs_retrieve_seconds_count{entity=\"user\"}")
        .contains("onfs_rpc_seconds_count{code=\"UNAUTHENTICATED\"")
        .contains("onfs_near_cache_hit_ratio");
  }

  @Test
  void reflectionListsBothFeatureServicesWithoutCredentials() throws Exception {
    CompletableFuture<List<String>> services = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(raw).serverReflectionInfo(
        new StreamObserver<ServerReflectionResponse>() {
          @Override
          public void onNext(ServerReflectionResponse response) {
            services.complete(response.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList());
          }

          @Override
          public void onError(Throwable t) {
            services.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    assertThat(services.get(10, TimeUnit.SECONDS))
        .contains("retrieve.FeatureService", "persist.FeatureService", "grpc.health.v1.Health");
  }
}
