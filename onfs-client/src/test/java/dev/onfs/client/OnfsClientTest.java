package dev.onfs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.serving.Values;
import dev.onfs.grpc.OnfsHeaders;
import dev.onfs.proto.persist.Result;
import dev.onfs.proto.retrieve.DecodedResult;
import dev.onfs.proto.retrieve.DecodedRow;
import dev.onfs.proto.retrieve.Query;
import dev.onfs.proto.retrieve.Row;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Client logic (batching, retries, headers, errors) against a scripted in-process server. */
class OnfsClientTest {
  private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
  private final List<String> callers = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile Status failure = Status.UNAVAILABLE;
  private final AtomicInteger persists = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;

  /** Echoes each key as a one-byte cell holding the key's number; fails while failuresLeft > 0. */
  final class ScriptedRetrieve extends dev.onfs.proto.retrieve.FeatureServiceGrpc.FeatureServiceImplBase {
    @Override
    public void retrieveFeatures(Query request, StreamObserver<dev.onfs.proto.retrieve.Result> observer) {
      batchSizes.add(request.getKeysCount());
      if (failuresLeft.getAndDecrement() > 0) {
        observer.onError(failure.withDescription("scripted").asRuntimeException());
        return;
      }
      dev.onfs.proto.retrieve.Result.Builder result = dev.onfs.proto.retrieve.Result.newBuilder()
          .setEntityLabel(request.getEntityLabel());
      for (dev.onfs.proto.retrieve.Keys keys : request.getKeysList()) {
        result.addRows(Row.newBuilder().addAllKeys(keys.getColsList())
            .addColumns(ByteString.copyFrom(new byte[] {Byte.parseByte(keys.getCols(0))})));
      }
      observer.onNext(result.build());
      observer.onCompleted();
    }

    @Override
    public void retrieveDecodedResult(Query request, StreamObserver<DecodedResult> observer) {
      DecodedResult.Builder result = DecodedResult.newBuilder();
      for (dev.onfs.proto.retrieve.Keys keys : request.getKeysList()) {
        result.addRows(DecodedRow.newBuilder().addAllKeys(keys.getColsList()).addColumns("v" + keys.getCols(0)));
      }
      observer.onNext(result.build());
      observer.onCompleted();
    }
  }

  final class ScriptedPersist extends dev.onfs.proto.persist.FeatureServiceGrpc.FeatureServiceImplBase {
    @Override
    public void persistFeatures(dev.onfs.proto.persist.Query request, StreamObserver<Result> observer) {
      persists.incrementAndGet();
      if (failuresLeft.getAndDecrement() > 0) {
        observer.onError(failure.withDescription("scripted").asRuntimeException());
        return;
      }
      observer.onNext(Result.newBuilder().setMessage("Data Persisted Successfully").build());
      observer.onCompleted();
    }
  }

