package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.retrieve.FeatureServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service as bound: requests read into the core's query, over gRPC's own marshalling path. */
class RetrieveGrpcServiceTest {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      return RetrieveQueryCodec.readAll(stream);
    }
  };

  private OnlineFeatureStore store;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    store = OnlineFeatureStore.builder().registry(new InMemoryFeatureRegistry()).store(InMemoryStore.create()).build();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new RetrieveGrpcService(store)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    store.close();
  }

  private static RetrieveQuery query() {
    return new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("stats", List.of("a"))),
        List.of("user_id"), List.of(RetrieveQuery.Keys.of("1"), RetrieveQuery.Keys.of("2")));
  }

  private byte[] callRaw(MethodDescriptor<?, ?> method, byte[] request) {
    MethodDescriptor<byte[], byte[]> raw = method.toBuilder(BYTES, BYTES).build();
    return ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT, request);
  }

  @Test
  void malformedRequestsAreInvalidArguments() {
    byte[] truncated = java.util.Arrays.copyOf(RetrieveQueryCodec.encode(query()), 10);
    for (MethodDescriptor<?, ?> method : List.of(FeatureServiceGrpc.getRetrieveFeaturesMethod(),
        FeatureServiceGrpc.getRetrieveDecodedResultMethod())) {
      assertThatThrownBy(() -> callRaw(method, truncated))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
          .hasMessageStartingWith("INVALID_ARGUMENT: invalid retrieve.Query: While parsing a protocol message");
    }
  }

  @Test
  void generatedAndCoreClientsGetTheSameAnswers() {
    // The empty registry knows no entity: both kinds of client see the core's error for the parsed query.
    String expected = "NOT_FOUND: entity 'user' (entityLabel) is not in the registry";
    assertThatThrownBy(() -> FeatureServiceGrpc.newBlockingStub(channel).retrieveFeatures(ProtoMapping.toProto(query())))
        .hasMessage(expected);
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RetrieveMethods.RETRIEVE_FEATURES, CallOptions.DEFAULT,
        query())).hasMessage(expected);
    assertThatThrownBy(() -> FeatureServiceGrpc.newBlockingStub(channel).retrieveDecodedResult(
        ProtoMapping.toProto(query()))).hasMessage(expected);
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RetrieveMethods.RETRIEVE_DECODED_RESULT,
        CallOptions.DEFAULT, query())).hasMessage(expected);
  }

  @Test
  void anEmptyRequestIsAnEmptyQuery() {
    // Zero bytes are a valid retrieve.Query with no entity; the core names what is missing.
    assertThatThrownBy(() -> callRaw(FeatureServiceGrpc.getRetrieveFeaturesMethod(), new byte[0]))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageNotContaining("invalid retrieve.Query");
  }
}
