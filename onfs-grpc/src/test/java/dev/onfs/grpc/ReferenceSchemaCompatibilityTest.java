package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.FeatureSchema;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.types.DataType;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.retrieve.RetrieveProto;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reference's SDKs parse OnFS's answers with the reference's {@code retrieve.proto}, which has none
 * of the fields OnFS adds (data types, default columns). This test parses our bytes with exactly that
 * schema (ours without the added fields) and checks that they read as the reference server's answer
 * would: same known fields, the additions skipped as unknown.
 */
class ReferenceSchemaCompatibilityTest {
  private static final FileDescriptor REFERENCE = referenceSchema();

  /** Our retrieve.proto without OnFS's own fields (numbered from 1001): the reference's schema. */
  private static FileDescriptor referenceSchema() {
    FileDescriptorProto.Builder file = RetrieveProto.getDescriptor().toProto().toBuilder();
    int removed = 0;
    for (DescriptorProto.Builder message : file.getMessageTypeBuilderList()) {
      List<FieldDescriptorProto> reference =
          message.getFieldList().stream().filter(field -> field.getNumber() < 1001).toList();
      removed += message.getFieldCount() - reference.size();
      message.clearField().addAllField(reference);
    }
    assertThat(removed).as("fields OnFS adds: Feature.data_type, Row and DecodedRow default_columns").isEqualTo(3);
    try {
      return FileDescriptor.buildFrom(file.build(), new FileDescriptor[0]);
    } catch (com.google.protobuf.Descriptors.DescriptorValidationException e) {
      throw new AssertionError(e);
    }
  }

  private static List<FeatureSchema> schemas(boolean typed) {
    return List.of(new FeatureSchema("stats", List.of(
            new FeatureSchema.Feature("ctr", 0, typed ? DataType.FP32 : DataType.UNKNOWN),
            new FeatureSchema.Feature("orders", 1, typed ? DataType.INT64 : DataType.UNKNOWN))),
        new FeatureSchema("profile", List.of(
            new FeatureSchema.Feature("city", 2, typed ? DataType.STRING : DataType.UNKNOWN))));
  }

  private static BitSet defaults(boolean onfs, int... columns) {
    BitSet set = new BitSet();
    for (int c : columns) {
      set.set(c);
    }
    return onfs ? set : new BitSet();
  }

  /** The same answer as OnFS sends it ({@code onfs}) or as the reference server would. */
  private static RetrieveResult result(boolean onfs) {
    return new RetrieveResult("user", List.of("user_id"), schemas(onfs), List.of(
        new RetrieveResult.Row(List.of("1"), List.of(new byte[] {0, 0, (byte) 0xC0, 0x3F}, new byte[8], "pune".getBytes(
            java.nio.charset.StandardCharsets.UTF_8)), defaults(onfs, 1)),
        new RetrieveResult.Row(List.of("404"), List.of(new byte[4], new byte[8], new byte[0]), defaults(onfs, 0, 1, 2))));
  }

  private static DecodedResult decoded(boolean onfs) {
    return new DecodedResult(List.of("user_id"), schemas(onfs), List.of(
        new DecodedResult.DecodedRow(List.of("1"), List.of("1.5", "0", "pune"), defaults(onfs, 1)),
        new DecodedResult.DecodedRow(List.of("404"), List.of("0", "0", ""), defaults(onfs, 0, 1, 2))));
  }

  private static Message parseAsReference(String messageName, byte[] wire, boolean keepUnknown) throws Exception {
    Descriptor type = REFERENCE.findMessageTypeByName(messageName);
    Parser<DynamicMessage> parser = DynamicMessage.getDefaultInstance(type).getParserForType();
    return keepUnknown ? parser.parseFrom(wire) : DiscardUnknownFieldsParser.wrap(parser).parseFrom(wire);
  }

  @Test
  void theReferenceSchemaReadsBinaryAnswersAsTheReferenceServersAnswer() throws Exception {
    byte[] ours = RetrieveResultCodec.encode(result(true));
    byte[] reference = RetrieveResultCodec.encode(result(false));
    assertThat(ours).isNotEqualTo(reference);
    assertThat(parseAsReference("Result", ours, false)).isEqualTo(parseAsReference("Result", reference, false));
    // Nothing was lost on the way: the added fields are there, as unknown fields, for a parser that keeps them.
    Message kept = parseAsReference("Result", ours, true);
    assertThat(kept.toByteArray()).isEqualTo(ours);
    assertThat(((Message) ((List<?>) kept.getField(kept.getDescriptorForType().findFieldByName("rows"))).get(1))
        .getUnknownFields().hasField(1001)).isTrue();
  }

  @Test
  void theReferenceSchemaReadsDecodedAnswersAsTheReferenceServersAnswer() throws Exception {
    byte[] ours = ProtoMapping.toProto(decoded(true)).toByteArray();
    byte[] reference = ProtoMapping.toProto(decoded(false)).toByteArray();
    assertThat(ours).isNotEqualTo(reference);
    assertThat(parseAsReference("DecodedResult", ours, false))
        .isEqualTo(parseAsReference("DecodedResult", reference, false));
  }

  @Test
  void aRowWithEveryValueStoredCarriesNothingExtra() throws Exception {
    RetrieveResult allStored = new RetrieveResult("user", List.of("user_id"), schemas(true), List.of(
        new RetrieveResult.Row(List.of("1"), List.of(new byte[4], new byte[8], new byte[0]), new BitSet())));
    Message kept = parseAsReference("Result", RetrieveResultCodec.encode(allStored), true);
    Message row = (Message) ((List<?>) kept.getField(kept.getDescriptorForType().findFieldByName("rows"))).get(0);
    assertThat(row.getUnknownFields().asMap()).isEmpty();
  }
}
