package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.Values;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Turns plain Java feature values into the {@link Values} a group of a given data type expects. */
final class ValueConverter {
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private ValueConverter() {}

  static Values toValues(DataType type, List<String> features, List<Object> values, String group) {
    if (type.isVector()) {
      List<Values> vectors = new ArrayList<>(values.size());
      for (int i = 0; i < values.size(); i++) {
        List<?> elements = elements(values.get(i), group, features.get(i));
        vectors.add(ValueLists.of(ValueField.forScalar(type), scalars(type.scalar(), elements, group, features.get(i))));
      }
      return ValueLists.of(ValueField.VECTOR, vectors);
    }
    List<Object> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      out.add(scalar(type, values.get(i), group, features.get(i)));
    }
    return ValueLists.of(ValueField.forType(type), out);
  }

  private static List<Object> scalars(DataType scalar, List<?> elements, String group, String feature) {
    List<Object> out = new ArrayList<>(elements.size());
    for (Object e : elements) {
      out.add(scalar(scalar, e, group, feature));
    }
    return out;
  }

  private static List<?> elements(Object value, String group, String feature) {
    if (value instanceof List) {
      return (List<?>) value;
    }
    if (value.getClass().isArray()) {
      int n = Array.getLength(value);
      List<Object> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(Array.get(value, i));
      }
      return list;
    }
    throw mismatch(group, feature, "a list or array", value);
  }

  private static Object scalar(DataType type, Object value, String group, String feature) {
    switch (type) {
      case FP8E5M2:
      case FP8E4M3:
      case FP16:
      case FP32:
      case FP64:
        if (!(value instanceof Number)) {
          throw mismatch(group, feature, "a number", value);
        }
        return ((Number) value).doubleValue();
      case INT8:
        return (int) integral(value, -128, 127, group, feature);
      case INT16:
        return (int) integral(value, Short.MIN_VALUE, Short.MAX_VALUE, group, feature);
      case INT32:
        return (int) integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE, group, feature);
      case INT64:
        return integral(value, Long.MIN_VALUE, Long.MAX_VALUE, group, feature);
      case UINT8:
        return (int) integral(value, 0, 255, group, feature);
      case UINT16:
        return (int) integral(value, 0, 65535, group, feature);
      case UINT32:
        return (int) integral(value, 0, 0xFFFF_FFFFL, group, feature);
      case UINT64:
        if (value instanceof BigInteger) {
          BigInteger big = (BigInteger) value;
          if (big.signum() < 0 || big.compareTo(UINT64_MAX) > 0) {
            throw outOfRange(group, feature, value, type);
          }
          return big.longValue();
        }
        return integral(value, 0, Long.MAX_VALUE, group, feature);
      case STRING:
        if (!(value instanceof CharSequence)) {
          throw mismatch(group, feature, "a string", value);
        }
        return value.toString();
      case BOOL:
        if (!(value instanceof Boolean)) {
          throw mismatch(group, feature, "a boolean", value);
        }
        return value;
      default:
        throw new OnfsException(
            ErrorCode.SCHEMA_MISMATCH, "feature group '" + group + "' has unsupported data type " + type);
    }
  }

  private static long integral(Object value, long min, long max, String group, String feature) {
    long v;
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      v = ((Number) value).longValue();
    } else if (value instanceof BigInteger && ((BigInteger) value).bitLength() < 64) {
      v = ((BigInteger) value).longValue();
    } else {
      throw mismatch(group, feature, "an integer", value);
    }
    if (v < min || v > max) {
      throw new OnfsException(
          ErrorCode.SCHEMA_MISMATCH,
          "value " + value + " of feature '" + group + "." + feature + "' is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  private static OnfsException outOfRange(String group, String feature, Object value, DataType type) {
    return new OnfsException(
        ErrorCode.SCHEMA_MISMATCH,
        "value " + value + " of feature '" + group + "." + feature + "' does not fit " + type.registryName());
  }

  private static OnfsException mismatch(String group, String feature, String expected, Object value) {
    return new OnfsException(
        ErrorCode.SCHEMA_MISMATCH,
        "feature '" + group + "." + feature + "' needs " + expected + ", got " + value.getClass().getSimpleName()
            + " " + value);
  }
}
