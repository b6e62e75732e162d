package dev.onfs.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.WireFormat;
import dev.onfs.core.serving.FeatureSchema;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.proto.retrieve.FeatureServiceGrpc;
import dev.onfs.proto.retrieve.Query;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads {@code retrieve.Result} straight from and into the core's {@link RetrieveResult},
 * byte for byte what the generated message would send, without building the message: a 100-row answer
 * is 100 {@code Row} messages and about 2,000 {@code ByteString}s the server would build only to
 * serialize, and the client would parse only to copy the cells out again.
 */
public final class RetrieveResultCodec {
  private static final int RESULT_ENTITY_LABEL = 1;
  private static final int RESULT_KEYS_SCHEMA = 2;
  private static final int RESULT_FEATURE_SCHEMAS = 3;
  private static final int RESULT_ROWS = 4;
  private static final int ROW_KEYS = 1;
  private static final int ROW_COLUMNS = 2;

  /** The marshaller of {@code retrieve.Result} as a {@link RetrieveResult}. */
  public static final MethodDescriptor.Marshaller<RetrieveResult> MARSHALLER = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(RetrieveResult value) {
      return new EncodedStream(encode(value));
    }

    @Override
    public RetrieveResult parse(InputStream stream) {
      try {
        return decode(stream);
      } catch (IOException | RuntimeException e) {
        throw Status.INTERNAL.withDescription("invalid retrieve.Result: " + e.getMessage()).withCause(e)
            .asRuntimeException();
      }
    }
  };

  /** {@code retrieve.FeatureService/RetrieveFeatures} answering with a {@link RetrieveResult}. */
  public static final MethodDescriptor<Query, RetrieveResult> RETRIEVE_FEATURES =
      FeatureServiceGrpc.getRetrieveFeaturesMethod()
          .toBuilder(FeatureServiceGrpc.getRetrieveFeaturesMethod().getRequestMarshaller(), MARSHALLER)
          .build();

  private RetrieveResultCodec() {}

  /** The serialized {@code retrieve.Result}. */
  public static byte[] encode(RetrieveResult result) {
    List<dev.onfs.proto.retrieve.FeatureSchema> schemas = new ArrayList<>(result.featureSchemas().size());
    int size = result.entityLabel().isEmpty() ? 0 : CodedOutputStream.computeStringSize(RESULT_ENTITY_LABEL,
        result.entityLabel());
    for (String key : result.keysSchema()) {
      size += CodedOutputStream.computeStringSize(RESULT_KEYS_SCHEMA, key);
    }
    for (FeatureSchema schema : result.featureSchemas()) {
      dev.onfs.proto.retrieve.FeatureSchema proto = toProto(schema);
      schemas.add(proto);
      size += CodedOutputStream.computeMessageSize(RESULT_FEATURE_SCHEMAS, proto);
    }
    List<RetrieveResult.Row> rows = result.rows();
    int[] rowSizes = new int[rows.size()];
    int rowTag = CodedOutputStream.computeTagSize(RESULT_ROWS);
    for (int r = 0; r < rowSizes.length; r++) {
      RetrieveResult.Row row = rows.get(r);
      int rowSize = 0;
      for (String key : row.keys()) {
        rowSize += CodedOutputStream.computeStringSize(ROW_KEYS, key);
      }
      List<byte[]> columns = row.columns();
      for (int c = 0; c < columns.size(); c++) {
        rowSize += CodedOutputStream.computeByteArraySize(ROW_COLUMNS, columns.get(c));
      }
      rowSizes[r] = rowSize;
      size += rowTag + CodedOutputStream.computeUInt32SizeNoTag(rowSize) + rowSize;
    }
    byte[] out = new byte[size];
    CodedOutputStream output = CodedOutputStream.newInstance(out);
    try {
      if (!result.entityLabel().isEmpty()) {
        output.writeString(RESULT_ENTITY_LABEL, result.entityLabel());
      }
      for (String key : result.keysSchema()) {
        output.writeString(RESULT_KEYS_SCHEMA, key);
      }
      for (dev.onfs.proto.retrieve.FeatureSchema schema : schemas) {
        output.writeMessage(RESULT_FEATURE_SCHEMAS, schema);
      }
      for (int r = 0; r < rowSizes.length; r++) {
        RetrieveResult.Row row = rows.get(r);
        output.writeTag(RESULT_ROWS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        output.writeUInt32NoTag(rowSizes[r]);
        for (String key : row.keys()) {
          output.writeString(ROW_KEYS, key);
        }
        List<byte[]> columns = row.columns();
        for (int c = 0; c < columns.size(); c++) {
          output.writeByteArray(ROW_COLUMNS, columns.get(c));
        }
      }
      output.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("sizing a retrieve.Result went wrong", e);
    }
    return out;
  }

  /** Reads a serialized {@code retrieve.Result}; each cell is copied once, out of the input. */
  public static RetrieveResult decode(InputStream stream) throws IOException {
    CodedInputStream input = CodedInputStream.newInstance(stream);
    input.setSizeLimit(Integer.MAX_VALUE);
    String entityLabel = "";
    List<String> keysSchema = new ArrayList<>(2);
    List<FeatureSchema> schemas = new ArrayList<>(4);
    List<RetrieveResult.Row> rows = new ArrayList<>();
    int tag;
    while ((tag = input.readTag()) != 0) {
      switch (tag) {
        case (RESULT_ENTITY_LABEL << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> entityLabel = input.readStringRequireUtf8();
        case (RESULT_KEYS_SCHEMA << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> keysSchema.add(input.readStringRequireUtf8());
        case (RESULT_FEATURE_SCHEMAS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
          dev.onfs.proto.retrieve.FeatureSchema.Builder schema = dev.onfs.proto.retrieve.FeatureSchema.newBuilder();
          input.readMessage(schema, ExtensionRegistryLite.getEmptyRegistry());
          schemas.add(toCore(schema));
        }
        case (RESULT_ROWS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> rows.add(readRow(input));
        default -> input.skipField(tag);
      }
    }
    return new RetrieveResult(entityLabel, keysSchema, schemas, rows);
  }

  private static RetrieveResult.Row readRow(CodedInputStream input) throws IOException {
    int limit = input.pushLimit(input.readRawVarint32());
    List<String> keys = new ArrayList<>(1);
    List<byte[]> columns = new ArrayList<>(32);
    int tag;
    while ((tag = input.readTag()) != 0) {
      switch (tag) {
        case (ROW_KEYS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> keys.add(input.readStringRequireUtf8());
        case (ROW_COLUMNS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> columns.add(input.readByteArray());
        default -> input.skipField(tag);
      }
    }
    input.popLimit(limit);
    return new RetrieveResult.Row(keys, columns);
  }

  private static dev.onfs.proto.retrieve.FeatureSchema toProto(FeatureSchema schema) {
    dev.onfs.proto.retrieve.FeatureSchema.Builder builder = dev.onfs.proto.retrieve.FeatureSchema.newBuilder()
        .setFeatureGroupLabel(schema.featureGroupLabel());
    for (FeatureSchema.Feature feature : schema.features()) {
      builder.addFeatures(dev.onfs.proto.retrieve.Feature.newBuilder()
          .setLabel(feature.label())
          .setColumnIdx(feature.columnIdx()));
    }
    return builder.build();
  }

  private static FeatureSchema toCore(dev.onfs.proto.retrieve.FeatureSchema.Builder schema) {
    List<FeatureSchema.Feature> features = new ArrayList<>(schema.getFeaturesCount());
    for (dev.onfs.proto.retrieve.Feature feature : schema.getFeaturesList()) {
      features.add(new FeatureSchema.Feature(feature.getLabel(), feature.getColumnIdx()));
    }
    return new FeatureSchema(schema.getFeatureGroupLabel(), features);
  }

  /** An encoded message gRPC can size and copy into its buffers without reading it byte by byte. */
  private static final class EncodedStream extends ByteArrayInputStream implements KnownLength, Drainable {
    EncodedStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
