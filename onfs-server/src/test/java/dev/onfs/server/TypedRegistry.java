package dev.onfs.server;

import dev.onfs.core.registry.DefaultValues;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.serving.Values;
import dev.onfs.core.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Test registry: entity {@code user} (key {@code user_id}) with one feature group {@code fg_<type>} per
 * data type, features {@code a} (vector length 3) and {@code b} (vector length 2), and reader
 * {@code test} / {@code test}. {@link #values} gives a write of both features and {@link #text} the
 * decoded text it reads back as.
 */
final class TypedRegistry {
  private TypedRegistry() {}

  static List<DataType> types() {
    List<DataType> types = new ArrayList<>();
    for (DataType type : DataType.values()) {
      if (type != DataType.UNKNOWN) {
        types.add(type);
      }
    }
    return types;
  }

  static String label(DataType type) {
    return "fg_" + type.name().toLowerCase(java.util.Locale.ROOT);
  }

  static int vectorLength(DataType type, String feature) {
    return type.isVector() ? (feature.equals("a") ? 3 : 2) : 0;
  }

  static RegistrySnapshot snapshot() {
    Entity.Builder user = Entity.builder("user").key("user_id", "user_id");
    List<DataType> types = types();
    for (int id = 0; id < types.size(); id++) {
      DataType type = types.get(id);
      user.featureGroup(FeatureGroup.builder(label(type))
          .id(id)
          .storeId("1")
          .dataType(type)
          .ttlInSeconds(3600)
          .activeVersion(1)
          .layoutVersion(1)
          .column("seg_" + id, 64)
          .version(FeatureVersion.builder(1)
              .feature("a", defaultValue(type, "a"), type.isString() ? 16 : 0, vectorLength(type, "a"))
              .feature("b", defaultValue(type, "b"), type.isString() ? 16 : 0, vectorLength(type, "b"))
              .build())
          .build());
    }
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "memory", 0, "user_features", List.of("user_id"), 0))
        .entity(user.build())
        .readerToken("test", "test")
        .writerToken("test", "test")
        .build();
  }

  private static byte[] defaultValue(DataType type, String feature) {
    int length = vectorLength(type, feature);
    switch (type) {
      case STRING:
        return DefaultValues.encode(type, "none", 16, 0);
      case BOOL:
        return DefaultValues.encode(type, "false", 0, 0);
      case BOOL_VECTOR:
        return DefaultValues.encode(type, length == 3 ? "[false,false,false]" : "[false,false]", 0, length);
      case STRING_VECTOR:
        return DefaultValues.encode(type, length == 3 ? "[n,n,n]" : "[n,n]", 16, length);
      default:
        return new byte[type.scalar().width() * Math.max(length, 1)];
    }
  }

  /** Features a and b of a type's group, as persist carries them. */
  static Values values(DataType type) {
    switch (type) {
      case FP8E5M2: case FP8E4M3: case FP16: case FP32:
        return Values.fp32(1.5, -2);
      case FP64:
        return Values.fp64(2.25, -0.5);
      case INT8: case INT16: case INT32:
        return Values.int32(7, -3);
      case INT64:
        return Values.int64(1L << 40, -5);
      case UINT8: case UINT16: case UINT32:
        return Values.uint32(200, 9);
      case UINT64:
        return Values.uint64(-1L, 5);
      case STRING:
        return Values.strings("mumbai", "gold");
      case BOOL:
        return Values.bools(true, false);
      case FP8E5M2_VECTOR: case FP8E4M3_VECTOR: case FP16_VECTOR: case FP32_VECTOR:
        return Values.vectors(Values.fp32(1.5, -2, 0.25), Values.fp32(0.5, 4));
      case FP64_VECTOR:
        return Values.vectors(Values.fp64(1.5, -2, 0.25), Values.fp64(0.5, 4));
      case INT8_VECTOR: case INT16_VECTOR: case INT32_VECTOR:
        return Values.vectors(Values.int32(1, -2, 3), Values.int32(4, 5));
      case INT64_VECTOR:
        return Values.vectors(Values.int64(1, -2, 3), Values.int64(4, 5));
      case UINT8_VECTOR: case UINT16_VECTOR: case UINT32_VECTOR:
        return Values.vectors(Values.uint32(1, 2, 3), Values.uint32(250, 6));
      case UINT64_VECTOR:
        return Values.vectors(Values.uint64(1, 2, 3), Values.uint64(-1L, 6));
      case STRING_VECTOR:
        return Values.vectors(Values.strings("x", "yy", "z"), Values.strings("p", "q"));
      case BOOL_VECTOR:
        return Values.vectors(Values.bools(true, false, true), Values.bools(false, true));
      default:
        throw new IllegalArgumentException(type.toString());
    }
  }

  /** The decoded text of features a and b after writing {@link #values}. */
  static List<String> text(DataType type) {
    switch (type) {
      case FP8E5M2: case FP8E4M3: case FP16: case FP32:
        return List.of("1.5", "-2");
      case FP64:
        return List.of("2.25", "-0.5");
      case INT8: case INT16: case INT32:
        return List.of("7", "-3");
      case INT64:
        return List.of("1099511627776", "-5");
      case UINT8: case UINT16: case UINT32:
        return List.of("200", "9");
      case UINT64:
        return List.of("18446744073709551615", "5");
      case STRING:
        return List.of("mumbai", "gold");
      case BOOL:
        return List.of("true", "false");
      case FP8E5M2_VECTOR: case FP8E4M3_VECTOR: case FP16_VECTOR: case FP32_VECTOR: case FP64_VECTOR:
        return List.of("1.5:-2:0.25", "0.5:4");
      case INT8_VECTOR: case INT16_VECTOR: case INT32_VECTOR: case INT64_VECTOR:
        return List.of("1:-2:3", "4:5");
      case UINT8_VECTOR: case UINT16_VECTOR: case UINT32_VECTOR:
        return List.of("1:2:3", "250:6");
      case UINT64_VECTOR:
        return List.of("1:2:3", "18446744073709551615:6");
      case STRING_VECTOR:
        return List.of("x:yy:z", "p:q");
      case BOOL_VECTOR:
        return List.of("1:0:1", "0:1");
      default:
        throw new IllegalArgumentException(type.toString());
    }
  }
}
