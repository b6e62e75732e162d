package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.serving.FeatureSchema;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.types.DataType;
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
        List.of(new FeatureSchema("stats", List.of(new FeatureSchema.Feature("a", 0, DataType.FP32),
                new FeatureSchema.Feature("b", 1, DataType.UINT8_VECTOR))),
            new FeatureSchema("profile", List.of(new FeatureSchema.Feature("city", 2)))),
        List.of(new RetrieveResult.Row(List.of("1", "eu"), List.of(new byte[] {1, 2, 3, 4}, new byte[0],
                "Zürich".getBytes(StandardCharsets.UTF_8)), java.util.BitSet.valueOf(new long[] {0b110})),
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
  void decodedCellsAreSlicesOfTheMessageEqualToTheGeneratedMessagesCopies() throws Exception {
    RetrieveResult result = sample();
    byte[] message = ProtoMapping.toProto(result).toByteArray();
    RetrieveResult copies = ProtoMapping.toCore(dev.onfs.proto.retrieve.Result.parseFrom(message));
    // The message in the middle of a larger array, as a transport may hand it over.
    byte[] framed = new byte[message.length + 10];
    java.util.Arrays.fill(framed, (byte) 0x7f);
    System.arraycopy(message, 0, framed, 5, message.length);
    RetrieveResult decoded = RetrieveResultCodec.decode(framed, 5, message.length);
    assertThat(decoded).isEqualTo(copies).isEqualTo(result);
    assertThat(decoded.hashCode()).isEqualTo(copies.hashCode());
    for (int r = 0; r < decoded.rows().size(); r++) {
      RetrieveResult.Row row = decoded.rows().get(r);
      RetrieveResult.Row copy = copies.rows().get(r);
      assertThat(row.toString()).isEqualTo(copy.toString());
      assertThat(row.defaultColumns()).isEqualTo(copy.defaultColumns());
      for (int c = 0; c < row.columnCount(); c++) {
        assertThat(row.column(c)).isEqualTo(copy.column(c));
        assertThat(row.cellLength(c)).isEqualTo(copy.column(c).length);
      }
    }
    assertThat(decoded.rows().get(0).getFloat(0)).isEqualTo(copies.rows().get(0).getFloat(0));
    // Encoding the slices again gives the message back.
    assertThat(RetrieveResultCodec.encode(decoded)).isEqualTo(message);
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

  private static String randomText(java.util.SplittableRandom random) {
    String[] alphabet = {"a", "7", "_", "é", "中", "\uD83D\uDE00"};
    StringBuilder sb = new StringBuilder();
    for (int i = random.nextInt(random.nextInt(8) == 0 ? 150 : 6); i > 0; i--) {
      sb.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return sb.toString();
  }

  private static RetrieveResult randomResult(java.util.SplittableRandom random) {
    List<FeatureSchema> schemas = new java.util.ArrayList<>();
    int columns = 0;
    for (int s = random.nextInt(4); s > 0; s--) {
      List<FeatureSchema.Feature> features = new java.util.ArrayList<>();
      for (int f = random.nextInt(8); f > 0; f--) {
        // Column 0 and empty labels are left out by proto3; large indexes take several varint bytes.
        int column = random.nextInt(3) == 0 ? random.nextInt(Integer.MAX_VALUE) : columns;
        // Sometimes no type (the reference's answer), sometimes one of OnFS's.
        DataType type = DataType.values()[random.nextInt(DataType.values().length)];
        features.add(new FeatureSchema.Feature(randomText(random), column, type));
        columns++;
      }
      schemas.add(new FeatureSchema(randomText(random), features));
    }
    List<RetrieveResult.Row> rows = new java.util.ArrayList<>();
    for (int r = random.nextInt(random.nextBoolean() ? 3 : 140); r > 0; r--) {
      List<String> keys = new java.util.ArrayList<>();
      for (int k = random.nextInt(3); k > 0; k--) {
        keys.add(randomText(random));
      }
      // Mostly as many cells as the schemas announce, sometimes fewer or more.
      int cells = random.nextInt(4) == 0 ? random.nextInt(40) : columns;
      List<byte[]> cellList = new java.util.ArrayList<>();
      for (int c = 0; c < cells; c++) {
        byte[] cell = new byte[random.nextInt(8) == 0 ? random.nextInt(400) : random.nextInt(9)];
        random.nextBytes(cell);
        cellList.add(cell);
      }
      java.util.BitSet defaults = new java.util.BitSet();
      for (int c = 0; c < cells && random.nextInt(3) == 0; c++) {
        defaults.set(random.nextInt(cells));
      }
      rows.add(new RetrieveResult.Row(keys, cellList, defaults));
    }
    return new RetrieveResult(randomText(random), List.of("id", ""), schemas, rows);
  }

  @Test
  void randomResultsMatchTheGeneratedMessageBothWays() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(17);
    for (int i = 0; i < 200; i++) {
      RetrieveResult result = randomResult(random);
      byte[] generated = ProtoMapping.toProto(result).toByteArray();
      assertThat(RetrieveResultCodec.encode(result)).isEqualTo(generated);
      assertThat(RetrieveResultCodec.decode(generated, 0, generated.length))
          .isEqualTo(ProtoMapping.toCore(dev.onfs.proto.retrieve.Result.parseFrom(generated))).isEqualTo(result);
    }
  }

  @Test
  void everyTruncationFailsOrParsesAsTheGeneratedParserDoes() throws Exception {
    byte[] wire = RetrieveResultCodec.encode(randomResult(new java.util.SplittableRandom(23)));
    for (int length = 0; length < wire.length; length++) {
      byte[] prefix = java.util.Arrays.copyOf(wire, length);
      RetrieveResult expected;
      try {
        expected = ProtoMapping.toCore(dev.onfs.proto.retrieve.Result.parseFrom(prefix));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        assertThatThrownBy(() -> RetrieveResultCodec.MARSHALLER.parse(new ByteArrayInputStream(prefix)))
            .isInstanceOf(StatusRuntimeException.class)
            .hasMessage("INTERNAL: invalid retrieve.Result: " + e.getMessage());
        continue;
      }
      assertThat(RetrieveResultCodec.decode(prefix, 0, prefix.length)).isEqualTo(expected);
    }
  }
}
