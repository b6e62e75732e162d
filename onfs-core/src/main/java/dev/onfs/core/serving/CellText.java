package dev.onfs.core.serving;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import dev.onfs.core.types.Float16;
import dev.onfs.core.types.Float8E4M3;
import dev.onfs.core.types.Float8E5M2;
import java.nio.charset.StandardCharsets;

/**
 * Renders one retrieve cell as the reference's decoded text: scalars as Go's {@code %v} (floats
 * shortest, switching to exponent form below 1e-4 and from 1e6 up; bools {@code true}/{@code false}),
 * vectors element by element joined with {@code ':'} (floats in plain shortest decimal, bools as
 * {@code 1}/{@code 0}, strings as they are).
 */
final class CellText {
  // Every FP16 and FP8 encoding renders the same way each time; remember the text per encoding.
  private static final String[] FP16_G = new String[1 << 16];
  private static final String[] FP16_F = new String[1 << 16];
  private static final String[] FP8E4M3_G = new String[256];
  private static final String[] FP8E4M3_F = new String[256];
  private static final String[] FP8E5M2_G = new String[256];
  private static final String[] FP8E5M2_F = new String[256];

  private CellText() {}

  private static String fp16(int bits, boolean plain) {
    String[] table = plain ? FP16_F : FP16_G;
    String text = table[bits];
    if (text == null) {
      float f = Float16.toFloat((short) bits);
      text = plain ? GoFloatFormat.formatF(f) : GoFloatFormat.formatG(f);
      table[bits] = text; // racy but idempotent: every thread computes the same immutable String
    }
    return text;
  }

  private static String fp8(byte encoded, boolean e4m3, boolean plain) {
    String[] table = e4m3 ? (plain ? FP8E4M3_F : FP8E4M3_G) : (plain ? FP8E5M2_F : FP8E5M2_G);
    int index = encoded & 0xFF;
    String text = table[index];
    if (text == null) {
      float f = e4m3 ? Float8E4M3.toFloat(encoded) : Float8E5M2.toFloat(encoded);
      text = plain ? GoFloatFormat.formatF(f) : GoFloatFormat.formatG(f);
      table[index] = text;
    }
    return text;
  }

  /**
   * @param type the feature group's data type
   * @param cell the cell bytes as {@link RetrieveResult.Row#column} holds them
   * @param vectorLength the feature's vector length (only read for string vectors, whose cells do not
   *     carry it)
   */
  static String render(DataType type, byte[] cell, int vectorLength) {
    switch (type) {
      case FP32:
        return GoFloatFormat.formatG(Float.intBitsToFloat(int32(cell, 0, type)));
      case FP64:
        return GoFloatFormat.formatG(Double.longBitsToDouble(int64(cell, 0, type)));
      case FP16:
        return fp16(int16(cell, 0, type), false);
      case FP8E5M2:
        return fp8(int8(cell, 0, type), false, false);
      case FP8E4M3:
        return fp8(int8(cell, 0, type), true, false);
      case INT8:
        return Integer.toString(int8(cell, 0, type));
      case INT16:
        return Integer.toString((short) int16(cell, 0, type));
      case INT32:
        return Integer.toString(int32(cell, 0, type));
      case INT64:
        return Long.toString(int64(cell, 0, type));
      case UINT8:
        return Integer.toString(int8(cell, 0, type) & 0xFF);
      case UINT16:
        return Integer.toString(int16(cell, 0, type));
      case UINT32:
        return Integer.toUnsignedString(int32(cell, 0, type));
      case UINT64:
        return Long.toUnsignedString(int64(cell, 0, type));
      case STRING:
        return new String(cell, StandardCharsets.UTF_8);
      case BOOL:
        checkLength(type, cell, 1);
        return cell[0] == 1 ? "true" : "false";
      case BOOL_VECTOR:
        return boolVector(cell);
      case STRING_VECTOR:
        return stringVector(cell, vectorLength);
      default:
        return numericVector(type, cell);
    }
  }

