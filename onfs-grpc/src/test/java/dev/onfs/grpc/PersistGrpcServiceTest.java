package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.proto.persist.FeatureServiceGrpc;
import dev.onfs.proto.persist.Query;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The persist service as bound: a request whose bytes are not a persist.Query is INVALID_ARGUMENT. */
class PersistGrpcServiceTest {
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
        .addService(new PersistGrpcService(store)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    store.close();
  }

  @Test
  void malformedRequestsAreInvalidArguments() {
    MethodDescriptor<byte[], byte[]> raw = FeatureServiceGrpc.getPersistFeaturesMethod().toBuilder(BYTES, BYTES).build();
    for (byte[] wire : new byte[][] {{0x0a, 0x05, 'u'}, {(byte) 0xff, (byte) 0xff}, {0x12, 0x01, (byte) 0xc3}}) {
      assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT, wire))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
          .hasMessageStartingWith("INVALID_ARGUMENT: invalid persist.Query: ");
    }
  }

  @Test
  void wellFormedRequestsReachTheCore() {
    // The empty registry knows no entity: the core's own error comes back.
    assertThatThrownBy(() -> FeatureServiceGrpc.newBlockingStub(channel)
        .persistFeatures(Query.newBuilder().setEntityLabel("user").build()))
        .hasMessageStartingWith("NOT_FOUND: entity 'user'");
  }
}
