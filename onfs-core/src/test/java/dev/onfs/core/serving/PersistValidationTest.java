package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Values a feature group's type cannot hold are refused rather than stored as something else: finite
 * floats past the type's range (not infinity, NaN or zero), infinities in FP8 E4M3, and values in a
 * list the type does not read (not silently dropped).
 */
class PersistValidationTest {
  private final CountingStore store = new CountingStore(InMemoryStore.create());
  private final OnlineFeatureStore onfs = OnlineFeatureStore.builder()
      .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(false))).store(store).build();

  private PersistQuery persist(DataType type, List<String> features, Values values) {
    return new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema(ServingFixtures.fgLabel(type), features)),
        List.of(new PersistQuery.Data(List.of("1"), List.of(values))));
  }

  private void assertRefused(DataType type, List<String> features, Values values, String message) {
    assertThatThrownBy(() -> onfs.persist(persist(type, features, values)))
        .isInstanceOfSatisfying(OnfsException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
          assertThat(e.getMessage()).isEqualTo(message);
        });
  }

  private String stored(DataType type, String feature) {
    RetrieveQuery query = new RetrieveQuery("user",
        List.of(new RetrieveQuery.FeatureGroup(ServingFixtures.fgLabel(type), List.of(feature))),
        List.of("user_id"), List.of(RetrieveQuery.Keys.of("1")));
    return onfs.retrieveDecoded(query).rows().get(0).columns().get(0);
  }

  @Test
  void finiteFloatsPastTheTypesRangeAreRefused() {
    assertRefused(DataType.FP32, List.of("a", "b"), Values.fp32(1, 1e40),
        "data[0].featureValues[0], feature 'b': 1.0E40 is outside the range of DataTypeFP32"
            + " (largest finite magnitude 3.4028235E38)");
    assertRefused(DataType.FP32, List.of("b"), Values.fp32(-Double.MAX_VALUE),
        "data[0].featureValues[0], feature 'b': -1.7976931348623157E308 is outside the range of DataTypeFP32"
            + " (largest finite magnitude 3.4028235E38)");
    assertRefused(DataType.FP16, List.of("a"), Values.fp32(70000),
        "data[0].featureValues[0], feature 'a': 70000.0 is outside the range of DataTypeFP16"
            + " (largest finite magnitude 65504)");
    assertRefused(DataType.FP8E5M2, List.of("a"), Values.fp32(-70000),
        "data[0].featureValues[0], feature 'a': -70000.0 is outside the range of DataTypeFP8E5M2"
            + " (largest finite magnitude 57344)");
    assertRefused(DataType.FP8E4M3, List.of("a"), Values.fp32(500),
        "data[0].featureValues[0], feature 'a': 500.0 is outside the range of DataTypeFP8E4M3"
            + " (largest finite magnitude 448)");
    assertRefused(DataType.FP8E4M3, List.of("b"), Values.fp32(Double.NEGATIVE_INFINITY),
        "data[0].featureValues[0], feature 'b': -Infinity cannot be stored as DataTypeFP8E4M3, which has no"
            + " infinities (largest finite magnitude 448)");
    assertRefused(DataType.FP16_VECTOR, List.of("b", "a"), Values.vectors(Values.fp32(1, 2), Values.fp32(1, 2, 1e6)),
        "data[0].featureValues[0], feature 'a' element 2: 1000000.0 is outside the range of DataTypeFP16"
            + " (largest finite magnitude 65504)");
    assertThat(store.writes.get()).isZero();
  }

  @Test
  void theLargestValuesNaNAndInfinitiesAreKeptWhereTheTypeHasThem() {
    onfs.persist(persist(DataType.FP16, List.of("a", "b"), Values.fp32(65504, Double.NEGATIVE_INFINITY)));
    assertThat(stored(DataType.FP16, "a")).isEqualTo("65504");
    assertThat(stored(DataType.FP16, "b")).isEqualTo("-Inf");
    // 65519 rounds to the largest finite FP16 value rather than overflowing.
    onfs.persist(persist(DataType.FP16, List.of("a"), Values.fp32(65519)));
    assertThat(stored(DataType.FP16, "a")).isEqualTo("65504");
    onfs.persist(persist(DataType.FP8E4M3, List.of("a", "b"), Values.fp32(-448, Double.NaN)));
    assertThat(stored(DataType.FP8E4M3, "a")).isEqualTo("-448");
    assertThat(stored(DataType.FP8E4M3, "b")).isEqualTo("NaN");
    onfs.persist(persist(DataType.FP8E5M2, List.of("a"), Values.fp32(57344)));
    assertThat(stored(DataType.FP8E5M2, "a")).isEqualTo("57344");
    onfs.persist(persist(DataType.FP32, List.of("a", "b"), Values.fp32(Float.MAX_VALUE, Double.POSITIVE_INFINITY)));
    assertThat(stored(DataType.FP32, "b")).isEqualTo("+Inf");
    onfs.persist(persist(DataType.FP64, List.of("a"), Values.fp64(1e300)));
    assertThat(stored(DataType.FP64, "a")).isEqualTo("1e+300");
  }

  @Test
  void valuesInAListTheTypeDoesNotReadAreRefused() {
    Values both = new Values(List.of(1.0), List.of(), List.of(2), List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of());
    assertRefused(DataType.FP32, List.of("a"), both,
        "data[0].featureValues[0]: int32_values is set, but feature group 'fg_fp32' (DataTypeFP32) takes"
            + " fp32_values only");
    Values three = new Values(List.of(1.0), List.of(2.0), List.of(), List.of(3L), List.of(), List.of(), List.of(),
        List.of(), List.of());
    assertRefused(DataType.FP64, List.of("a"), three,
        "data[0].featureValues[0]: fp32_values, int64_values are set, but feature group 'fg_fp64' (DataTypeFP64)"
            + " takes fp64_values only");
    assertRefused(DataType.INT32_VECTOR, List.of("b"),
        new Values(List.of(), List.of(), List.of(1), List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(Values.int32(1, 2))),
        "data[0].featureValues[0]: int32_values is set, but feature group 'fg_int32_vector'"
            + " (DataTypeInt32Vector) takes vector only");
    assertRefused(DataType.INT32_VECTOR, List.of("b"),
        Values.vectors(new Values(List.of(), List.of(), List.of(1, 2), List.of(5L), List.of(), List.of(), List.of(),
            List.of(), List.of())),
        "data[0].featureValues[0], feature 'b': int64_values is set, but feature group 'fg_int32_vector'"
            + " (DataTypeInt32Vector) takes int32_values only");
    assertThat(store.writes.get()).isZero();
  }
}
