package dev.onfs.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.FeatureSchema;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.PersistResult;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.serving.Values;
import dev.onfs.core.types.DataType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Converts between the wire messages and the core's transport-neutral records, in both directions
 * (servers map requests in and results out, clients the reverse). Shared by the gRPC services, the
 * Kafka consumer and the client.
 *
 * <p>Result cells are wrapped, not copied: the core hands out cells it never modifies.
 */
public final class ProtoMapping {
  private ProtoMapping() {}

  // ---- persist ----

  public static PersistQuery toCore(dev.onfs.proto.persist.Query query) {
    List<PersistQuery.FeatureGroupSchema> groups = new ArrayList<>(query.getFeatureGroupSchemaCount());
    for (dev.onfs.proto.persist.FeatureGroupSchema group : query.getFeatureGroupSchemaList()) {
      groups.add(new PersistQuery.FeatureGroupSchema(group.getLabel(), group.getFeatureLabelsList()));
    }
    List<PersistQuery.Data> data = new ArrayList<>(query.getDataCount());
    for (dev.onfs.proto.persist.Data row : query.getDataList()) {
      List<Values> values = new ArrayList<>(row.getFeatureValuesCount());
      for (dev.onfs.proto.persist.FeatureValues featureValues : row.getFeatureValuesList()) {
        values.add(toCore(featureValues.getValues()));
      }
      data.add(new PersistQuery.Data(row.getKeyValuesList(), values));
    }
    return new PersistQuery(query.getEntityLabel(), query.getKeysSchemaList(), groups, data);
  }

  public static Values toCore(dev.onfs.proto.persist.Values values) {
    List<Values> vectors;
    if (values.getVectorCount() == 0) {
      vectors = List.of();
    } else {
      vectors = new ArrayList<>(values.getVectorCount());
      for (dev.onfs.proto.persist.Vector vector : values.getVectorList()) {
        vectors.add(toCore(vector.getValues()));
      }
    }
    // Through the indexed getters: protobuf keeps repeated numbers unboxed, and so does Values.
    double[] fp32 = new double[values.getFp32ValuesCount()];
    for (int i = 0; i < fp32.length; i++) {
      fp32[i] = values.getFp32Values(i);
    }
    double[] fp64 = new double[values.getFp64ValuesCount()];
    for (int i = 0; i < fp64.length; i++) {
      fp64[i] = values.getFp64Values(i);
    }
    int[] int32 = new int[values.getInt32ValuesCount()];
    for (int i = 0; i < int32.length; i++) {
      int32[i] = values.getInt32Values(i);
    }
    long[] int64 = new long[values.getInt64ValuesCount()];
    for (int i = 0; i < int64.length; i++) {
      int64[i] = values.getInt64Values(i);
    }
    int[] uint32 = new int[values.getUint32ValuesCount()];
    for (int i = 0; i < uint32.length; i++) {
      uint32[i] = values.getUint32Values(i);
    }
    long[] uint64 = new long[values.getUint64ValuesCount()];
    for (int i = 0; i < uint64.length; i++) {
      uint64[i] = values.getUint64Values(i);
    }
    boolean[] bools = new boolean[values.getBoolValuesCount()];
    for (int i = 0; i < bools.length; i++) {
      bools[i] = values.getBoolValues(i);
    }
    // A built message's string list never changes, so Values may keep it.
    return Values.of(fp32, fp64, int32, int64, uint32, uint64, values.getStringValuesList(), bools, vectors);
  }

  public static dev.onfs.proto.persist.Query toProto(PersistQuery query) {
    dev.onfs.proto.persist.Query.Builder builder = dev.onfs.proto.persist.Query.newBuilder()
        .setEntityLabel(query.entityLabel())
        .addAllKeysSchema(query.keysSchema());
    for (PersistQuery.FeatureGroupSchema group : query.featureGroupSchema()) {
      builder.addFeatureGroupSchema(dev.onfs.proto.persist.FeatureGroupSchema.newBuilder()
          .setLabel(group.label())
          .addAllFeatureLabels(group.featureLabels()));
    }
    for (PersistQuery.Data row : query.data()) {
      dev.onfs.proto.persist.Data.Builder data = dev.onfs.proto.persist.Data.newBuilder()
          .addAllKeyValues(row.keyValues());
      for (Values values : row.featureValues()) {
        data.addFeatureValues(dev.onfs.proto.persist.FeatureValues.newBuilder().setValues(toProto(values)));
      }
      builder.addData(data);
    }
    return builder.build();
  }

