package dev.onfs.core.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes result cells (embedded {@code retrieve} or {@code RetrieveFeatures} over gRPC) into Java
 * values, given the cell's data type. Typed row getters such as
 * {@link dev.onfs.core.serving.RetrieveResult.Row#getFloat(int)} use it; call it directly for cells
 * whose type you know from elsewhere. Cells are encoded as the reference encodes them: little-endian numbers
 * at the type's width (fp16 as IEEE half, fp8 as E4M3 / E5M2 bytes), UTF-8 strings, one 0/1 byte per
 * bool, vectors flattened element after element, and string vectors as all uint16 lengths followed by
 * all string bytes.
 *
 * <p>Every method checks the cell length against the type and throws {@link IllegalArgumentException}
 * naming both when they disagree.
 */
public final class CellDecoder {
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private CellDecoder() {}

  /** An FP8E5M2, FP8E4M3, FP16 or FP32 scalar as a float. */
  public static float toFloat(byte[] cell, DataType type) {
    return toFloat(cell, 0, cell.length, type);
  }

  /** {@link #toFloat(byte[], DataType)} of the cell in {@code array[offset, offset+length)}. */
  public static float toFloat(byte[] array, int offset, int length, DataType type) {
    requireScalar(array, offset, length, type);
    return floatAt(array, offset, type);
  }

  /** Any floating-point scalar (FP8 ... FP64) as a double. */
  public static double toDouble(byte[] cell, DataType type) {
    return toDouble(cell, 0, cell.length, type);
  }

  /** {@link #toDouble(byte[], DataType)} of the cell in {@code array[offset, offset+length)}. */
  public static double toDouble(byte[] array, int offset, int length, DataType type) {
    requireScalar(array, offset, length, type);
    return type == DataType.FP64
        ? Double.longBitsToDouble((long) LONG.get(array, offset))
        : floatAt(array, offset, type);
  }

  /**
   * Any integer scalar as a long: signed types sign-extended, unsigned types zero-extended, UINT64 as
   * its 64 bits (use {@link Long#toUnsignedString(long)} to print it).
   */
  public static long toLong(byte[] cell, DataType type) {
    return toLong(cell, 0, cell.length, type);
  }

  /** {@link #toLong(byte[], DataType)} of the cell in {@code array[offset, offset+length)}. */
  public static long toLong(byte[] array, int offset, int length, DataType type) {
    requireScalar(array, offset, length, type);
    return longAt(array, offset, type);
  }

  public static boolean toBoolean(byte[] cell, DataType type) {
    return toBoolean(cell, 0, cell.length, type);
  }

  /** {@link #toBoolean(byte[], DataType)} of the cell in {@code array[offset, offset+length)}. */
  public static boolean toBoolean(byte[] array, int offset, int length, DataType type) {
    Objects.checkFromIndexSize(offset, length, array.length);
    if (type != DataType.BOOL || length != 1) {
      throw mismatch(length, type, "a 1-byte BOOL cell");
    }
    return array[offset] != 0;
  }

  /** A STRING cell. */
  public static String toText(byte[] cell, DataType type) {
    return toText(cell, 0, cell.length, type);
  }

  /** {@link #toText(byte[], DataType)} of the cell in {@code array[offset, offset+length)}. */
  public static String toText(byte[] array, int offset, int length, DataType type) {
    Objects.checkFromIndexSize(offset, length, array.length);
    if (type != DataType.STRING) {
      throw mismatch(length, type, "a STRING cell");
    }
    return new String(array, offset, length, StandardCharsets.UTF_8);
  }

  /** An FP8E5M2, FP8E4M3, FP16 or FP32 vector. */
  public static float[] toFloatArray(byte[] cell, DataType type) {
    DataType element = requireVector(cell, type);
    float[] out = new float[cell.length / element.width()];
    for (int i = 0; i < out.length; i++) {
      out[i] = floatAt(cell, i * element.width(), element);
    }
    return out;
  }

  /** Any floating-point vector as doubles. */
  public static double[] toDoubleArray(byte[] cell, DataType type) {
    DataType element = requireVector(cell, type);
    double[] out = new double[cell.length / element.width()];
    for (int i = 0; i < out.length; i++) {
      int offset = i * element.width();
      out[i] = element == DataType.FP64
          ? Double.longBitsToDouble((long) LONG.get(cell, offset))
          : floatAt(cell, offset, element);
    }
    return out;
  }

  /** Any integer vector as longs (sign- or zero-extended; UINT64 as bits). */
  public static long[] toLongArray(byte[] cell, DataType type) {
    DataType element = requireVector(cell, type);
    long[] out = new long[cell.length / element.width()];
    for (int i = 0; i < out.length; i++) {
      out[i] = longAt(cell, i * element.width(), element);
    }
    return out;
  }

  /** A BOOL_VECTOR cell: one 0/1 byte per element. */
  public static boolean[] toBooleanArray(byte[] cell, DataType type) {
    if (type != DataType.BOOL_VECTOR) {
      throw mismatch(cell, type, "a BOOL_VECTOR cell");
    }
    boolean[] out = new boolean[cell.length];
    for (int i = 0; i < cell.length; i++) {
      out[i] = cell[i] != 0;
    }
    return out;
  }

  /**
   * A STRING_VECTOR cell of {@code length} elements (the feature's vector length from the registry;
   * the cell does not record it).
   */
  public static String[] toStringArray(byte[] cell, DataType type, int length) {
    if (type != DataType.STRING_VECTOR) {
      throw mismatch(cell, type, "a STRING_VECTOR cell");
    }
    if (length < 0 || 2L * length > cell.length) {
      throw new IllegalArgumentException(
          "STRING_VECTOR cell of " + cell.length + " bytes cannot hold " + length + " string lengths");
    }
    String[] out = new String[length];
    int data = 2 * length;
    for (int i = 0; i < length; i++) {
      int size = Short.toUnsignedInt((short) SHORT.get(cell, 2 * i));
      if (data + size > cell.length) {
        throw new IllegalArgumentException("STRING_VECTOR cell of " + cell.length + " bytes is too short for element "
            + i + " of " + size + " bytes");
      }
      out[i] = new String(cell, data, size, StandardCharsets.UTF_8);
      data += size;
    }
    return out;
  }

  /**
   * A STRING_VECTOR cell, its element count taken from the cell itself: the cell is {@code n} uint16
   * lengths and then {@code n} strings, so {@code n} is the first count whose lengths plus strings
   * add up to the cell's size (every element adds at least its 2-byte length, so no smaller count can).
   */
  public static String[] toStringArray(byte[] cell, DataType type) {
    if (type != DataType.STRING_VECTOR) {
      throw mismatch(cell, type, "a STRING_VECTOR cell");
    }
    long used = 0;
    int count = 0;
    while (used < cell.length) {
      if (2 * count + 2 > cell.length) {
        throw new IllegalArgumentException("STRING_VECTOR cell of " + cell.length + " bytes is too short for the length of"
            + " element " + count);
      }
      used += 2 + Short.toUnsignedInt((short) SHORT.get(cell, 2 * count));
      count++;
    }
    if (used != cell.length) {
      throw new IllegalArgumentException("STRING_VECTOR cell of " + cell.length + " bytes is too short for its "
          + count + " elements");
    }
    return toStringArray(cell, type, count);
  }

  /**
   * Any cell as a Java value: Float (fp8/fp16/fp32), Double, Long (integers), Boolean, String,
   * float[], double[], long[], boolean[], String[].
   */
  public static Object decode(byte[] cell, DataType type) {
    switch (type) {
      case FP8E5M2: case FP8E4M3: case FP16: case FP32:
        return toFloat(cell, type);
      case FP64:
        return toDouble(cell, type);
      case INT8: case INT16: case INT32: case INT64: case UINT8: case UINT16: case UINT32: case UINT64:
        return toLong(cell, type);
      case BOOL:
        return toBoolean(cell, type);
      case STRING:
        return toText(cell, type);
      case FP8E5M2_VECTOR: case FP8E4M3_VECTOR: case FP16_VECTOR: case FP32_VECTOR:
        return toFloatArray(cell, type);
      case FP64_VECTOR:
        return toDoubleArray(cell, type);
      case BOOL_VECTOR:
        return toBooleanArray(cell, type);
      case STRING_VECTOR:
        return toStringArray(cell, type);
      case UNKNOWN:
        throw new IllegalArgumentException("cannot decode a cell of type UNKNOWN");
      default:
        return toLongArray(cell, type);
    }
  }

  private static float floatAt(byte[] cell, int offset, DataType type) {
    switch (type) {
      case FP8E5M2:
        return Float8E5M2.toFloat(cell[offset]);
      case FP8E4M3:
        return Float8E4M3.toFloat(cell[offset]);
      case FP16:
        return Float16.toFloat((short) SHORT.get(cell, offset));
      case FP32:
        return Float.intBitsToFloat((int) INT.get(cell, offset));
      default:
        throw new IllegalArgumentException("type " + type + " is not an fp8/fp16/fp32 type");
    }
  }

  private static long longAt(byte[] cell, int offset, DataType type) {
    switch (type) {
      case INT8:
        return cell[offset];
      case INT16:
        return (short) SHORT.get(cell, offset);
      case INT32:
        return (int) INT.get(cell, offset);
      case INT64:
      case UINT64:
        return (long) LONG.get(cell, offset);
      case UINT8:
        return Byte.toUnsignedLong(cell[offset]);
      case UINT16:
        return Short.toUnsignedLong((short) SHORT.get(cell, offset));
      case UINT32:
        return Integer.toUnsignedLong((int) INT.get(cell, offset));
      default:
        throw new IllegalArgumentException("type " + type + " is not an integer type");
    }
  }

  private static void requireScalar(byte[] array, int offset, int length, DataType type) {
    Objects.checkFromIndexSize(offset, length, array.length);
    if (type.isVector() || !type.isFixedWidth() || length != type.width()) {
      throw mismatch(length, type, "a fixed-width scalar cell of the type's width");
    }
  }

  private static DataType requireVector(byte[] cell, DataType type) {
    DataType element = type.scalar();
    if (!type.isVector() || !element.isFixedWidth() || cell.length % element.width() != 0) {
      throw mismatch(cell, type, "a fixed-width vector cell, a multiple of the element width");
    }
    return element;
  }

  private static IllegalArgumentException mismatch(byte[] cell, DataType type, String expected) {
    return mismatch(cell.length, type, expected);
  }

  private static IllegalArgumentException mismatch(int length, DataType type, String expected) {
    return new IllegalArgumentException("cell of " + length + " bytes with type " + type + " is not " + expected);
  }
}
