package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog refuses what the store's persist path refuses, with its codes and messages. */
class RegistryCatalogTest {

  private static PersistQuery query(String entity, List<String> keys, String group, List<String> features, Values values) {
    return new PersistQuery(
        entity,
        keys,
        List.of(new PersistQuery.FeatureGroupSchema(group, features)),
        List.of(new PersistQuery.Data(List.of("u1"), List.of(values))));
  }

  private static void rejects(PersistQuery q, ErrorCode code, String message) {
    assertThatThrownBy(() -> TestSchemas.CATALOG.validate(q))
        .isInstanceOf(OnfsException.class)
        .hasMessage(message)
        .matches(e -> ((OnfsException) e).code() == code, "error code " + code);
  }

  @Test
  void acceptsValidQueries() {
    assertThatCode(() -> TestSchemas.CATALOG.validate(TestSchemas.profiles(1, 2))).doesNotThrowAnyException();
    Values vec = ValueLists.of(ValueField.VECTOR, List.of(ValueLists.of(ValueField.FP32, List.of(1.0, 2.0))));
    assertThatCode(() -> TestSchemas.CATALOG.validate(
        query("user", List.of("user_id"), "embedding", List.of("v"), vec))).doesNotThrowAnyException();
  }

  @Test
  void rejectsUnknownNames() {
    Values one = ValueLists.of(ValueField.INT64, List.of(1L));
    rejects(query("shop", List.of("user_id"), "counts", List.of("clicks"), one), ErrorCode.UNKNOWN_ENTITY,
        "entity 'shop' (entityLabel) is not in the registry");
    rejects(query("user", List.of("user_id"), "nope", List.of("clicks"), one), ErrorCode.UNKNOWN_FEATURE_GROUP,
        "feature group 'nope' (featureGroupSchema[0]) is not in entity 'user'");
    rejects(query("user", List.of("user_id"), "counts", List.of("views"), one), ErrorCode.UNKNOWN_FEATURE,
        "feature 'views' (featureGroupSchema[0].featureLabels[0]) is not in active version 1 of feature group"
            + " 'counts' in entity 'user'");
    rejects(query("user", List.of("shop_id"), "counts", List.of("clicks"), one), ErrorCode.INVALID_ARGUMENT,
        "keysSchema [shop_id] must name each key of entity 'user' exactly once: [user_id]");
  }

  @Test
  void rejectsWrongValueFieldOrCount() {
    rejects(
        query("user", List.of("user_id"), "counts", List.of("clicks"), ValueLists.of(ValueField.INT32, List.of(1))),
        ErrorCode.SCHEMA_MISMATCH,
        "data[0].featureValues[0]: int32_values is set, but feature group 'counts' (DataTypeInt64) takes int64_values only");
    rejects(
        query("user", List.of("user_id"), "profile", List.of("age", "score"), ValueLists.of(ValueField.FP32, List.of(1.0))),
        ErrorCode.SCHEMA_MISMATCH,
        "data[0].featureValues[0]: fp32_values has 1 values but feature group 'profile' (DataTypeFP32) lists 2 features");
    Values badVector = ValueLists.of(ValueField.VECTOR, List.of(ValueLists.of(ValueField.FP64, List.of(1.0))));
    rejects(query("user", List.of("user_id"), "embedding", List.of("v"), badVector), ErrorCode.SCHEMA_MISMATCH,
        "data[0].featureValues[0], feature 'v': fp64_values is set, but feature group 'embedding' (DataTypeFP16Vector)"
            + " takes fp32_values only");
  }
}
