package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;

import dev.onfs.core.types.DataType;
import java.util.List;
import java.util.Map;

/** A small registry: entity "user" (key user_id) with one group per interesting data type. */
final class TestSchemas {
  static final SchemaCatalog.EntitySchema USER = new SchemaCatalog.EntitySchema(
      "user",
      List.of("user_id"),
      Map.of(
          "profile", new SchemaCatalog.GroupSchema("profile", DataType.FP32, List.of("age", "score")),
          "counts", new SchemaCatalog.GroupSchema("counts", DataType.INT64, List.of("clicks")),
          "flags", new SchemaCatalog.GroupSchema("flags", DataType.BOOL, List.of("active")),
          "names", new SchemaCatalog.GroupSchema("names", DataType.STRING, List.of("city")),
          "small", new SchemaCatalog.GroupSchema("small", DataType.UINT8, List.of("level")),
          "embedding", new SchemaCatalog.GroupSchema("embedding", DataType.FP16_VECTOR, List.of("v"))));

  static final SchemaCatalog CATALOG = label -> label.equals("user") ? USER : null;

  private TestSchemas() {}

  /** A valid query: one row per user id, group "profile" with age = i and score = i / 2. */
  static PersistQuery profiles(int... ids) {
    List<PersistQuery.Data> rows = new java.util.ArrayList<>();
    for (int id : ids) {
      rows.add(new PersistQuery.Data(
          List.of("u" + id), List.of(ValueLists.of(ValueField.FP32, List.of((double) id, id / 2.0)))));
    }
    return new PersistQuery(
        "user",
        List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("profile", List.of("age", "score"))),
        rows);
  }
}