  public static dev.onfs.proto.persist.Values toProto(Values values) {
    dev.onfs.proto.persist.Values.Builder builder = dev.onfs.proto.persist.Values.newBuilder()
        .addAllFp32Values(values.fp32Values())
        .addAllFp64Values(values.fp64Values())
        .addAllInt32Values(values.int32Values())
        .addAllInt64Values(values.int64Values())
        .addAllUint32Values(values.uint32Values())
        .addAllUint64Values(values.uint64Values())
        .addAllStringValues(values.stringValues())
        .addAllBoolValues(values.boolValues());
    for (Values vector : values.vectors()) {
      builder.addVector(dev.onfs.proto.persist.Vector.newBuilder().setValues(toProto(vector)));
    }
    return builder.build();
  }

  public static dev.onfs.proto.persist.Result toProto(PersistResult result) {
    return dev.onfs.proto.persist.Result.newBuilder().setMessage(result.message()).build();
  }

  // ---- retrieve ----

  public static RetrieveQuery toCore(dev.onfs.proto.retrieve.Query query) {
    List<RetrieveQuery.FeatureGroup> groups = new ArrayList<>(query.getFeatureGroupsCount());
    for (dev.onfs.proto.retrieve.FeatureGroup group : query.getFeatureGroupsList()) {
      groups.add(new RetrieveQuery.FeatureGroup(group.getLabel(), group.getFeatureLabelsList()));
    }
    List<RetrieveQuery.Keys> keys = new ArrayList<>(query.getKeysCount());
    for (dev.onfs.proto.retrieve.Keys key : query.getKeysList()) {
      keys.add(new RetrieveQuery.Keys(key.getColsList()));
    }
    return new RetrieveQuery(query.getEntityLabel(), groups, query.getKeysSchemaList(), keys);
  }

  public static dev.onfs.proto.retrieve.Query toProto(RetrieveQuery query) {
    dev.onfs.proto.retrieve.Query.Builder builder = dev.onfs.proto.retrieve.Query.newBuilder()
        .setEntityLabel(query.entityLabel())
        .addAllKeysSchema(query.keysSchema());
    for (RetrieveQuery.FeatureGroup group : query.featureGroups()) {
      builder.addFeatureGroups(dev.onfs.proto.retrieve.FeatureGroup.newBuilder()
          .setLabel(group.label())
          .addAllFeatureLabels(group.featureLabels()));
    }
    for (RetrieveQuery.Keys key : query.keys()) {
      builder.addKeys(dev.onfs.proto.retrieve.Keys.newBuilder().addAllCols(key.cols()));
    }
    return builder.build();
  }

  public static dev.onfs.proto.retrieve.Result toProto(RetrieveResult result) {
    dev.onfs.proto.retrieve.Result.Builder builder = dev.onfs.proto.retrieve.Result.newBuilder()
        .setEntityLabel(result.entityLabel())
        .addAllKeysSchema(result.keysSchema());
    for (FeatureSchema schema : result.featureSchemas()) {
      builder.addFeatureSchemas(toProto(schema));
    }
    for (RetrieveResult.Row row : result.rows()) {
      dev.onfs.proto.retrieve.Row.Builder out = dev.onfs.proto.retrieve.Row.newBuilder().addAllKeys(row.keys());
      for (byte[] cell : row.columns()) {
        out.addColumns(cell.length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(cell));
      }
      BitSet defaults = row.defaultColumns();
      for (int c = defaults.nextSetBit(0); c >= 0; c = defaults.nextSetBit(c + 1)) {
        out.addDefaultColumns(c);
      }
      builder.addRows(out);
    }
    return builder.build();
  }

