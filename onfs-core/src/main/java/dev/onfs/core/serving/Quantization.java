package dev.onfs.core.serving;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import dev.onfs.core.types.Float16;
import dev.onfs.core.types.Float8E4M3;
import dev.onfs.core.types.Float8E5M2;

/**
 * Retrieval-time quantization, as the reference offers it: a feature requested as
 * {@code label@DataTypeFP16} comes back converted from its stored float type to a lower-precision one
 * (FP64 to FP32/FP16/FP8, FP32 to FP16/FP8, FP16 to FP8; vectors to vectors, element by element, via
 * float32 with round-to-nearest-even).
 */
final class Quantization {
  private Quantization() {}

  /** The requested target type, checked against the group's type. */
  static DataType target(String typeName, DataType source, String requestedLabel, String where) {
    DataType target;
    try {
      target = DataType.fromName(typeName);
    } catch (IllegalArgumentException e) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT,
          "feature '" + requestedLabel + "' (" + where + ") asks for unknown data type '" + typeName + "'");
    }
    if (!compatible(source, target)) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT,
          "feature '" + requestedLabel + "' (" + where + ") cannot be quantized from " + source.registryName() + " to "
              + target.registryName() + ": only float types to a lower-precision float type, scalar to scalar and"
              + " vector to vector");
    }
    return target;
  }

  static boolean compatible(DataType source, DataType target) {
    if (source.isVector() != target.isVector()) {
      return false;
    }
    int from = rank(source.scalar());
    int to = rank(target.scalar());
    return from > 0 && to > 0 && to < 4 && from > to;
  }

  /** 4 FP64, 3 FP32, 2 FP16, 1 FP8 (both kinds), 0 not a float type. */
  private static int rank(DataType scalar) {
    return switch (scalar) {
      case FP64 -> 4;
      case FP32 -> 3;
      case FP16 -> 2;
      case FP8E4M3, FP8E5M2 -> 1;
      default -> 0;
    };
  }

  /** Converts a cell of {@code source} elements into one of {@code target} elements. */
  static byte[] convert(byte[] cell, DataType source, DataType target) {
    int fromWidth = source.scalar().width();
    int toWidth = target.scalar().width();
    int n = cell.length / fromWidth;
    byte[] out = new byte[n * toWidth];
    for (int i = 0; i < n; i++) {
      int at = i * fromWidth;
      float value = switch (source.scalar()) {
        case FP64 -> (float) Double.longBitsToDouble(CellText.int64At(cell, at));
        case FP32 -> Float.intBitsToFloat(CellText.int32At(cell, at));
        case FP16 -> Float16.toFloat((short) CellText.int16At(cell, at));
        default -> throw new OnfsException(ErrorCode.INTERNAL, "cannot quantize " + source.registryName());
      };
      int to = i * toWidth;
      switch (target.scalar()) {
        case FP32 -> {
          int bits = Float.floatToRawIntBits(value);
          out[to] = (byte) bits;
          out[to + 1] = (byte) (bits >>> 8);
          out[to + 2] = (byte) (bits >>> 16);
          out[to + 3] = (byte) (bits >>> 24);
        }
        case FP16 -> {
          short half = Float16.fromFloat(value);
          out[to] = (byte) half;
          out[to + 1] = (byte) (half >>> 8);
        }
        case FP8E4M3 -> out[to] = Float8E4M3.fromFloat(value);
        case FP8E5M2 -> out[to] = Float8E5M2.fromFloat(value);
        default -> throw new OnfsException(ErrorCode.INTERNAL, "cannot quantize to " + target.registryName());
      }
    }
    return out;
  }
}
