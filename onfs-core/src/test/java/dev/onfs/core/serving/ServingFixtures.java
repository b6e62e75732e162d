package dev.onfs.core.serving;

import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.DefaultValues;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A registry with entity {@code user} holding one feature group per data type ({@code fg_fp32},
 * {@code fg_string_vector}, ...), each with features {@code a} (vector length 3) and {@code b} (vector
 * length 2), and entity {@code pair} with two keys whose store orders them the other way round.
 */
final class ServingFixtures {
  static final long TTL_SECONDS = 3600;
  static final int CACHE_TTL_SECONDS = 60;

  private ServingFixtures() {}

  static List<DataType> allTypes() {
    List<DataType> types = new ArrayList<>();
    for (DataType t : DataType.values()) {
      if (t != DataType.UNKNOWN) {
        types.add(t);
      }
    }
    return types;
  }

  static String fgLabel(DataType type) {
    return "fg_" + type.name().toLowerCase();
  }

  static int vectorLength(DataType type, String feature) {
    return type.isVector() ? (feature.equals("a") ? 3 : 2) : 0;
  }

  static int stringLength(DataType type) {
    return type.isString() ? 16 : 0;
  }

  /** Default bytes of feature {@code a}/{@code b} of a type's group, in the registry's form. */
  static byte[] defaultBytes(DataType type, String feature) {
    int vl = vectorLength(type, feature);
    switch (type) {
      case STRING:
        return "none".getBytes(StandardCharsets.UTF_8);
      case BOOL:
        return new byte[] {(byte) 0x80};
      case BOOL_VECTOR:
        return DefaultValues.encode(type, vl == 3 ? "[true,false,true]" : "[false,true]", 0, vl);
      case STRING_VECTOR:
        return DefaultValues.encode(type, vl == 3 ? "[x,y,z]" : "[p,q]", 16, vl);
      case INT32:
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(7).array();
      default:
        return new byte[type.scalar().width() * Math.max(vl, 1)];
    }
  }

  /** The decoded text of {@link #defaultBytes}. */
  static String defaultText(DataType type, String feature) {
    int vl = vectorLength(type, feature);
    switch (type) {
      case STRING:
        return "none";
      case BOOL:
        return "true";
      case BOOL_VECTOR:
        return vl == 3 ? "1:0:1" : "0:1";
      case STRING_VECTOR:
        return vl == 3 ? "x:y:z" : "p:q";
      case INT32:
        return "7";
      default:
        return type.isVector() ? (vl == 3 ? "0:0:0" : "0:0") : "0";
    }
  }

  static FeatureVersion version(DataType type, int number, String... labels) {
    FeatureVersion.Builder builder = FeatureVersion.builder(number);
    for (String label : labels) {
      String base = label.equals("c") ? "a" : label;
      builder.feature(label, defaultBytes(type, base), stringLength(type), vectorLength(type, base));
    }
    return builder.build();
  }

  static FeatureGroup group(DataType type, int id, boolean inMemoryCache) {
    return FeatureGroup.builder(fgLabel(type))
        .id(id)
        .storeId("1")
        .dataType(type)
        .ttlInSeconds(TTL_SECONDS)
        .inMemoryCacheEnabled(inMemoryCache)
        .activeVersion(1)
        .layoutVersion(1)
        .column("seg_" + id, 64)
        .version(version(type, 1, "a", "b"))
        .build();
  }

  static RegistrySnapshot snapshot(boolean entityInMemoryCache) {
    return snapshot(entityInMemoryCache, CACHE_TTL_SECONDS);
  }

