package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.memory.InMemoryStore;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ServingErrorsTest {
  private final InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(ServingFixtures.snapshot(false));
  private final OnlineFeatureStore onfs =
      OnlineFeatureStore.builder().registry(registry).store(InMemoryStore.create()).build();

  private static RetrieveQuery retrieve(String entity, String fg, List<String> features, List<String> keysSchema,
      List<RetrieveQuery.Keys> keys) {
    return new RetrieveQuery(entity, List.of(new RetrieveQuery.FeatureGroup(fg, features)), keysSchema, keys);
  }

  private static PersistQuery persist(String fg, List<String> features, List<String> keyValues, Values values) {
    return new PersistQuery("user", List.of("user_id"), List.of(new PersistQuery.FeatureGroupSchema(fg, features)),
        List.of(new PersistQuery.Data(keyValues, List.of(values))));
  }

  private static void assertFails(ThrowingCallable call, ErrorCode code, String... messageParts) {
    assertThatThrownBy(call)
        .isInstanceOf(OnfsException.class)
        .satisfies(e -> assertThat(((OnfsException) e).code()).isEqualTo(code))
        .hasMessageContainingAll(messageParts);
  }

  @Test
  void retrieveNamesTheFieldAtFault() {
    List<RetrieveQuery.Keys> one = List.of(RetrieveQuery.Keys.of("1"));
    assertFails(() -> onfs.retrieve(retrieve("ghost", "fg_fp32", List.of("a"), List.of("user_id"), one)),
        ErrorCode.UNKNOWN_ENTITY, "entity 'ghost'", "entityLabel");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_nope", List.of("a"), List.of("user_id"), one)),
        ErrorCode.UNKNOWN_FEATURE_GROUP, "'fg_nope'", "featureGroups[0]", "entity 'user'");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp32", List.of("a", "zz"), List.of("user_id"), one)),
        ErrorCode.UNKNOWN_FEATURE, "'zz'", "featureGroups[0].featureLabels[1]", "active version 1", "'fg_fp32'");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp32", List.of("a@"), List.of("user_id"), one)),
        ErrorCode.UNKNOWN_FEATURE, "'a@'");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp32", List.of("b", "a@DataTypeInt8"), List.of("user_id"), one)),
        ErrorCode.INVALID_ARGUMENT, "'a@DataTypeInt8' (featureGroups[0].featureLabels[1])", "cannot be quantized",
        "DataTypeFP32 to DataTypeInt8");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp32", List.of("a@DataTypeFP16Vector"), List.of("user_id"), one)),
        ErrorCode.INVALID_ARGUMENT, "cannot be quantized");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp8e4m3", List.of("a@DataTypeFP8E5M2"), List.of("user_id"), one)),
        ErrorCode.INVALID_ARGUMENT, "cannot be quantized");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp16", List.of("a@DataTypeFP32"), List.of("user_id"), one)),
        ErrorCode.INVALID_ARGUMENT, "cannot be quantized");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp32", List.of("a@Bogus"), List.of("user_id"), one)),
        ErrorCode.INVALID_ARGUMENT, "unknown data type 'Bogus'");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp32", List.of("zz@DataTypeFP16"), List.of("user_id"), one)),
        ErrorCode.UNKNOWN_FEATURE, "'zz'");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp32", List.of("a"), List.of("uid"), one)),
        ErrorCode.INVALID_ARGUMENT, "keysSchema [uid]", "[user_id]");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp32", List.of("a"), List.of("user_id", "user_id"), one)),
        ErrorCode.INVALID_ARGUMENT, "exactly once");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp32", List.of("a"), List.of(), List.of())),
        ErrorCode.INVALID_ARGUMENT, "keysSchema []");
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_fp32", List.of("a"), List.of("user_id"),
            List.of(RetrieveQuery.Keys.of("1"), RetrieveQuery.Keys.of("1", "2")))),
        ErrorCode.INVALID_ARGUMENT, "keys[1] has 2 values");
    assertFails(() -> onfs.retrieveDecoded(retrieve("pair", "fg_int64", List.of("a"), List.of("a_id", "c_id"), one)),
        ErrorCode.INVALID_ARGUMENT, "[a_id, b_id]");
  }

  @Test
  void asyncFailuresCarryTheSameException() {
    var future = onfs.retrieveAsync(retrieve("ghost", "fg_fp32", List.of("a"), List.of("user_id"), List.of()));
    assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).cause()
        .isInstanceOf(OnfsException.class).hasMessageContaining("ghost");
  }

  @Test
  void persistNamesTheRowGroupAndFeatureAtFault() {
    assertFails(() -> onfs.persist(new PersistQuery("ghost", List.of("user_id"), List.of(), List.of())),
        ErrorCode.UNKNOWN_ENTITY, "'ghost'");
    assertFails(() -> onfs.persist(persist("fg_nope", List.of("a"), List.of("1"), Values.fp32(1))),
        ErrorCode.UNKNOWN_FEATURE_GROUP, "'fg_nope'", "featureGroupSchema[0]");
    assertFails(() -> onfs.persist(persist("fg_fp32", List.of("a", "q"), List.of("1"), Values.fp32(1, 2))),
        ErrorCode.UNKNOWN_FEATURE, "'q'", "featureGroupSchema[0].featureLabels[1]");
    assertFails(() -> onfs.persist(persist("fg_fp32", List.of("a", "a"), List.of("1"), Values.fp32(1, 2))),
        ErrorCode.INVALID_ARGUMENT, "'a' appears twice");
    assertFails(() -> onfs.persist(persist("fg_fp32", List.of(), List.of("1"), Values.fp32())),
        ErrorCode.INVALID_ARGUMENT, "featureGroupSchema[0].featureLabels is empty");
    assertFails(() -> onfs.persist(new PersistQuery("user", List.of("user_id"),
            List.of(new PersistQuery.FeatureGroupSchema("fg_fp32", List.of("a")),
                new PersistQuery.FeatureGroupSchema("fg_fp32", List.of("b"))),
            List.of())),
        ErrorCode.INVALID_ARGUMENT, "'fg_fp32' appears twice");
    assertFails(() -> onfs.persist(new PersistQuery("user", List.of("id"), List.of(), List.of())),
        ErrorCode.INVALID_ARGUMENT, "keysSchema [id]");
    assertFails(() -> onfs.persist(persist("fg_fp32", List.of("a"), List.of("1", "2"), Values.fp32(1))),
        ErrorCode.INVALID_ARGUMENT, "data[0] has 2 key values");
    assertFails(() -> onfs.persist(new PersistQuery("user", List.of("user_id"),
            List.of(new PersistQuery.FeatureGroupSchema("fg_fp32", List.of("a"))),
            List.of(new PersistQuery.Data(List.of("1"), List.of())))),
        ErrorCode.INVALID_ARGUMENT, "data[0] has 0 feature values", "lists 1 feature groups");
    assertFails(() -> onfs.persist(persist("fg_fp32", List.of("a", "b"), List.of("1"), Values.fp32(1))),
        ErrorCode.SCHEMA_MISMATCH, "data[0].featureValues[0]", "fp32_values has 1 values", "lists 2 features");
    assertFails(() -> onfs.persist(persist("fg_fp32", List.of("a"), List.of("1"), Values.int32(1))),
        ErrorCode.SCHEMA_MISMATCH, "data[0].featureValues[0]: int32_values is set", "takes fp32_values only");
    assertFails(() -> onfs.persist(persist("fg_int8", List.of("a"), List.of("1"), Values.int32(200))),
        ErrorCode.SCHEMA_MISMATCH, "feature 'a'", "200 is outside the range of DataTypeInt8");
    assertFails(() -> onfs.persist(persist("fg_uint16", List.of("b"), List.of("1"), Values.uint32(70000))),
        ErrorCode.SCHEMA_MISMATCH, "feature 'b'", "70000");
    assertFails(() -> onfs.persist(persist("fg_string", List.of("a"), List.of("1"), Values.strings("x".repeat(17)))),
        ErrorCode.SCHEMA_MISMATCH, "feature 'a'", "17 bytes exceeds its string-length 16");
    assertFails(() -> onfs.persist(persist("fg_fp32_vector", List.of("a"), List.of("1"), Values.vectors(Values.fp32(1, 2)))),
        ErrorCode.SCHEMA_MISMATCH, "feature 'a'", "vector has 2", "vector-length is 3");
    assertFails(() -> onfs.persist(persist("fg_string_vector", List.of("b"), List.of("1"),
            Values.vectors(Values.strings("ok", "y".repeat(20))))),
        ErrorCode.SCHEMA_MISMATCH, "feature 'b' element 1", "string-length 16");
    assertFails(() -> onfs.persist(persist("fg_bool_vector", List.of("a", "b"), List.of("1"), Values.vectors(Values.bools(true)))),
        ErrorCode.SCHEMA_MISMATCH, "vector has 1 values", "lists 2 features");
  }

  @Test
  void aQuarantinedGroupOrEntityAnswersWithTheRegistrysReason() {
    registry.update(registry.snapshot().toBuilder()
        .quarantineFeatureGroup("user", "fg_bad", "labels.yaml: feature label 'avg price' contains a whitespace")
        .quarantineEntity("shop", List.of("sales"), "shop.yaml: key 'shop id' contains a whitespace")
        .build());
    List<RetrieveQuery.Keys> one = List.of(RetrieveQuery.Keys.of("1"));
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_bad", List.of("a"), List.of("user_id"), one)),
        ErrorCode.QUARANTINED_FEATURE_GROUP, "feature group 'fg_bad' of entity 'user' is quarantined",
        "labels.yaml: feature label 'avg price'");
    assertFails(() -> onfs.persist(persist("fg_bad", List.of("a"), List.of("1"), Values.fp32(1))),
        ErrorCode.QUARANTINED_FEATURE_GROUP, "feature group 'fg_bad' of entity 'user' is quarantined");
    assertFails(() -> onfs.retrieve(retrieve("shop", "sales", List.of("a"), List.of("shop_id"), one)),
        ErrorCode.QUARANTINED_FEATURE_GROUP, "entity 'shop' is quarantined", "key 'shop id'");
    assertFails(() -> onfs.persist(new PersistQuery("shop", List.of("shop_id"), List.of(), List.of())),
        ErrorCode.QUARANTINED_FEATURE_GROUP, "entity 'shop' is quarantined");
    // The rest serves as before.
    assertThat(onfs.retrieveDecoded(retrieve("user", "fg_int32", List.of("a"), List.of("user_id"), one)).rows())
        .hasSize(1);
    assertFails(() -> onfs.retrieve(retrieve("user", "fg_nope", List.of("a"), List.of("user_id"), one)),
        ErrorCode.UNKNOWN_FEATURE_GROUP, "'fg_nope'");
  }

  @Test
  void aFailedPersistWritesNothing() {
    PersistQuery bad = new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_int32", List.of("a"))),
        List.of(new PersistQuery.Data(List.of("ok"), List.of(Values.int32(1))),
            new PersistQuery.Data(List.of("bad"), List.of(Values.strings("x")))));
    assertThatThrownBy(() -> onfs.persist(bad)).hasMessageContaining("data[1]");
    RetrieveQuery query = retrieve("user", "fg_int32", List.of("a"), List.of("user_id"), List.of(RetrieveQuery.Keys.of("ok")));
    assertThat(onfs.retrieveDecoded(query).rows().get(0).columns()).containsExactly("7");
  }

  @Test
  void builderValidatesItsSetters() {
    assertThatThrownBy(() -> OnlineFeatureStore.builder().build()).hasMessageContaining("registry is not set");
    assertThatThrownBy(() -> OnlineFeatureStore.builder().registry(registry).build()).hasMessageContaining("no store");
    assertThatThrownBy(() -> OnlineFeatureStore.builder().nearCache(0)).hasMessageContaining("positive");
    assertThatThrownBy(() -> OnlineFeatureStore.builder().store(" ", InMemoryStore.create())).hasMessageContaining("blank");
    OnlineFeatureStore onlyOther = OnlineFeatureStore.builder().registry(registry).store("9", InMemoryStore.create()).build();
    assertFails(() -> onlyOther.retrieve(retrieve("user", "fg_fp32", List.of("a"), List.of("user_id"),
            List.of(RetrieveQuery.Keys.of("1")))),
        ErrorCode.INVALID_REGISTRY, "store id '1'");
  }
}
