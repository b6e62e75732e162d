package dev.onfs.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.onfs.core.serving.FeatureSchema;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.types.DataType;
import dev.onfs.proto.ProtoMapping;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
  private static final int ENTITY_LABEL_TAG = RetrieveQueryCodec.tag(RESULT_ENTITY_LABEL);
  private static final int KEYS_SCHEMA_TAG = RetrieveQueryCodec.tag(RESULT_KEYS_SCHEMA);
  private static final int FEATURE_SCHEMAS_TAG = RetrieveQueryCodec.tag(RESULT_FEATURE_SCHEMAS);
  private static final int ROWS_TAG = RetrieveQueryCodec.tag(RESULT_ROWS);
  private static final int ROW_KEYS_TAG = RetrieveQueryCodec.tag(ROW_KEYS);
  private static final int COLUMNS_TAG = RetrieveQueryCodec.tag(ROW_COLUMNS);
  private static final int SCHEMA_LABEL_TAG = RetrieveQueryCodec.tag(1);
  private static final int SCHEMA_FEATURES_TAG = RetrieveQueryCodec.tag(2);
  private static final int FEATURE_LABEL_TAG = RetrieveQueryCodec.tag(1);
  private static final int FEATURE_COLUMN_IDX_TAG = (2 << 3) | WireFormat.WIRETYPE_VARINT;
  // OnFS's own fields (see retrieve.proto): the reference's parsers skip them.
  private static final int FEATURE_DATA_TYPE = 1001;
  private static final int FEATURE_DATA_TYPE_TAG = (FEATURE_DATA_TYPE << 3) | WireFormat.WIRETYPE_VARINT;
  private static final int ROW_DEFAULT_COLUMNS = 1001;
  private static final int DEFAULT_COLUMNS_PACKED_TAG = RetrieveQueryCodec.tag(ROW_DEFAULT_COLUMNS);
  private static final int DEFAULT_COLUMN_TAG = (ROW_DEFAULT_COLUMNS << 3) | WireFormat.WIRETYPE_VARINT;

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

  private RetrieveResultCodec() {}

  /** The serialized {@code retrieve.Result}. */
  public static byte[] encode(RetrieveResult result) {
    List<FeatureSchema> schemas = result.featureSchemas();
    int[] schemaSizes = new int[schemas.size()];
    int size = result.entityLabel().isEmpty() ? 0 : CodedOutputStream.computeStringSize(RESULT_ENTITY_LABEL,
        result.entityLabel());
    for (String key : result.keysSchema()) {
      size += CodedOutputStream.computeStringSize(RESULT_KEYS_SCHEMA, key);
    }
    for (int s = 0; s < schemaSizes.length; s++) {
      FeatureSchema schema = schemas.get(s);
      int schemaSize = schema.featureGroupLabel().isEmpty() ? 0
          : CodedOutputStream.computeStringSize(1, schema.featureGroupLabel());
      for (FeatureSchema.Feature feature : schema.features()) {
        int featureSize = featureSize(feature);
        schemaSize += 1 + CodedOutputStream.computeUInt32SizeNoTag(featureSize) + featureSize;
      }
      schemaSizes[s] = schemaSize;
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(schemaSize) + schemaSize;
    }
    List<RetrieveResult.Row> rows = result.rows();
    int[] rowSizes = new int[rows.size()];
    int[] defaultSizes = new int[rows.size()];
    int rowTag = CodedOutputStream.computeTagSize(RESULT_ROWS);
    int columnTagSize = CodedOutputStream.computeTagSize(ROW_COLUMNS);
    for (int r = 0; r < rowSizes.length; r++) {
      RetrieveResult.Row row = rows.get(r);
      int rowSize = 0;
      for (String key : row.keys()) {
        rowSize += CodedOutputStream.computeStringSize(ROW_KEYS, key);
      }
      int columns = row.columnCount();
      for (int c = 0; c < columns; c++) {
        int cellLength = row.cellLength(c);
        rowSize += columnTagSize + CodedOutputStream.computeUInt32SizeNoTag(cellLength) + cellLength;
      }
      int defaults = 0;
      for (int c = 0; c < columns; c++) {
        defaults += row.isDefault(c) ? CodedOutputStream.computeInt32SizeNoTag(c) : 0;
      }
      defaultSizes[r] = defaults;
      if (defaults > 0) {
        rowSize += CodedOutputStream.computeTagSize(ROW_DEFAULT_COLUMNS) + CodedOutputStream.computeUInt32SizeNoTag(defaults)
            + defaults;
      }
      rowSizes[r] = rowSize;
      size += rowTag + CodedOutputStream.computeUInt32SizeNoTag(rowSize) + rowSize;
    }
    byte[] out = new byte[size];
    CodedOutputStream output = CodedOutputStream.newInstance(out);
    // Cells go from where the result holds them straight into the message.
    RetrieveResult.CellWriter cellWriter = (array, offset, length) -> output.writeByteArray(ROW_COLUMNS, array, offset,
        length);
    try {
      if (!result.entityLabel().isEmpty()) {
        output.writeString(RESULT_ENTITY_LABEL, result.entityLabel());
      }
      for (String key : result.keysSchema()) {
        output.writeString(RESULT_KEYS_SCHEMA, key);
      }
      for (int s = 0; s < schemaSizes.length; s++) {
        FeatureSchema schema = schemas.get(s);
        output.writeUInt32NoTag(FEATURE_SCHEMAS_TAG);
        output.writeUInt32NoTag(schemaSizes[s]);
        if (!schema.featureGroupLabel().isEmpty()) {
          output.writeString(1, schema.featureGroupLabel());
        }
        for (FeatureSchema.Feature feature : schema.features()) {
          output.writeUInt32NoTag(SCHEMA_FEATURES_TAG);
          output.writeUInt32NoTag(featureSize(feature));
          if (!feature.label().isEmpty()) {
            output.writeString(1, feature.label());
          }
          if (feature.columnIdx() != 0) {
            output.writeInt32(2, feature.columnIdx());
          }
          if (feature.dataType().id() != 0) {
            output.writeInt32(FEATURE_DATA_TYPE, feature.dataType().id());
          }
        }
      }
      for (int r = 0; r < rowSizes.length; r++) {
        RetrieveResult.Row row = rows.get(r);
        output.writeTag(RESULT_ROWS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        output.writeUInt32NoTag(rowSizes[r]);
        for (String key : row.keys()) {
          output.writeString(ROW_KEYS, key);
        }
        int columns = row.columnCount();
        for (int c = 0; c < columns; c++) {
          row.writeCell(c, cellWriter);
        }
        if (defaultSizes[r] > 0) {
          output.writeUInt32NoTag(DEFAULT_COLUMNS_PACKED_TAG);
          output.writeUInt32NoTag(defaultSizes[r]);
          for (int c = 0; c < columns; c++) {
            if (row.isDefault(c)) {
              output.writeInt32NoTag(c);
            }
          }
        }
      }
      output.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("sizing a retrieve.Result went wrong", e);
    }
    return out;
  }

  /** Reads a serialized {@code retrieve.Result}; its rows' cells are slices of the bytes read, not copies. */
  public static RetrieveResult decode(InputStream stream) throws IOException {
    byte[] wire = RetrieveQueryCodec.readAll(stream);
    return decode(wire, 0, wire.length);
  }

  /**
   * Reads a serialized {@code retrieve.Result}. Its rows' cells are slices of {@code wire}, not copies:
   * {@code wire} must not change while the result is in use.
   */
  public static RetrieveResult decode(byte[] wire, int offset, int length) throws IOException {
    CodedInputStream input = CodedInputStream.newInstance(wire, offset, length);
    input.setSizeLimit(Integer.MAX_VALUE);
    String entityLabel = "";
    RetrieveQueryCodec.Scratch<String> keysSchema = new RetrieveQueryCodec.Scratch<>(new String[2]);
    RetrieveQueryCodec.Scratch<FeatureSchema> schemas = new RetrieveQueryCodec.Scratch<>(new FeatureSchema[4]);
    RetrieveQueryCodec.Scratch<RetrieveResult.Row> rows = new RetrieveQueryCodec.Scratch<>(new RetrieveResult.Row[64]);
    RowReader rowReader = new RowReader(wire, offset);
    int tag;
    while ((tag = input.readTag()) != 0) {
      if (tag == ROWS_TAG) {
        rows.add(rowReader.read(input));
      } else if (tag == FEATURE_SCHEMAS_TAG) {
        schemas.add(readFeatureSchema(input, rowReader));
      } else if (tag == KEYS_SCHEMA_TAG) {
        keysSchema.add(input.readStringRequireUtf8());
      } else if (tag == ENTITY_LABEL_TAG) {
        entityLabel = input.readStringRequireUtf8();
      } else {
        RetrieveQueryCodec.skip(input, tag);
      }
    }
    return new RetrieveResult(entityLabel, keysSchema.toList(), schemas.toList(), rows.toList());
  }

  private static FeatureSchema readFeatureSchema(CodedInputStream input, RowReader rowReader) throws IOException {
    int limit = RetrieveQueryCodec.enter(input);
    String label = "";
    RetrieveQueryCodec.Scratch<FeatureSchema.Feature> features = new RetrieveQueryCodec.Scratch<>(
        new FeatureSchema.Feature[16]);
    int tag;
    while ((tag = input.readTag()) != 0) {
      if (tag == SCHEMA_FEATURES_TAG) {
        features.add(readFeature(input));
      } else if (tag == SCHEMA_LABEL_TAG) {
        label = input.readStringRequireUtf8();
      } else {
        RetrieveQueryCodec.skip(input, tag);
      }
    }
    input.popLimit(limit);
    rowReader.expectColumns(features.size());
    return new FeatureSchema(label, features.toList());
  }

  private static FeatureSchema.Feature readFeature(CodedInputStream input) throws IOException {
    int limit = RetrieveQueryCodec.enter(input);
    String label = "";
    int columnIdx = 0;
    DataType dataType = DataType.UNKNOWN;
    int tag;
    while ((tag = input.readTag()) != 0) {
      if (tag == FEATURE_COLUMN_IDX_TAG) {
        columnIdx = input.readInt32();
      } else if (tag == FEATURE_DATA_TYPE_TAG) {
        dataType = ProtoMapping.dataType(input.readInt32());
      } else if (tag == FEATURE_LABEL_TAG) {
        label = input.readStringRequireUtf8();
      } else {
        RetrieveQueryCodec.skip(input, tag);
      }
    }
    input.popLimit(limit);
    return new FeatureSchema.Feature(label, columnIdx, dataType);
  }

  /**
   * Reads rows whose cells are slices of the message's array, through scratch arrays sized for the
   * columns the schemas announce.
   */
  private static final class RowReader {
    private final RetrieveQueryCodec.Scratch<String> keys = new RetrieveQueryCodec.Scratch<>(new String[2]);
    private final byte[] wire;
    private final int start;
    private int expectedColumns;
    private int[] offsets = new int[0];
    private int[] lengths = new int[0];

    RowReader(byte[] wire, int start) {
      this.wire = wire;
      this.start = start;
    }

    void expectColumns(int columns) {
      expectedColumns += columns;
    }

    RetrieveResult.Row read(CodedInputStream input) throws IOException {
      int limit = RetrieveQueryCodec.enter(input);
      keys.clear();
      if (offsets.length != expectedColumns) {
        offsets = new int[expectedColumns];
        lengths = new int[expectedColumns];
      }
      int count = 0;
      BitSet defaults = null;
      int tag;
      while ((tag = input.readTag()) != 0) {
        if (tag == COLUMNS_TAG) {
          if (count == offsets.length) {
            offsets = java.util.Arrays.copyOf(offsets, Math.max(8, count * 2));
            lengths = java.util.Arrays.copyOf(lengths, offsets.length);
          }
          int length = input.readRawVarint32();
          if (length < 0) {
            throw new IOException("column " + count + " has a negative length");
          }
          offsets[count] = start + input.getTotalBytesRead();
          lengths[count] = length;
          input.skipRawBytes(length); // fails when the cell runs past its row or the message
          count++;
        } else if (tag == ROW_KEYS_TAG) {
          keys.add(input.readStringRequireUtf8());
        } else if (tag == DEFAULT_COLUMNS_PACKED_TAG) {
          int packed = RetrieveQueryCodec.enter(input);
          while (input.getBytesUntilLimit() > 0) {
            defaults = markDefault(defaults, input.readInt32());
          }
          input.popLimit(packed);
        } else if (tag == DEFAULT_COLUMN_TAG) {
          defaults = markDefault(defaults, input.readInt32());
        } else {
          RetrieveQueryCodec.skip(input, tag);
        }
      }
      input.popLimit(limit);
      expectedColumns = count;
      // The row keeps the scratch arrays when they are exactly its size; the next row gets new ones.
      int[] rowOffsets = count == offsets.length ? offsets : java.util.Arrays.copyOf(offsets, count);
      int[] rowLengths = count == lengths.length ? lengths : java.util.Arrays.copyOf(lengths, count);
      if (rowOffsets == offsets) {
        offsets = new int[0];
        lengths = new int[0];
      }
      return new RetrieveResult.Row(keys.toList(), wire, rowOffsets, rowLengths, defaults);
    }

    private static BitSet markDefault(@Nullable BitSet defaults, int column) {
      BitSet set = defaults == null ? new BitSet() : defaults;
      if (column >= 0) {
        set.set(column);
      }
      return set;
    }
  }

  /** The size of a {@code retrieve.Feature}: proto3 leaves out the empty label and column 0. */
  private static int featureSize(FeatureSchema.Feature feature) {
    return (feature.label().isEmpty() ? 0 : CodedOutputStream.computeStringSize(1, feature.label()))
        + (feature.columnIdx() == 0 ? 0 : CodedOutputStream.computeInt32Size(2, feature.columnIdx()))
        + (feature.dataType().id() == 0 ? 0 : CodedOutputStream.computeInt32Size(FEATURE_DATA_TYPE, feature.dataType().id()));
  }

}