  private static String numericVector(DataType type, byte[] cell) {
    DataType scalar = type.scalar();
    int width = scalar.width();
    if (width == 0 || cell.length % width != 0) {
      throw corrupt(type, "a cell of " + cell.length + " bytes is not a whole number of " + width + "-byte elements");
    }
    StringBuilder sb = new StringBuilder(cell.length * 3);
    for (int offset = 0; offset < cell.length; offset += width) {
      if (offset > 0) {
        sb.append(':');
      }
      switch (scalar) {
        case FP32 -> sb.append(GoFloatFormat.formatF(Float.intBitsToFloat(int32At(cell, offset))));
        case FP64 -> sb.append(GoFloatFormat.formatF(Double.longBitsToDouble(int64At(cell, offset))));
        case FP16 -> sb.append(fp16(int16At(cell, offset), true));
        case FP8E5M2 -> sb.append(fp8(cell[offset], false, true));
        case FP8E4M3 -> sb.append(fp8(cell[offset], true, true));
        case INT8 -> sb.append(cell[offset]);
        case INT16 -> sb.append((short) int16At(cell, offset));
        case INT32 -> sb.append(int32At(cell, offset));
        case INT64 -> sb.append(int64At(cell, offset));
        case UINT8 -> sb.append(cell[offset] & 0xFF);
        case UINT16 -> sb.append(int16At(cell, offset));
        case UINT32 -> sb.append(Integer.toUnsignedString(int32At(cell, offset)));
        case UINT64 -> sb.append(Long.toUnsignedString(int64At(cell, offset)));
        default -> throw corrupt(type, "not a numeric vector type");
      }
    }
    return sb.toString();
  }

  private static String boolVector(byte[] cell) {
    StringBuilder sb = new StringBuilder(cell.length * 2);
    for (int i = 0; i < cell.length; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(cell[i] == 1 ? '1' : '0');
    }
    return sb.toString();
  }

  private static String stringVector(byte[] cell, int vectorLength) {
    int dataOffset = 2 * vectorLength;
    if (cell.length < dataOffset) {
      throw corrupt(DataType.STRING_VECTOR, "a cell of " + cell.length + " bytes cannot hold " + vectorLength + " lengths");
    }
    StringBuilder sb = new StringBuilder(cell.length);
    for (int i = 0; i < vectorLength; i++) {
      int length = int16At(cell, 2 * i);
      if (dataOffset + length > cell.length) {
        throw corrupt(DataType.STRING_VECTOR, "element " + i + " runs past the end of the cell");
      }
      if (i > 0) {
        sb.append(':');
      }
      sb.append(new String(cell, dataOffset, length, StandardCharsets.UTF_8));
      dataOffset += length;
    }
    return sb.toString();
  }

  private static void checkLength(DataType type, byte[] cell, int width) {
    if (cell.length != width) {
      throw corrupt(type, "cell has " + cell.length + " bytes, expected " + width);
    }
  }

  private static byte int8(byte[] cell, int offset, DataType type) {
    checkLength(type, cell, 1);
    return cell[offset];
  }

  private static int int16(byte[] cell, int offset, DataType type) {
    checkLength(type, cell, 2);
    return int16At(cell, offset);
  }

  private static int int32(byte[] cell, int offset, DataType type) {
    checkLength(type, cell, 4);
    return int32At(cell, offset);
  }

  private static long int64(byte[] cell, int offset, DataType type) {
    checkLength(type, cell, 8);
    return int64At(cell, offset);
  }

  /** Unsigned little-endian 16 bits. */
  static int int16At(byte[] b, int o) {
    return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
  }

  static int int32At(byte[] b, int o) {
    return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
  }

  static long int64At(byte[] b, int o) {
    return (int32At(b, o) & 0xFFFF_FFFFL) | (long) int32At(b, o + 4) << 32;
  }

  private static OnfsException corrupt(DataType type, String detail) {
    return new OnfsException(ErrorCode.CORRUPT_BLOCK, "cannot decode " + type.registryName() + " value: " + detail);
  }
}
