package dev.onfs.proto.testing;

import dev.onfs.proto.persist.Data;
import dev.onfs.proto.persist.FeatureGroupSchema;
import dev.onfs.proto.persist.FeatureValues;
import dev.onfs.proto.persist.Query;
import dev.onfs.proto.persist.Values;
import dev.onfs.proto.persist.Vector;
import java.util.List;

/**
 * Short builders of {@code persist.Query} messages for tests that send requests, good or bad, the way
 * producers and SDKs build them (published in this module's test jar).
 */
public final class PersistMessages {
  private PersistMessages() {}

  /** A query for {@code entity}; {@code groupFeatures.get(g)} lists the features of {@code groups.get(g)}. */
  public static Query query(String entity, List<String> keysSchema, List<String> groups,
      List<List<String>> groupFeatures, Data... rows) {
    Query.Builder q = Query.newBuilder().setEntityLabel(entity).addAllKeysSchema(keysSchema).addAllData(List.of(rows));
    for (int g = 0; g < groups.size(); g++) {
      q.addFeatureGroupSchema(FeatureGroupSchema.newBuilder().setLabel(groups.get(g))
          .addAllFeatureLabels(groupFeatures.get(g)));
    }
    return q.build();
  }

  /** One data row: its key values and one {@code Values} per feature group. */
  public static Data row(List<String> key, Values... values) {
    Data.Builder d = Data.newBuilder().addAllKeyValues(key);
    for (Values v : values) {
      d.addFeatureValues(FeatureValues.newBuilder().setValues(v));
    }
    return d.build();
  }

  public static Values fp32(double... values) {
    Values.Builder b = Values.newBuilder();
    for (double v : values) {
      b.addFp32Values(v);
    }
    return b.build();
  }

  public static Values int32(int... values) {
    Values.Builder b = Values.newBuilder();
    for (int v : values) {
      b.addInt32Values(v);
    }
    return b.build();
  }

  public static Values uint32(int... values) {
    Values.Builder b = Values.newBuilder();
    for (int v : values) {
      b.addUint32Values(v);
    }
    return b.build();
  }

  public static Values strings(String... values) {
    return Values.newBuilder().addAllStringValues(List.of(values)).build();
  }

  public static Values bools(boolean... values) {
    Values.Builder b = Values.newBuilder();
    for (boolean v : values) {
      b.addBoolValues(v);
    }
    return b.build();
  }

  /** Vector-typed values: one {@code Vector} per feature. */
  public static Values vectors(Values... vectors) {
    Values.Builder b = Values.newBuilder();
    for (Values v : vectors) {
      b.addVector(Vector.newBuilder().setValues(v));
    }
    return b.build();
  }
}
