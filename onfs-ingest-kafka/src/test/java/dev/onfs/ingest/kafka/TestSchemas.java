package dev.onfs.ingest.kafka;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.registry.file.RegistryFiles;
import java.util.List;

/** A small registry: entity "user" (key user_id) with one group per interesting data type. */
final class TestSchemas {
  static final String REGISTRY_YAML = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: user_features, primary-keys: [user_id], table-ttl: 0}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      profile: {id: 0, data-type: FP32, store-id: 1, features: [{label: age}, {label: score}]}",
      "      counts: {id: 1, data-type: Int64, store-id: 1, features: [{label: clicks}]}",
      "      flags: {id: 2, data-type: Bool, store-id: 1, features: [{label: active}]}",
      "      names: {id: 3, data-type: String, store-id: 1, features: [{label: city}]}",
      "      small: {id: 4, data-type: Uint8, store-id: 1, features: [{label: level}]}",
      "      embedding: {id: 5, data-type: FP16Vector, store-id: 1, features: [{label: v, vector-length: 2}]}",
      "");

  static final SchemaCatalog CATALOG =
      new RegistryCatalog(new InMemoryFeatureRegistry(RegistryFiles.parse("registry.yaml", REGISTRY_YAML)));

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