  public static RetrieveResult toCore(dev.onfs.proto.retrieve.Result result) {
    List<RetrieveResult.Row> rows = new ArrayList<>(result.getRowsCount());
    for (dev.onfs.proto.retrieve.Row row : result.getRowsList()) {
      List<byte[]> cells = new ArrayList<>(row.getColumnsCount());
      for (ByteString cell : row.getColumnsList()) {
        cells.add(cell.toByteArray());
      }
      rows.add(new RetrieveResult.Row(row.getKeysList(), cells, toBitSet(row.getDefaultColumnsList())));
    }
    return new RetrieveResult(
        result.getEntityLabel(), result.getKeysSchemaList(), toCoreSchemas(result.getFeatureSchemasList()), rows);
  }

  public static dev.onfs.proto.retrieve.DecodedResult toProto(DecodedResult result) {
    dev.onfs.proto.retrieve.DecodedResult.Builder builder = dev.onfs.proto.retrieve.DecodedResult.newBuilder()
        .addAllKeysSchema(result.keysSchema());
    for (FeatureSchema schema : result.featureSchemas()) {
      builder.addFeatureSchemas(toProto(schema));
    }
    for (DecodedResult.DecodedRow row : result.rows()) {
      dev.onfs.proto.retrieve.DecodedRow.Builder out = dev.onfs.proto.retrieve.DecodedRow.newBuilder()
          .addAllKeys(row.keys())
          .addAllColumns(row.columns());
      BitSet defaults = row.defaultColumns();
      for (int c = defaults.nextSetBit(0); c >= 0; c = defaults.nextSetBit(c + 1)) {
        out.addDefaultColumns(c);
      }
      builder.addRows(out);
    }
    return builder.build();
  }

  public static DecodedResult toCore(dev.onfs.proto.retrieve.DecodedResult result) {
    List<DecodedResult.DecodedRow> rows = new ArrayList<>(result.getRowsCount());
    for (dev.onfs.proto.retrieve.DecodedRow row : result.getRowsList()) {
      rows.add(new DecodedResult.DecodedRow(row.getKeysList(), row.getColumnsList(),
          toBitSet(row.getDefaultColumnsList())));
    }
    return new DecodedResult(result.getKeysSchemaList(), toCoreSchemas(result.getFeatureSchemasList()), rows);
  }

  private static dev.onfs.proto.retrieve.FeatureSchema toProto(FeatureSchema schema) {
    dev.onfs.proto.retrieve.FeatureSchema.Builder builder = dev.onfs.proto.retrieve.FeatureSchema.newBuilder()
        .setFeatureGroupLabel(schema.featureGroupLabel());
    for (FeatureSchema.Feature feature : schema.features()) {
      builder.addFeatures(dev.onfs.proto.retrieve.Feature.newBuilder()
          .setLabel(feature.label())
          .setColumnIdx(feature.columnIdx())
          .setDataType(feature.dataType().id()));
    }
    return builder.build();
  }

  /** The data type a response names; UNKNOWN for 0 (not sent) and for an id this version does not know. */
  public static DataType dataType(int id) {
    for (DataType type : DataType.values()) {
      if (type.id() == id) {
        return type;
      }
    }
    return DataType.UNKNOWN;
  }

  /** Column indexes as a set; a negative index (a malformed response) is left out. */
  private static BitSet toBitSet(List<Integer> columns) {
    BitSet set = new BitSet();
    for (int c : columns) {
      if (c >= 0) {
        set.set(c);
      }
    }
    return set;
  }

  private static List<FeatureSchema> toCoreSchemas(List<dev.onfs.proto.retrieve.FeatureSchema> schemas) {
    List<FeatureSchema> out = new ArrayList<>(schemas.size());
    for (dev.onfs.proto.retrieve.FeatureSchema schema : schemas) {
      List<FeatureSchema.Feature> features = new ArrayList<>(schema.getFeaturesCount());
      for (dev.onfs.proto.retrieve.Feature feature : schema.getFeaturesList()) {
        features.add(new FeatureSchema.Feature(feature.getLabel(), feature.getColumnIdx(), dataType(feature.getDataType())));
      }
      out.add(new FeatureSchema(schema.getFeatureGroupLabel(), features));
    }
    return out;
  }
}