  static RegistrySnapshot snapshot(boolean entityInMemoryCache, int cacheTtlSeconds) {
    Entity.Builder user = Entity.builder("user")
        .key("user_id", "user_id")
        .inMemoryCache(new CacheConfig(entityInMemoryCache, cacheTtlSeconds, 0, 0));
    List<DataType> types = allTypes();
    for (int i = 0; i < types.size(); i++) {
      // Every group but the FP64 one is near-cacheable, so mixed requests exercise both paths.
      user.featureGroup(group(types.get(i), i, types.get(i) != DataType.FP64));
    }
    Entity pair = Entity.builder("pair")
        .key("a_id", "a_col")
        .key("b_id", "b_col")
        .featureGroup(group(DataType.INT64, 0, false))
        .build();
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "memory", 0, "user_features", List.of("user_id"), 0))
        .store(StoreConfig.of("2", "memory", 0, "pair_features", List.of("b_col", "a_col"), 0))
        .entity(user.build())
        .entity(pair.toBuilder().featureGroup(group(DataType.INT64, 0, false).toBuilder().storeId("2").build()).build())
        .build();
  }

  /** A value per type and feature that persist accepts, with the cell bytes and text it reads back as. */
  record Sample(Values values, byte[] cell, String text) {}

  static Sample sample(DataType type, String feature) {
    boolean a = feature.equals("a");
    switch (type) {
      case FP32:
        return a ? new Sample(Values.fp32(1.5), le(4).putFloat(1.5f).array(), "1.5")
            : new Sample(Values.fp32(-0.1), le(4).putFloat(-0.1f).array(), "-0.1");
      case FP64:
        return a ? new Sample(Values.fp64(2.25), le(8).putDouble(2.25).array(), "2.25")
            : new Sample(Values.fp64(1e-7), le(8).putDouble(1e-7).array(), "1e-07");
      case FP16:
        return a ? new Sample(Values.fp32(0.5), le(2).putShort((short) 0x3800).array(), "0.5")
            : new Sample(Values.fp32(-2), le(2).putShort((short) 0xC000).array(), "-2");
      case FP8E4M3:
        return a ? new Sample(Values.fp32(1), new byte[] {0x38}, "1") : new Sample(Values.fp32(0.75), new byte[] {0x34}, "0.75");
      case FP8E5M2:
        return a ? new Sample(Values.fp32(2.5), new byte[] {0x41}, "2.5")
            : new Sample(Values.fp32(-1), new byte[] {(byte) 0xBC}, "-1");
      case INT8:
        return a ? new Sample(Values.int32(-5), new byte[] {(byte) 0xFB}, "-5") : new Sample(Values.int32(100), new byte[] {100}, "100");
      case INT16:
        return a ? new Sample(Values.int32(-300), le(2).putShort((short) -300).array(), "-300")
            : new Sample(Values.int32(3000), le(2).putShort((short) 3000).array(), "3000");
      case INT32:
        return a ? new Sample(Values.int32(-70000), le(4).putInt(-70000).array(), "-70000")
            : new Sample(Values.int32(5), le(4).putInt(5).array(), "5");
      case INT64:
        return a ? new Sample(Values.int64(Long.MIN_VALUE), le(8).putLong(Long.MIN_VALUE).array(), "-9223372036854775808")
            : new Sample(Values.int64(42), le(8).putLong(42).array(), "42");
      case UINT8:
        return a ? new Sample(Values.uint32(255), new byte[] {(byte) 255}, "255") : new Sample(Values.uint32(0), new byte[] {0}, "0");
      case UINT16:
        return a ? new Sample(Values.uint32(65535), new byte[] {-1, -1}, "65535")
            : new Sample(Values.uint32(1), new byte[] {1, 0}, "1");
      case UINT32:
        return a ? new Sample(Values.uint32(-1), le(4).putInt(-1).array(), "4294967295")
            : new Sample(Values.uint32(7), le(4).putInt(7).array(), "7");
      case UINT64:
        return a ? new Sample(Values.uint64(-1), le(8).putLong(-1).array(), "18446744073709551615")
            : new Sample(Values.uint64(9), le(8).putLong(9).array(), "9");
      case STRING:
        return a ? new Sample(Values.strings("héllo"), "héllo".getBytes(StandardCharsets.UTF_8), "héllo")
            : new Sample(Values.strings(""), new byte[0], "");
      case BOOL:
        return a ? new Sample(Values.bools(true), new byte[] {1}, "true") : new Sample(Values.bools(false), new byte[] {0}, "false");
      case FP32_VECTOR:
        return a ? new Sample(Values.fp32(1, 2.5, -0.5), le(12).putFloat(1).putFloat(2.5f).putFloat(-0.5f).array(), "1:2.5:-0.5")
            : new Sample(Values.fp32(0.1, 1e-7), le(8).putFloat(0.1f).putFloat(1e-7f).array(), "0.1:0.0000001");
      case FP64_VECTOR:
        return a ? new Sample(Values.fp64(1e21, 0.1, -3), le(24).putDouble(1e21).putDouble(0.1).putDouble(-3).array(),
                "1000000000000000000000:0.1:-3")
            : new Sample(Values.fp64(0, 1.25), le(16).putDouble(0).putDouble(1.25).array(), "0:1.25");
      case FP16_VECTOR:
        return a ? new Sample(Values.fp32(1, 0.5, -2), le(6).putShort((short) 0x3C00).putShort((short) 0x3800).putShort((short) 0xC000).array(),
                "1:0.5:-2")
            : new Sample(Values.fp32(0, 65504), le(4).putShort((short) 0).putShort((short) 0x7BFF).array(), "0:65504");
      case FP8E4M3_VECTOR:
        return a ? new Sample(Values.fp32(1, 2, 0.75), new byte[] {0x38, 0x40, 0x34}, "1:2:0.75")
            : new Sample(Values.fp32(-1, 0), new byte[] {(byte) 0xB8, 0}, "-1:0");
      case FP8E5M2_VECTOR:
        return a ? new Sample(Values.fp32(1, -1, 2.5), new byte[] {0x3C, (byte) 0xBC, 0x41}, "1:-1:2.5")
            : new Sample(Values.fp32(0, 1), new byte[] {0, 0x3C}, "0:1");
      case INT8_VECTOR:
        return a ? new Sample(Values.int32(-1, 127, -128), new byte[] {-1, 127, -128}, "-1:127:-128")
            : new Sample(Values.int32(0, 1), new byte[] {0, 1}, "0:1");
      case INT16_VECTOR:
        return a ? new Sample(Values.int32(-2, 300, 32767), le(6).putShort((short) -2).putShort((short) 300).putShort((short) 32767).array(),
                "-2:300:32767")
            : new Sample(Values.int32(1, -1), le(4).putShort((short) 1).putShort((short) -1).array(), "1:-1");
      case INT32_VECTOR:
        return a ? new Sample(Values.int32(-7, 70000, 0), le(12).putInt(-7).putInt(70000).putInt(0).array(), "-7:70000:0")
            : new Sample(Values.int32(Integer.MIN_VALUE, 1), le(8).putInt(Integer.MIN_VALUE).putInt(1).array(), "-2147483648:1");
      case INT64_VECTOR:
        return a ? new Sample(Values.int64(-1L << 40, 1, 2), le(24).putLong(-1L << 40).putLong(1).putLong(2).array(), "-1099511627776:1:2")
            : new Sample(Values.int64(3, 4), le(16).putLong(3).putLong(4).array(), "3:4");
      case UINT8_VECTOR:
        return a ? new Sample(Values.uint32(255, 1, 0), new byte[] {-1, 1, 0}, "255:1:0")
            : new Sample(Values.uint32(2, 3), new byte[] {2, 3}, "2:3");
      case UINT16_VECTOR:
        return a ? new Sample(Values.uint32(65535, 2, 3), new byte[] {-1, -1, 2, 0, 3, 0}, "65535:2:3")
            : new Sample(Values.uint32(4, 5), new byte[] {4, 0, 5, 0}, "4:5");
      case UINT32_VECTOR:
        return a ? new Sample(Values.uint32(-1, 0, 1), le(12).putInt(-1).putInt(0).putInt(1).array(), "4294967295:0:1")
            : new Sample(Values.uint32(8, 9), le(8).putInt(8).putInt(9).array(), "8:9");
      case UINT64_VECTOR:
        return a ? new Sample(Values.uint64(-1, 5, 6), le(24).putLong(-1).putLong(5).putLong(6).array(), "18446744073709551615:5:6")
            : new Sample(Values.uint64(0, 1), le(16).putLong(0).putLong(1).array(), "0:1");
      case STRING_VECTOR:
        return a ? new Sample(Values.strings("hi", "", "abc"), CellTextTest.stringVector("hi", "", "abc"), "hi::abc")
            : new Sample(Values.strings("ü", "z"), CellTextTest.stringVector("ü", "z"), "ü:z");
      case BOOL_VECTOR:
        return a ? new Sample(Values.bools(true, true, false), new byte[] {1, 1, 0}, "1:1:0")
            : new Sample(Values.bools(false, true), new byte[] {0, 1}, "0:1");
      default:
        throw new IllegalArgumentException(type.toString());
    }
  }

  /** The persist {@code Values} for one feature group holding {@code samples} in order. */
  static Values groupValues(DataType type, List<Sample> samples) {
    if (type.isVector()) {
      Values[] vectors = new Values[samples.size()];
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = samples.get(i).values();
      }
      return Values.vectors(vectors);
    }
    Values merged = Values.empty();
    for (Sample s : samples) {
      Values v = s.values();
      merged = new Values(
          concat(merged.fp32Values(), v.fp32Values()), concat(merged.fp64Values(), v.fp64Values()),
          concat(merged.int32Values(), v.int32Values()), concat(merged.int64Values(), v.int64Values()),
          concat(merged.uint32Values(), v.uint32Values()), concat(merged.uint64Values(), v.uint64Values()),
          concat(merged.stringValues(), v.stringValues()), concat(merged.boolValues(), v.boolValues()), List.of());
    }
    return merged;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
