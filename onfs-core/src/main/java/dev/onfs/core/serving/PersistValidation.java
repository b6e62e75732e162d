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
 * Checks the {@link Values} of one row and feature group before they are encoded, for
 * {@link PersistValidator}: only the list the group's data type reads may be filled (a value in any
 * other list would be silently dropped), it holds one value per listed feature, a vector holds the
 * feature's vector length of elements, and every value is representable in the group's type. Integers
 * outside the range of INT8, INT16, UINT8 or UINT16 are refused, and so are strings longer than the
 * feature's string length (or 65,535 bytes). A finite float too large for FP32, FP16 or FP8 would
 * otherwise be stored as an infinity (FP8 E4M3, which has none, as NaN). NaN and the infinities are
 * kept where the type has them: every float type has NaN, all but FP8 E4M3 have infinities. Values too
 * small for the type round to zero or a subnormal, as any float conversion does.
 */
final class PersistValidation {
  /** The most bytes a string value may take: its length is stored in two bytes. */
  static final int MAX_STRING_BYTES = 0xFFFF;

  private PersistValidation() {}

  /**
   * @param sequences the active-version sequence of each listed feature, parallel to {@code featureLabels}
   * @param featureLabels the features the values are for, in order
   * @param where the values' field in the request, e.g. {@code data[0].featureValues[1]}
   */
  static void check(
      ServingSchema.FeatureGroup fg, int[] sequences, Values values, List<String> featureLabels, String where) {
    DataType type = fg.dataType();
    DataType scalar = type.scalar();
    String field = fieldName(scalar);
    onlyField(values, type.isVector() ? "vector" : field, fg, where, null);
    int count = type.isVector() ? values.vectors().size() : size(scalar, values);
    if (count != sequences.length) {
      throw new OnfsException(
          ErrorCode.SCHEMA_MISMATCH,
          where + ": " + (type.isVector() ? "vector" : field) + " has " + count + " values but feature group '"
              + fg.label() + "' (" + type.registryName() + ") lists " + sequences.length + " features");
    }
    List<ServingSchema.Feature> features = fg.active().features;
    if (type.isVector()) {
      for (int i = 0; i < count; i++) {
        Values vector = values.vectors().get(i);
        ServingSchema.Feature feature = features.get(sequences[i]);
        onlyField(vector, field, fg, where, label(featureLabels, i));
        int length = size(scalar, vector);
        if (length != feature.vectorLength()) {
          throw new OnfsException(
              ErrorCode.SCHEMA_MISMATCH,
              at(where, featureLabels, i) + ": vector has " + length + " " + field + " but its vector-length is "
                  + feature.vectorLength());
        }
        for (int j = 0; j < length; j++) {
          String problem = valueProblem(scalar, vector, j, feature);
          if (problem != null) {
            throw new OnfsException(ErrorCode.SCHEMA_MISMATCH, at(where, featureLabels, i) + " element " + j + ": " + problem);
          }
        }
      }
    } else {
      for (int i = 0; i < count; i++) {
        String problem = valueProblem(scalar, values, i, features.get(sequences[i]));
        if (problem != null) {
          throw new OnfsException(ErrorCode.SCHEMA_MISMATCH, at(where, featureLabels, i) + ": " + problem);
        }
      }
    }
  }

  /** Where feature {@code i}'s value is, for an error message (built only when there is an error). */
  private static String at(String where, List<String> featureLabels, int i) {
    return where + ", feature '" + label(featureLabels, i) + "'";
  }

  /** Why element {@code i} of the list {@code scalar} reads from {@code values} cannot be stored, or null. */
  private static @Nullable String valueProblem(DataType scalar, Values values, int i, ServingSchema.Feature feature) {
    return switch (scalar) {
      case FP8E5M2, FP8E4M3, FP16, FP32 -> floatProblem(scalar, values.fp32At(i));
      case INT8 -> rangeProblem(values.int32At(i), -128, 127, scalar);
      case INT16 -> rangeProblem(values.int32At(i), -32768, 32767, scalar);
      case UINT8 -> rangeProblem(values.uint32At(i) & 0xFFFF_FFFFL, 0, 255, scalar);
      case UINT16 -> rangeProblem(values.uint32At(i) & 0xFFFF_FFFFL, 0, 65535, scalar);
      case STRING -> stringProblem(values.stringValues().get(i), feature);
      default -> null;
    };
  }

  private static @Nullable String rangeProblem(long value, long min, long max, DataType scalar) {
    return value < min || value > max
        ? value + " is outside the range of " + scalar.registryName() + " [" + min + ", " + max + "]"
        : null;
  }

  private static @Nullable String stringProblem(String value, ServingSchema.Feature feature) {
    int limit = feature.stringLength() > 0 ? Math.min(feature.stringLength(), MAX_STRING_BYTES) : MAX_STRING_BYTES;
    if (value.length() <= limit / 3) {
      return null; // at most three UTF-8 bytes per char
    }
    int bytes = utf8Length(value);
    return bytes > limit ? "string of " + bytes + " bytes exceeds its string-length " + limit : null;
  }

  /** The length of {@code value} encoded as UTF-8 the way {@link String#getBytes} does it (an unpaired surrogate as '?'). */
  private static int utf8Length(String value) {
    int bytes = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
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

  /** The size of the list {@code scalar} reads from {@code v}. */
  private static int size(DataType scalar, Values v) {
    return switch (scalar) {
      case FP8E5M2, FP8E4M3, FP16, FP32 -> v.fp32Values().size();
      case FP64 -> v.fp64Values().size();
      case INT8, INT16, INT32 -> v.int32Values().size();
      case INT64 -> v.int64Values().size();
      case UINT8, UINT16, UINT32 -> v.uint32Values().size();
      case UINT64 -> v.uint64Values().size();
      case STRING -> v.stringValues().size();
      case BOOL -> v.boolValues().size();
      default -> 0;
    };
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
