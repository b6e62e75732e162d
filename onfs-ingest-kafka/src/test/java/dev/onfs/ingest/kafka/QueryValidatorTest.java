package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryValidatorTest {

  private static PersistQuery query(String entity, List<String> keys, String group, List<String> features, Values values) {
    return new PersistQuery(
        entity,
        keys,
        List.of(new PersistQuery.FeatureGroupSchema(group, features)),
        List.of(new PersistQuery.Data(List.of("u1"), List.of(values))));
  }

  private static void rejects(PersistQuery q, ErrorCode code, String message) {
    assertThatThrownBy(() -> QueryValidator.validate(q, TestSchemas.CATALOG))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining(message)
        .matches(e -> ((OnfsException) e).code() == code, "error code " + code);
  }

  @Test
  void acceptsValidQueries() {
    assertThatCode(() -> QueryValidator.validate(TestSchemas.profiles(1, 2), TestSchemas.CATALOG)).doesNotThrowAnyException();
    Values vec = ValueLists.of(ValueField.VECTOR, List.of(ValueLists.of(ValueField.FP32, List.of(1.0, 2.0))));
    assertThatCode(() -> QueryValidator.validate(
        query("user", List.of("user_id"), "embedding", List.of("v"), vec), TestSchemas.CATALOG)).doesNotThrowAnyException();
  }

  @Test
  void rejectsUnknownNames() {
    Values one = ValueLists.of(ValueField.INT64, List.of(1L));
    rejects(query("shop", List.of("user_id"), "counts", List.of("clicks"), one), ErrorCode.UNKNOWN_ENTITY, "entity 'shop'");
    rejects(query("user", List.of("user_id"), "nope", List.of("clicks"), one), ErrorCode.UNKNOWN_FEATURE_GROUP, "'nope'");
    rejects(query("user", List.of("user_id"), "counts", List.of("views"), one), ErrorCode.UNKNOWN_FEATURE, "'views'");
    rejects(query("user", List.of("shop_id"), "counts", List.of("clicks"), one), ErrorCode.SCHEMA_MISMATCH, "keys_schema");
  }

  @Test
  void rejectsWrongValueFieldOrCount() {
    rejects(
        query("user", List.of("user_id"), "counts", List.of("clicks"), ValueLists.of(ValueField.INT32, List.of(1))),
        ErrorCode.SCHEMA_MISMATCH, "must fill int64 values only");
    rejects(
        query("user", List.of("user_id"), "profile", List.of("age", "score"), ValueLists.of(ValueField.FP32, List.of(1.0))),
        ErrorCode.SCHEMA_MISMATCH, "1 values for 2 features");
    Values badVector = ValueLists.of(ValueField.VECTOR, List.of(ValueLists.of(ValueField.FP64, List.of(1.0))));
    rejects(query("user", List.of("user_id"), "embedding", List.of("v"), badVector), ErrorCode.SCHEMA_MISMATCH, "vector 0");
  }
}
