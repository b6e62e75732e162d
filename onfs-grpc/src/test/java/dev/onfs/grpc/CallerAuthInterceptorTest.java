package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.proto.retrieve.FeatureServiceGrpc;
import dev.onfs.proto.retrieve.Query;
import dev.onfs.proto.retrieve.Result;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallerAuthInterceptorTest {
  private Server server;
  private ManagedChannel channel;

  /** Echoes the authenticated caller as the entity label. */
  static final class EchoCaller extends FeatureServiceGrpc.FeatureServiceImplBase {
    @Override
    public void retrieveFeatures(Query request, StreamObserver<Result> observer) {
      observer.onNext(Result.newBuilder().setEntityLabel(OnfsHeaders.CALLER.get()).build());
      observer.onCompleted();
    }
  }

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    CallerAuthInterceptor auth = CallerAuthInterceptor.create(CallerTokens.of(Map.of("reader-1", "s3cret")));
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new EchoCaller(), auth))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private Result call(Metadata metadata) {
    return FeatureServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
        .retrieveFeatures(Query.getDefaultInstance());
  }

  private static Metadata metadata(String... keyValues) {
    Metadata metadata = new Metadata();
    for (int i = 0; i < keyValues.length; i += 2) {
      metadata.put(Metadata.Key.of(keyValues[i], Metadata.ASCII_STRING_MARSHALLER), keyValues[i + 1]);
    }
    return metadata;
  }

  private static void assertStatus(Runnable call, Status.Code code, String description) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).isEqualTo(description);
        });
  }

  @Test
  void acceptsRegisteredReaderAndExposesCaller() {
    assertThat(call(OnfsHeaders.of("reader-1", "s3cret")).getEntityLabel()).isEqualTo("reader-1");
  }

  @Test
  void acceptsUpperCaseHeaderNames() {
    // Metadata keys are case-insensitive in gRPC: the Go and Python SDKs spell them in upper case.
    assertThat(call(metadata("ONLINE-FEATURE-STORE-CALLER-ID", "reader-1",
        "Online-Feature-Store-Auth-Token", "s3cret")).getEntityLabel()).isEqualTo("reader-1");
  }

  @Test
  void noMetadataAtAll() {
    assertStatus(() -> call(new Metadata()), Status.Code.INVALID_ARGUMENT, "mandatory metadata are missing");
  }

  @Test
  void missingCallerId() {
    assertStatus(() -> call(metadata("online-feature-store-auth-token", "s3cret")),
        Status.Code.INVALID_ARGUMENT, "online-feature-store-caller-id header is missing");
  }

  @Test
  void missingToken() {
    assertStatus(() -> call(metadata("online-feature-store-caller-id", "reader-1")),
        Status.Code.INVALID_ARGUMENT, "online-feature-store-auth-token header is missing");
  }

  @Test
  void otherMetadataButNoCredentials() {
    assertStatus(() -> call(metadata("x-request-id", "42")),
        Status.Code.INVALID_ARGUMENT, "online-feature-store-caller-id header is missing");
  }

  @Test
  void wrongToken() {
    assertStatus(() -> call(OnfsHeaders.of("reader-1", "nope")), Status.Code.UNAUTHENTICATED, "Invalid auth token");
  }

  @Test
  void unknownCaller() {
    assertStatus(() -> call(OnfsHeaders.of("stranger", "s3cret")), Status.Code.UNAUTHENTICATED, "Invalid auth token");
  }
}
