package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.types.DataType;
import dev.onfs.grpc.CallerTokens;
import dev.onfs.grpc.OnfsHeaders;
import dev.onfs.server.health.Readiness;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input over real gRPC: malformed request bytes are INVALID_ARGUMENT without a stack trace in the
 * log, values the group's type cannot hold are refused naming the feature, and a request over a
 * per-request limit is RESOURCE_EXHAUSTED naming the limit.
 */
class InputValidationTest {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  };

  private static OnfsServer server;
  private static OnfsClient client;
  private static ManagedChannel raw;

  @BeforeAll
  static void start() {
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(TypedRegistry.snapshot());
    OnlineStore store = StoreFactories.create("memory", Map.of());
    OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build();
    ServerConfig config = ServerConfig.fromMap(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
        "http-port", "0", "shutdown-grace", "2s"));
    CallerTokens tokens = CallerTokens.of(registry);
    server = OnfsServer.start(config, features, Readiness.builder(registry).store("memory", store).build(), tokens,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        List.of(features, store, registry));
    client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
        .credentials("test", "test").maxRetries(0).build();
    raw = Grpc.newChannelBuilder("127.0.0.1:" + server.grpcPort(), InsecureChannelCredentials.create()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    raw.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  private static PersistQuery persist(DataType type, List<String> features, Values values, int rows) {
    List<PersistQuery.Data> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      data.add(new PersistQuery.Data(List.of(Integer.toString(i)), List.of(values)));
    }
    return new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema(TypedRegistry.label(type), features)), data);
  }

  private static void assertFails(Runnable call, ErrorCode code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(OnfsException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  @Test
  void malformedRequestsAreInvalidArgumentsAndLogAtMostOneLineEachWithoutStackTraces() {
    List<LogRecord> records = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        synchronized (records) {
          records.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      io.grpc.Channel channel = ClientInterceptors.intercept(raw,
          MetadataUtils.newAttachHeadersInterceptor(OnfsHeaders.of("test", "test")));
      byte[] garbage = {0x0a, 0x7f, 'u', 's', 'e', 'r'};
      for (MethodDescriptor<?, ?> method : List.of(dev.onfs.proto.persist.FeatureServiceGrpc.getPersistFeaturesMethod(),
          dev.onfs.proto.retrieve.FeatureServiceGrpc.getRetrieveFeaturesMethod(),
          dev.onfs.proto.retrieve.FeatureServiceGrpc.getRetrieveDecodedResultMethod())) {
        MethodDescriptor<byte[], byte[]> bytes = method.toBuilder(BYTES, BYTES).build();
        for (int i = 0; i < 20; i++) {
          assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, bytes, CallOptions.DEFAULT, garbage))
              .isInstanceOfSatisfying(StatusRuntimeException.class,
                  e -> assertThat(e.getStatus().getCode()).as(method.getFullMethodName()).isEqualTo(Status.Code.INVALID_ARGUMENT))
              .hasMessageContaining("While parsing a protocol message, the input ended unexpectedly");
        }
      }
    } finally {
      root.removeHandler(capture);
    }
    synchronized (records) {
      assertThat(records).noneMatch(r -> r.getThrown() != null);
      assertThat(records).noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue());
      // One line per kind of message at most (none if another test reported one within the interval).
      assertThat(records.stream().filter(r -> r.getLevel() == Level.WARNING)).hasSizeLessThanOrEqualTo(2);
    }
  }

  @Test
  void valuesTheGroupsTypeCannotHoldAreRefusedNamingTheFeature() {
    // The embedded store's code (SCHEMA_MISMATCH), carried by the onfs-error-code trailer; the status is INVALID_ARGUMENT.
    assertFails(() -> client.persist(persist(DataType.FP32, List.of("a", "b"), Values.fp32(1, 1e40), 1)),
        ErrorCode.SCHEMA_MISMATCH, "INVALID_ARGUMENT: data[0].featureValues[0], feature 'b': 1.0E40 is outside the"
            + " range of DataTypeFP32 (largest finite magnitude 3.4028235E38)");
    assertFails(() -> client.persist(persist(DataType.FP16, List.of("a"), Values.fp32(70000), 1)),
        ErrorCode.SCHEMA_MISMATCH, "INVALID_ARGUMENT: data[0].featureValues[0], feature 'a': 70000.0 is outside the"
            + " range of DataTypeFP16 (largest finite magnitude 65504)");
    assertFails(() -> client.persist(persist(DataType.FP8E4M3, List.of("a"), Values.fp32(1000), 1)),
        ErrorCode.SCHEMA_MISMATCH, "INVALID_ARGUMENT: data[0].featureValues[0], feature 'a': 1000.0 is outside the"
            + " range of DataTypeFP8E4M3 (largest finite magnitude 448)");
    Values twoLists = new Values(List.of(1.5), List.of(), List.of(7), List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of());
    assertFails(() -> client.persist(persist(DataType.FP32, List.of("a"), twoLists, 1)),
        ErrorCode.SCHEMA_MISMATCH, "INVALID_ARGUMENT: data[0].featureValues[0]: int32_values is set, but feature"
            + " group 'fg_fp32' (DataTypeFP32) takes fp32_values only");
  }

  @Test
  void aRequestOverAPerRequestLimitIsTooLargeForTheClient() {
    assertFails(() -> client.persist(persist(DataType.INT32, List.of("a"), Values.int32(1), 10_001)),
        ErrorCode.REQUEST_TOO_LARGE,
        "RESOURCE_EXHAUSTED: keys per request: 10001 > limit 10000 (option max-keys-per-request)");
    assertThat(client.persist(persist(DataType.INT32, List.of("a"), Values.int32(1), 10_000)).rowsWritten())
        .isEqualTo(10_000);
  }
}
