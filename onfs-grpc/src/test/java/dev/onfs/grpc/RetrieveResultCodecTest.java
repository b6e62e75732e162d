package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.serving.FeatureSchema;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.proto.ProtoMapping;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrieveResultCodecTest {
  private static RetrieveResult sample() {
    byte[] big = new byte[300];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    return new RetrieveResult("user", List.of("user_id", "region"),
        List.of(new FeatureSchema("stats", List.of(new FeatureSchema.Feature("a", 0), new FeatureSchema.Feature("b", 1))),
            new FeatureSchema("profile", List.of(new FeatureSchema.Feature("city", 2)))),
        List.of(new RetrieveResult.Row(List.of("1", "eu"), List.of(new byte[] {1, 2, 3, 4}, new byte[0],
                "Zürich".getBytes(StandardCharsets.UTF_8))),
            new RetrieveResult.Row(List.of("2", "ünï"), List.of(new byte[] {0}, big, new byte[] {9}))));
  }

  @Test
  void encodesTheBytesTheGeneratedMessageWrites() {
    RetrieveResult result = sample();
    assertThat(RetrieveResultCodec.encode(result)).isEqualTo(ProtoMapping.toProto(result).toByteArray());
    RetrieveResult empty = new RetrieveResult("", List.of(), List.of(), List.of());
    assertThat(RetrieveResultCodec.encode(empty)).isEqualTo(ProtoMapping.toProto(empty).toByteArray()).isEmpty();
  }

  @Test
  void decodesWhatTheGeneratedMessageWrites() throws Exception {
    RetrieveResult result = sample();
    byte[] wire = ProtoMapping.toProto(result).toByteArray();
    assertThat(RetrieveResultCodec.decode(new ByteArrayInputStream(wire))).isEqualTo(result);
    assertThat(RetrieveResultCodec.MARSHALLER.parse(new ByteArrayInputStream(wire))).isEqualTo(result);
  }

  @Test
  void skipsUnknownFields() throws Exception {
    RetrieveResult result = sample();
    byte[] wire = ProtoMapping.toProto(result).toBuilder()
        .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
            .addField(99, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build())
        .build().toByteArray();
    assertThat(RetrieveResultCodec.decode(new ByteArrayInputStream(wire))).isEqualTo(result);
  }

  @Test
  void streamsItsLengthAndDrains() throws Exception {
    RetrieveResult result = sample();
    InputStream stream = RetrieveResultCodec.MARSHALLER.stream(result);
    byte[] expected = RetrieveResultCodec.encode(result);
    assertThat(((io.grpc.KnownLength) stream).available()).isEqualTo(expected.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(((io.grpc.Drainable) stream).drainTo(out)).isEqualTo(expected.length);
    assertThat(out.toByteArray()).isEqualTo(expected);
  }

  @Test
  void truncatedInputIsAnInternalError() {
    byte[] wire = RetrieveResultCodec.encode(sample());
    // The last cell declares one byte that is not there.
    byte[] truncated = java.util.Arrays.copyOf(wire, wire.length - 1);
    assertThatThrownBy(() -> RetrieveResultCodec.MARSHALLER.parse(new ByteArrayInputStream(truncated)))
        .isInstanceOf(StatusRuntimeException.class).hasMessageStartingWith("INTERNAL: invalid retrieve.Result");
  }
}
