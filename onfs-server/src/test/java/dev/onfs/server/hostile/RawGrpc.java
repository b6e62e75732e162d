package dev.onfs.server.hostile;

import dev.onfs.grpc.OnfsHeaders;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A gRPC client that sends request bytes as given, so a test can put anything on the wire (truncated
 * varints, invalid UTF-8, ...) that a generated stub would refuse to build, and see the server's
 * status exactly.
 */
final class RawGrpc implements AutoCloseable {
  /** The three methods of the reference's services. */
  enum Rpc {
    RETRIEVE("retrieve.FeatureService", "RetrieveFeatures", "retrieve"),
    RETRIEVE_DECODED("retrieve.FeatureService", "RetrieveDecodedResult", "decoded"),
    PERSIST("persist.FeatureService", "PersistFeatures", "persist");

    final MethodDescriptor<byte[], byte[]> method;
    final String shortName;

    Rpc(String service, String method, String shortName) {
      this.method = MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();
      this.shortName = shortName;
    }
  }

  /** Credentials as metadata entries; an absent entry is not sent. */
  static Map<String, String> credentials(@Nullable String callerId, @Nullable String token) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (callerId != null) {
      headers.put(OnfsHeaders.CALLER_ID, callerId);
    }
    if (token != null) {
      headers.put(OnfsHeaders.AUTH_TOKEN, token);
    }
    return headers;
  }

  static final Map<String, String> VALID = credentials(HostileRegistry.READER, HostileRegistry.TOKEN);

  /** What a call ended with: its status and, when OK, the answer's bytes. */
  record Outcome(Status status, byte @Nullable [] answer) {
    boolean ok() {
      return status.isOk();
    }

    String describe() {
      return status.getCode() + (status.getDescription() == null ? "" : " '" + status.getDescription() + "'");
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final ManagedChannel channel;

  RawGrpc(int port) {
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .maxInboundMessageSize(64 << 20)
        .build();
  }

  Outcome call(Rpc rpc, byte[] request, Map<String, String> headers) {
    Metadata metadata = new Metadata();
    headers.forEach((name, value) -> metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
    try {
      byte[] answer = ClientCalls.blockingUnaryCall(
          ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata)),
          rpc.method,
          // Not a timing assertion: only keeps a hung call from hanging the build.
          CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
          request);
      return new Outcome(Status.OK, answer);
    } catch (StatusRuntimeException e) {
      return new Outcome(e.getStatus(), null);
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }
}
