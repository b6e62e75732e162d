package dev.onfs.core.serving;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import dev.onfs.core.types.Float16;
import dev.onfs.core.types.Float8E4M3;
import dev.onfs.core.types.Float8E5M2;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Checks the {@link Values} of one row and feature group before they are encoded: only the list the
 * group's data type reads may be filled (a value in any other list would be silently dropped), and
 * every float must be representable in the group's type. A finite value too large for FP32, FP16 or
 * FP8 would otherwise be stored as an infinity (FP8 E4M3, which has none, as NaN). NaN and the
 * infinities are kept where the type has them: every float type has NaN, all but FP8 E4M3 have
 * infinities. Values too small for the type round to zero or a subnormal, as any float conversion
 * does.
 */
final class PersistValidation {
  private PersistValidation() {}

  /**
   * @param featureLabels the features the values are for, in order
   * @param where the values' field in the request, e.g. {@code data[0].featureValues[1]}
   */
  static void check(ServingSchema.FeatureGroup fg, Values values, List<String> featureLabels, String where) {
    DataType type = fg.dataType();
    DataType scalar = type.scalar();
    if (type.isVector()) {
      onlyField(values, "vector", fg, where, null);
      for (int i = 0; i < values.vectors().size(); i++) {
        Values vector = values.vectors().get(i);
        onlyField(vector, fieldName(scalar), fg, where, label(featureLabels, i));
        List<Double> floats = vector.fp32Values();
        for (int j = 0; j < floats.size(); j++) {
          String problem = floatProblem(scalar, floats.get(j));
          if (problem != null) {
            throw new OnfsException(ErrorCode.SCHEMA_MISMATCH,
                where + ", feature '" + label(featureLabels, i) + "' element " + j + ": " + problem);
          }
        }
      }
    } else {
      onlyField(values, fieldName(scalar), fg, where, null);
      List<Double> floats = values.fp32Values();
      for (int i = 0; i < floats.size(); i++) {
        String problem = floatProblem(scalar, floats.get(i));
        if (problem != null) {
          throw new OnfsException(
              ErrorCode.SCHEMA_MISMATCH, where + ", feature '" + label(featureLabels, i) + "': " + problem);
        }
      }
    }
  }

  /** Why the float type {@code scalar} cannot represent {@code value}, or null when it can (or is no float type). */
  private static @Nullable String floatProblem(DataType scalar, double value) {
    if (Double.isNaN(value)) {
      return null;
    }
    float f = (float) value;
    boolean infinite = Double.isInfinite(value);
    switch (scalar) {
      case FP32:
        return infinite || Float.isFinite(f) ? null : outOfRange(value, scalar, "3.4028235E38");
      case FP16:
        return infinite || (Float16.fromFloat(f) & 0x7FFF) != 0x7C00 ? null : outOfRange(value, scalar, "65504");
      case FP8E5M2:
        return infinite || (Float8E5M2.fromFloat(f) & 0x7F) != 0x7C ? null : outOfRange(value, scalar, "57344");
      case FP8E4M3:
        if (infinite) {
          return value + " cannot be stored as " + scalar.registryName()
              + ", which has no infinities (largest finite magnitude 448)";
        }
        // Past the largest finite value E4M3 has only NaN.
        return (Float8E4M3.fromFloat(f) & 0x7F) != 0x7F ? null : outOfRange(value, scalar, "448");
      default:
        return null;
    }
  }

  private static String outOfRange(double value, DataType scalar, String largest) {
    return value + " is outside the range of " + scalar.registryName() + " (largest finite magnitude " + largest + ")";
  }

  /** Refuses any filled list of {@code values} other than {@code field}. */
  private static void onlyField(
      Values values, String field, ServingSchema.FeatureGroup fg, String where, @Nullable String feature) {
    List<String> extra = new ArrayList<>(0); // allocates no array until something is added
    addIfFilled(extra, "fp32_values", values.fp32Values(), field);
    addIfFilled(extra, "fp64_values", values.fp64Values(), field);
    addIfFilled(extra, "int32_values", values.int32Values(), field);
    addIfFilled(extra, "int64_values", values.int64Values(), field);
    addIfFilled(extra, "uint32_values", values.uint32Values(), field);
    addIfFilled(extra, "uint64_values", values.uint64Values(), field);
    addIfFilled(extra, "string_values", values.stringValues(), field);
    addIfFilled(extra, "bool_values", values.boolValues(), field);
    addIfFilled(extra, "vector", values.vectors(), field);
    if (!extra.isEmpty()) {
      throw new OnfsException(ErrorCode.SCHEMA_MISMATCH, where + (feature == null ? "" : ", feature '" + feature + "'")
          + ": " + String.join(", ", extra)
          + (extra.size() == 1 ? " is" : " are") + " set, but feature group '" + fg.label() + "' ("
          + fg.dataType().registryName() + ") takes " + field + " only");
    }
  }

  private static void addIfFilled(List<String> extra, String name, List<?> list, String expected) {
    if (!list.isEmpty() && !name.equals(expected)) {
      extra.add(name);
    }
  }

  private static String label(List<String> featureLabels, int i) {
    return i < featureLabels.size() ? featureLabels.get(i) : "#" + i;
  }

  /** The {@code persist.Values} list a scalar type's values travel in. */
  private static String fieldName(DataType scalar) {
    return switch (scalar) {
      case FP8E5M2, FP8E4M3, FP16, FP32 -> "fp32_values";
      case FP64 -> "fp64_values";
      case INT8, INT16, INT32 -> "int32_values";
      case INT64 -> "int64_values";
      case UINT8, UINT16, UINT32 -> "uint32_values";
      case UINT64 -> "uint64_values";
      case STRING -> "string_values";
      case BOOL -> "bool_values";
      default -> throw new OnfsException(ErrorCode.INVALID_REGISTRY, "data type " + scalar.registryName() + " has no values");
    };
  }
}
