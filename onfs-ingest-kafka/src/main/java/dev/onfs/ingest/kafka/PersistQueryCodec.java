package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@code persist.Query} protobuf bytes (proto3; repeated scalars packed on write,
 * packed or unpacked on read; unknown fields skipped), byte-compatible with the reference's
 * generated code.
 */
public final class PersistQueryCodec {
  private static final int MAX_DEPTH = 4;

  private PersistQueryCodec() {}

  /**
   * Decodes a serialized query.
   *
   * @throws OnfsException {@link ErrorCode#INVALID_ARGUMENT} when the bytes are not a {@code persist.Query}
   */
  public static PersistQuery decode(byte[] bytes) {
    try {
      return readQuery(CodedInputStream.newInstance(bytes));
    } catch (IOException | RuntimeException e) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT, "record value is not a persist.Query: " + e.getMessage(), e);
    }
  }

  public static byte[] encode(PersistQuery query) {
    byte[] out = new byte[querySize(query)];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      writeQuery(cos, query);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("size computation is wrong", e);
    }
    return out;
  }

  // ---- decode

  private static PersistQuery readQuery(CodedInputStream in) throws IOException {
    String entity = "";
    List<String> keys = new ArrayList<>(2);
    List<PersistQuery.FeatureGroupSchema> groups = new ArrayList<>(2);
    List<PersistQuery.Data> data = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED:
          entity = in.readStringRequireUtf8();
          break;
        case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED:
          keys.add(in.readStringRequireUtf8());
          break;
        case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: {
          int limit = in.pushLimit(in.readRawVarint32());
          groups.add(readGroupSchema(in));
          in.popLimit(limit);
          break;
        }
        case (4 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: {
          int limit = in.pushLimit(in.readRawVarint32());
          data.add(readData(in));
          in.popLimit(limit);
          break;
        }
        default:
          skip(in, tag);
      }
    }
    return new PersistQuery(entity, keys, groups, data);
  }

  private static PersistQuery.FeatureGroupSchema readGroupSchema(CodedInputStream in) throws IOException {
    String label = "";
    List<String> features = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        label = in.readStringRequireUtf8();
      } else if (tag == ((2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        features.add(in.readStringRequireUtf8());
      } else {
        skip(in, tag);
      }
    }
    return new PersistQuery.FeatureGroupSchema(label, features);
  }

  private static PersistQuery.Data readData(CodedInputStream in) throws IOException {
    List<String> keyValues = new ArrayList<>(2);
    List<Values> values = new ArrayList<>(2);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        keyValues.add(in.readStringRequireUtf8());
      } else if (tag == ((2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        // FeatureValues { Values values = 1; }
        int limit = in.pushLimit(in.readRawVarint32());
        Values v = Values.empty();
        int inner;
        while ((inner = in.readTag()) != 0) {
          if (inner == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
            int l2 = in.pushLimit(in.readRawVarint32());
            v = readValues(in, 1);
            in.popLimit(l2);
          } else {
            skip(in, inner);
          }
        }
        in.popLimit(limit);
        values.add(v);
      } else {
        skip(in, tag);
      }
    }
    return new PersistQuery.Data(keyValues, values);
  }

  private static Values readValues(CodedInputStream in, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("vectors nested deeper than " + MAX_DEPTH);
    }
    List<List<?>> lists = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      if (field < 1 || field > 9) {
        skip(in, tag);
        continue;
      }
      if (lists == null) {
        lists = new ArrayList<>(9);
        for (int i = 0; i < 9; i++) {
          lists.add(new ArrayList<>());
        }
      }
      @SuppressWarnings("unchecked")
      List<Object> target = (List<Object>) lists.get(field - 1);
      if (field == 9) {
        expect(wire, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        int limit = in.pushLimit(in.readRawVarint32());
        // Vector { Values values = 1; }
        Values inner = Values.empty();
        int t;
        while ((t = in.readTag()) != 0) {
          if (t == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
            int l2 = in.pushLimit(in.readRawVarint32());
            inner = readValues(in, depth + 1);
            in.popLimit(l2);
          } else {
            skip(in, t);
          }
        }
        in.popLimit(limit);
        target.add(inner);
      } else if (field == 7) {
        expect(wire, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        target.add(in.readStringRequireUtf8());
      } else if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
          target.add(readScalar(in, field));
        }
        in.popLimit(limit);
      } else {
        expect(wire, scalarWireType(field), field);
        target.add(readScalar(in, field));
      }
    }
    return lists == null ? Values.empty() : ValueLists.fromLists(lists);
  }

  private static int scalarWireType(int field) {
    return field <= 2 ? WireFormat.WIRETYPE_FIXED64 : WireFormat.WIRETYPE_VARINT;
  }

  private static Object readScalar(CodedInputStream in, int field) throws IOException {
    switch (field) {
      case 1:
      case 2:
        return in.readDouble();
      case 3:
        return in.readInt32();
      case 4:
        return in.readInt64();
      case 5:
        return in.readUInt32();
      case 6:
        return in.readUInt64();
      case 8:
        return in.readBool();
      default:
        throw new IOException("field " + field + " is not a packed scalar");
    }
  }

  private static void expect(int wire, int expected, int field) throws IOException {
    if (wire != expected) {
      throw new IOException("Values field " + field + " has wire type " + wire + ", expected " + expected);
    }
  }

  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_END_GROUP || !in.skipField(tag)) {
      throw new IOException("malformed field with tag " + tag);
    }
  }

  // ---- encode (sizes first so the output is allocated once)

  private static int querySize(PersistQuery q) {
    int size = stringSize(1, q.entityLabel());
    for (String k : q.keysSchema()) {
      size += CodedOutputStream.computeStringSize(2, k);
    }
    for (PersistQuery.FeatureGroupSchema g : q.featureGroupSchema()) {
      size += messageSize(3, groupSize(g));
    }
    for (PersistQuery.Data d : q.data()) {
      size += messageSize(4, dataSize(d));
    }
    return size;
  }

  private static int stringSize(int field, String s) {
    return s.isEmpty() ? 0 : CodedOutputStream.computeStringSize(field, s);
  }

  private static int messageSize(int field, int bodySize) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize;
  }

  private static int groupSize(PersistQuery.FeatureGroupSchema g) {
    int size = stringSize(1, g.label());
    for (String f : g.featureLabels()) {
      size += CodedOutputStream.computeStringSize(2, f);
    }
    return size;
  }

  private static int dataSize(PersistQuery.Data d) {
    int size = 0;
    for (String k : d.keyValues()) {
      size += CodedOutputStream.computeStringSize(1, k);
    }
    for (Values v : d.featureValues()) {
      size += messageSize(2, featureValuesSize(v));
    }
    return size;
  }

  private static int featureValuesSize(Values v) {
    return messageSize(1, valuesSize(v));
  }

  private static int valuesSize(Values v) {
    int size = 0;
    for (ValueField f : ValueField.values()) {
      List<?> list = ValueLists.get(v, f);
      if (list.isEmpty()) {
        continue;
      }
      if (f == ValueField.STRING) {
        for (Object s : list) {
          size += CodedOutputStream.computeStringSize(7, (String) s);
        }
      } else if (f == ValueField.VECTOR) {
        for (Object inner : list) {
          size += messageSize(9, messageSize(1, valuesSize((Values) inner)));
        }
      } else {
        size += messageSize(f.number(), packedSize(f, list));
      }
    }
    return size;
  }

  private static int packedSize(ValueField f, List<?> list) {
    switch (f) {
      case FP32:
      case FP64:
        return 8 * list.size();
      case BOOL:
        return list.size();
      default:
        int size = 0;
        for (Object o : list) {
          switch (f) {
            case INT32:
              size += CodedOutputStream.computeInt32SizeNoTag((Integer) o);
              break;
            case UINT32:
              size += CodedOutputStream.computeUInt32SizeNoTag((Integer) o);
              break;
            case INT64:
              size += CodedOutputStream.computeInt64SizeNoTag((Long) o);
              break;
            default:
              size += CodedOutputStream.computeUInt64SizeNoTag((Long) o);
          }
        }
        return size;
    }
  }

  private static void writeQuery(CodedOutputStream out, PersistQuery q) throws IOException {
    if (!q.entityLabel().isEmpty()) {
      out.writeString(1, q.entityLabel());
    }
    for (String k : q.keysSchema()) {
      out.writeString(2, k);
    }
    for (PersistQuery.FeatureGroupSchema g : q.featureGroupSchema()) {
      out.writeTag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(groupSize(g));
      if (!g.label().isEmpty()) {
        out.writeString(1, g.label());
      }
      for (String f : g.featureLabels()) {
        out.writeString(2, f);
      }
    }
    for (PersistQuery.Data d : q.data()) {
      out.writeTag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(dataSize(d));
      for (String k : d.keyValues()) {
        out.writeString(1, k);
      }
      for (Values v : d.featureValues()) {
        out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(featureValuesSize(v));
        writeValuesField(out, 1, v);
      }
    }
  }

  private static void writeValuesField(CodedOutputStream out, int field, Values v) throws IOException {
    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(valuesSize(v));
    for (ValueField f : ValueField.values()) {
      List<?> list = ValueLists.get(v, f);
      if (list.isEmpty()) {
        continue;
      }
      if (f == ValueField.STRING) {
        for (Object s : list) {
          out.writeString(7, (String) s);
        }
      } else if (f == ValueField.VECTOR) {
        for (Object inner : list) {
          Values iv = (Values) inner;
          out.writeTag(9, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeUInt32NoTag(messageSize(1, valuesSize(iv)));
          writeValuesField(out, 1, iv);
        }
      } else {
        out.writeTag(f.number(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(packedSize(f, list));
        for (Object o : list) {
          switch (f) {
            case FP32:
            case FP64:
              out.writeDoubleNoTag((Double) o);
              break;
            case INT32:
              out.writeInt32NoTag((Integer) o);
              break;
            case UINT32:
              out.writeUInt32NoTag((Integer) o);
              break;
            case INT64:
              out.writeInt64NoTag((Long) o);
              break;
            case UINT64:
              out.writeUInt64NoTag((Long) o);
              break;
            default:
              out.writeBoolNoTag((Boolean) o);
          }
        }
      }
    }
  }
}