  private OnfsClient start(int batchSize, OnfsClientListener listener) throws Exception {
    String name = InProcessServerBuilder.generateName();
    ServerInterceptor recordCaller = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        callers.add(headers.get(OnfsHeaders.CALLER_ID_KEY) + "/" + headers.get(OnfsHeaders.AUTH_TOKEN_KEY));
        return next.startCall(call, headers);
      }
    };
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new ScriptedRetrieve(), recordCaller))
        .addService(new ScriptedPersist())
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return OnfsClient.builder().channel(channel).credentials("reader", "token").batchSize(batchSize)
        .retryBackoff(Duration.ofMillis(1)).maxRetries(2).listener(listener).build();
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  private static RetrieveQuery query(int keys) {
    List<RetrieveQuery.Keys> rows = IntStream.range(0, keys).mapToObj(i -> RetrieveQuery.Keys.of(Integer.toString(i)))
        .toList();
    return new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("fg", List.of("f"))), List.of("user_id"),
        rows);
  }

  @Test
  void splitsLargeKeyListsAndKeepsRowOrder() throws Exception {
    try (OnfsClient client = start(4, OnfsClientListener.none())) {
      RetrieveResult result = client.retrieve(query(10));
      assertThat(batchSizes).containsExactlyInAnyOrder(4, 4, 2);
      assertThat(result.rows()).extracting(row -> row.column(0)[0])
          .containsExactly((byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7, (byte) 8,
              (byte) 9);
      assertThat(result.entityLabel()).isEqualTo("user");
      assertThat(client.retrieveDecoded(query(5)).rows()).extracting(row -> row.columns().get(0))
          .containsExactly("v0", "v1", "v2", "v3", "v4");
      assertThat(callers).isNotEmpty().allMatch("reader/token"::equals);
    }
  }

  @Test
  void retriesReadsOnUnavailableAndReportsEachAttempt() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    OnfsClientListener listener = new OnfsClientListener() {
      @Override
      public void onCall(String method, String statusCode, int keys, long nanos) {
        events.add(method + " " + statusCode + " " + keys);
      }
    };
    failuresLeft.set(2);
    try (OnfsClient client = start(50, listener)) {
      assertThat(client.retrieve(query(3)).rows()).hasSize(3);
    }
    assertThat(events).containsExactly(
        "retrieve.FeatureService/RetrieveFeatures UNAVAILABLE 3",
        "retrieve.FeatureService/RetrieveFeatures UNAVAILABLE 3",
        "retrieve.FeatureService/RetrieveFeatures OK 3");
  }

  @Test
  void givesUpAfterMaxRetries() throws Exception {
    failuresLeft.set(3);
    try (OnfsClient client = start(50, OnfsClientListener.none())) {
      assertThatThrownBy(() -> client.retrieve(query(1)))
          .isInstanceOfSatisfying(OnfsException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("UNAVAILABLE: scripted");
          });
    }
    assertThat(batchSizes).hasSize(3);
  }

  @Test
  void doesNotRetryInvalidArgumentOrWrites() throws Exception {
    failure = Status.INVALID_ARGUMENT;
    failuresLeft.set(1);
    try (OnfsClient client = start(50, OnfsClientListener.none())) {
      assertThatThrownBy(() -> client.retrieve(query(1)))
          .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
      failure = Status.UNAVAILABLE;
      failuresLeft.set(1);
      PersistQuery write = new PersistQuery("user", List.of("user_id"),
          List.of(new PersistQuery.FeatureGroupSchema("fg", List.of("f"))),
          List.of(new PersistQuery.Data(List.of("1"), List.of(Values.int32(1)))));
      assertThatThrownBy(() -> client.persist(write)).isInstanceOf(OnfsException.class);
      assertThat(persists).hasValue(1);
      assertThat(client.persist(write).message()).isEqualTo("Data Persisted Successfully");
    }
  }

  @Test
  void builderRejectsMissingOrBadSettings() {
    assertThatThrownBy(() -> OnfsClient.builder().credentials("a", "b").build())
        .hasMessage("target or channel must be set");
    assertThatThrownBy(() -> OnfsClient.builder().target("localhost:1").build())
        .hasMessage("credentials (caller id and auth token) or a client certificate must be set");
    assertThatThrownBy(() -> OnfsClient.builder().batchSize(0)).hasMessage("batchSize must be at least 1, got 0");
    assertThatThrownBy(() -> OnfsClient.builder().deadline(Duration.ZERO)).hasMessageContaining("deadline must be positive");
    assertThatThrownBy(() -> OnfsClient.builder().maxRetries(-1)).hasMessageContaining("maxRetries");
  }

  @Test
  void tlsFilesMustBeReadableAndNeedTls(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path absent = dir.resolve("absent.pem");
    assertThatThrownBy(() -> OnfsClient.builder().trustedCa(absent))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("caFile " + absent + " does not exist or is not readable");
    java.nio.file.Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "unused");
    assertThatThrownBy(() -> OnfsClient.builder().clientCertificate(ca, absent))
        .hasMessage("keyFile " + absent + " does not exist or is not readable");
    assertThatThrownBy(() -> OnfsClient.builder().target("localhost:1").credentials("a", "b").trustedCa(ca).plaintext()
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("trustedCa and clientCertificate need TLS, but plaintext() was set after them");
  }
}
