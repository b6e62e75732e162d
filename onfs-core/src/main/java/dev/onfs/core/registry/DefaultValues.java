package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.internal.RegistryChecks;
import dev.onfs.core.types.DataType;
import dev.onfs.core.types.Float16;
import dev.onfs.core.types.Float8E4M3;
import dev.onfs.core.types.Float8E5M2;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Converts feature default values between their text form (what people write: {@code 0.0},
 * {@code true}, {@code [1,2,3]}) and the bytes the reference keeps base64-encoded in {@code
 * feature-meta} and returns for missing rows.
 *
 * <p>Bytes, per data type (little-endian throughout):
 *
 * <ul>
 *   <li>integers: the type's width, two's complement; floats: IEEE FP64/FP32, FP16 and FP8 (E4M3,
 *       E5M2) converted from the value parsed as a float32;
 *   <li>Bool: one byte, {@code 0x80} for true and {@code 0x00} for false (a bit-packed single bool);
 *   <li>String: the raw UTF-8 bytes, no length prefix, at most {@code string-length} bytes when that
 *       is positive;
 *   <li>numeric vectors: the elements' bytes back to back; exactly {@code vector-length} elements;
 *   <li>BoolVector: bit-packed, most significant bit first, {@code ceil(n / 8)} bytes;
 *   <li>StringVector: 10 zero bytes (a quirk of the reference, kept for compatibility), then for
 *       each element an unsigned varint length and its UTF-8 bytes.
 * </ul>
 *
 * <p>Text: surrounding whitespace is ignored; vectors are comma-separated with optional brackets;
 * bools accept {@code true/false/t/f/1/0} in any case. Where we accept more than the reference:
 * negative elements in Int8/Int16/Int32 vectors (the reference parses them as unsigned and fails;
 * we also accept its unsigned spellings up to {@code 2^bits - 1}), and double-quoted StringVector
 * elements (the quotes are removed). Java-only float spellings ({@code 1f}, hex) are rejected.
 */
public final class DefaultValues {
  /** The reference writes this many zero bytes before the elements of a StringVector default. */
  public static final int STRING_VECTOR_PREFIX = 10;

  private static final Pattern DECIMAL_FLOAT =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern SPECIAL_FLOAT =
      Pattern.compile("[+-]?(inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

  private DefaultValues() {}

  /**
   * Encodes a text default for a feature of {@code type}.
   *
   * @throws OnfsException (INVALID_REGISTRY) naming the value and what is wrong with it
   */
  public static byte[] encode(DataType type, String text, int stringLength, int vectorLength) {
    requireNonNull(type, "type is null");
    requireNonNull(text, "text is null");
    if (type == DataType.STRING) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      checkString(bytes.length, stringLength, "'" + text + "'");
      return bytes;
    }
    if (!type.isVector()) {
      ByteBuffer out = ByteBuffer.allocate(type == DataType.BOOL ? 1 : type.width()).order(ByteOrder.LITTLE_ENDIAN);
      if (type == DataType.BOOL) {
        out.put(parseBool(text.trim()) ? (byte) 0x80 : 0);
      } else {
        putScalar(out, type, text.trim(), false);
      }
      return out.array();
    }
    List<String> elements = splitVector(text);
    if (elements.size() != vectorLength) {
      throw RegistryChecks.invalid("'" + text + "' has " + elements.size() + " elements, vector-length is " + vectorLength);
    }
    DataType scalar = type.scalar();
    if (type == DataType.BOOL_VECTOR) {
      byte[] out = new byte[(vectorLength + 7) / 8];
      for (int i = 0; i < elements.size(); i++) {
        if (parseBool(elements.get(i))) {
          out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
      }
      return out;
    }
    if (type == DataType.STRING_VECTOR) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(new byte[STRING_VECTOR_PREFIX], 0, STRING_VECTOR_PREFIX);
      for (String element : elements) {
        String unquoted = element.length() >= 2 && element.startsWith("\"") && element.endsWith("\"")
            ? element.substring(1, element.length() - 1) : element;
        byte[] bytes = unquoted.getBytes(StandardCharsets.UTF_8);
        checkString(bytes.length, stringLength, "element '" + unquoted + "'");
        writeUvarint(out, bytes.length);
        out.write(bytes, 0, bytes.length);
      }
      return out.toByteArray();
    }
    ByteBuffer out = ByteBuffer.allocate(scalar.width() * vectorLength).order(ByteOrder.LITTLE_ENDIAN);
    for (String element : elements) {
      putScalar(out, scalar, element, true);
    }
    return out.array();
  }

  /**
   * Renders default bytes as text that {@link #encode} turns back into the same bytes (except for
   * non-canonical bool bytes and NaN payloads, which come back canonical).
   *
   * @throws OnfsException (INVALID_REGISTRY) when the bytes do not fit the type (see {@link #checkEncoded})
   */
  public static String decode(DataType type, byte[] value, int vectorLength) {
    requireNonNull(type, "type is null");
    requireNonNull(value, "value is null");
    checkEncoded(type, value, 0, vectorLength);
    if (type == DataType.STRING) {
      return new String(value, StandardCharsets.UTF_8);
    }
    if (type == DataType.BOOL) {
      return value[0] != 0 ? "true" : "false";
    }
    ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    if (!type.isVector()) {
      return scalarText(in, type);
    }
    StringBuilder text = new StringBuilder("[");
    if (type == DataType.BOOL_VECTOR) {
      for (int i = 0; i < vectorLength; i++) {
        text.append(i == 0 ? "" : ",").append((value[i >>> 3] & (0x80 >>> (i & 7))) != 0);
      }
    } else if (type == DataType.STRING_VECTOR) {
      List<byte[]> elements = stringVectorElements(value, vectorLength);
      for (int i = 0; i < elements.size(); i++) {
        text.append(i == 0 ? "" : ",").append(new String(elements.get(i), StandardCharsets.UTF_8));
      }
    } else {
      for (int i = 0; i < vectorLength; i++) {
        text.append(i == 0 ? "" : ",").append(scalarText(in, type.scalar()));
      }
    }
    return text.append(']').toString();
  }

  /**
   * Checks that encoded default bytes fit a feature: fixed-width scalars have the type's width, a
   * Bool one byte, a String at most {@code stringLength} bytes (when positive), numeric vectors
   * {@code vectorLength} elements, a BoolVector {@code ceil(vectorLength / 8)} bytes, and a
   * StringVector its prefix plus exactly {@code vectorLength} well-formed elements.
   */
  public static void checkEncoded(DataType type, byte[] value, int stringLength, int vectorLength) {
    requireNonNull(type, "type is null");
    requireNonNull(value, "value is null");
    String name = type.registryName();
    int expected;
    if (type == DataType.UNKNOWN) {
      throw RegistryChecks.invalid("cannot be checked for DataTypeUnknown");
    } else if (type == DataType.STRING) {
      checkString(value.length, stringLength, "value");
      return;
    } else if (type == DataType.STRING_VECTOR) {
      for (byte[] element : stringVectorElements(value, vectorLength)) {
        checkString(element.length, stringLength, "an element");
      }
      return;
    } else if (type == DataType.BOOL) {
      expected = 1;
    } else if (type == DataType.BOOL_VECTOR) {
      expected = (vectorLength + 7) / 8;
    } else if (type.isVector()) {
      expected = type.width() * vectorLength;
    } else {
      expected = type.width();
    }
    if (value.length != expected) {
      throw RegistryChecks.invalid("has " + value.length + " bytes, " + name
          + (type.isVector() ? " of vector-length " + vectorLength : "") + " needs " + expected);
    }
  }

  /** The elements of an encoded StringVector default (after its 10-byte prefix). */
  public static List<byte[]> stringVectorElements(byte[] value, int vectorLength) {
    if (value.length < STRING_VECTOR_PREFIX) {
      throw RegistryChecks.invalid("has " + value.length + " bytes, a DataTypeStringVector default starts with "
          + STRING_VECTOR_PREFIX + " zero bytes");
    }
    List<byte[]> elements = new ArrayList<>(vectorLength);
    int pos = STRING_VECTOR_PREFIX;
    while (pos < value.length) {
      long length = 0;
      int shift = 0;
      while (true) {
        if (pos >= value.length || shift > 28) {
          throw RegistryChecks.invalid("has a truncated or oversized element length at byte " + pos);
        }
        int b = value[pos++] & 0xFF;
        length |= (long) (b & 0x7F) << shift;
        shift += 7;
        if (b < 0x80) {
          break;
        }
      }
      if (length > value.length - pos) {
        throw RegistryChecks.invalid("has an element of " + length + " bytes but only " + (value.length - pos) + " remain");
      }
      elements.add(Arrays.copyOfRange(value, pos, pos + (int) length));
      pos += (int) length;
    }
    if (elements.size() != vectorLength) {
      throw RegistryChecks.invalid("has " + elements.size() + " elements, vector-length is " + vectorLength);
    }
    return elements;
  }

  private static void checkString(int byteLength, int stringLength, String what) {
    if (stringLength > 0 && byteLength > stringLength) {
      throw RegistryChecks.invalid(what + " is " + byteLength + " bytes, longer than string-length " + stringLength);
    }
    if (byteLength > RegistryChecks.MAX_LENGTH) {
      throw RegistryChecks.invalid(what + " is " + byteLength + " bytes, longer than " + RegistryChecks.MAX_LENGTH);
    }
  }

  private static List<String> splitVector(String text) {
    String body = text.trim();
    if (body.startsWith("[") && body.endsWith("]")) {
      body = body.substring(1, body.length() - 1).trim();
    }
    List<String> elements = new ArrayList<>();
    if (body.isEmpty()) {
      return elements;
    }
    for (String part : body.split(",", -1)) {
      elements.add(part.trim());
    }
    return elements;
  }

  private static boolean parseBool(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "true":
      case "t":
      case "1":
        return true;
      case "false":
      case "f":
      case "0":
        return false;
      default:
        throw RegistryChecks.invalid("'" + text + "' is not a bool (true/false, t/f or 1/0)");
    }
  }

  private static void putScalar(ByteBuffer out, DataType type, String text, boolean inVector) {
    switch (type) {
      case FP32:
        out.putFloat(parseFloat(text, type));
        return;
      case FP64:
        out.putDouble(parseDouble(text, type));
        return;
      case FP16:
        out.putShort(Float16.fromFloat(parseFloat(text, type)));
        return;
      case FP8E4M3:
        out.put(Float8E4M3.fromFloat(parseFloat(text, type)));
        return;
      case FP8E5M2:
        out.put(Float8E5M2.fromFloat(parseFloat(text, type)));
        return;
      case INT8:
        out.put((byte) parseInteger(text, type, -0x80L, inVector ? 0xFFL : 0x7FL));
        return;
      case INT16:
        out.putShort((short) parseInteger(text, type, -0x8000L, inVector ? 0xFFFFL : 0x7FFFL));
        return;
      case INT32:
        out.putInt((int) parseInteger(text, type, Integer.MIN_VALUE, inVector ? 0xFFFF_FFFFL : Integer.MAX_VALUE));
        return;
      case INT64:
        out.putLong(parseInteger(text, type, Long.MIN_VALUE, Long.MAX_VALUE));
        return;
      case UINT8:
        out.put((byte) parseInteger(text, type, 0, 0xFFL));
        return;
      case UINT16:
        out.putShort((short) parseInteger(text, type, 0, 0xFFFFL));
        return;
      case UINT32:
        out.putInt((int) parseInteger(text, type, 0, 0xFFFF_FFFFL));
        return;
      case UINT64:
        out.putLong(parseUnsigned64(text, type));
        return;
      default:
        throw new IllegalStateException("not a fixed-width type: " + type);
    }
  }

  private static String scalarText(ByteBuffer in, DataType type) {
    switch (type) {
      case FP32:
        return Float.toString(in.getFloat());
      case FP64:
        return Double.toString(in.getDouble());
      case FP16:
        return Float.toString(Float16.toFloat(in.getShort()));
      case FP8E4M3:
        return Float.toString(Float8E4M3.toFloat(in.get()));
      case FP8E5M2:
        return Float.toString(Float8E5M2.toFloat(in.get()));
      case INT8:
        return Byte.toString(in.get());
      case INT16:
        return Short.toString(in.getShort());
      case INT32:
        return Integer.toString(in.getInt());
      case INT64:
        return Long.toString(in.getLong());
      case UINT8:
        return Integer.toString(in.get() & 0xFF);
      case UINT16:
        return Integer.toString(in.getShort() & 0xFFFF);
      case UINT32:
        return Long.toString(in.getInt() & 0xFFFF_FFFFL);
      case UINT64:
        return Long.toUnsignedString(in.getLong());
      default:
        throw new IllegalStateException("not a fixed-width type: " + type);
    }
  }

  private static long parseInteger(String text, DataType type, long min, long max) {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw notA(text, type);
    }
    if (value < min || value > max) {
      throw RegistryChecks.invalid("'" + text + "' is out of range for " + type.registryName()
          + " (" + min + ".." + max + ")");
    }
    return value;
  }

  private static long parseUnsigned64(String text, DataType type) {
    try {
      BigInteger value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
      if (value.signum() < 0 || value.bitLength() > 64) {
        throw RegistryChecks.invalid("'" + text + "' is out of range for " + type.registryName()
            + " (0.." + Long.toUnsignedString(-1L) + ")");
      }
      return value.longValue();
    } catch (NumberFormatException e) {
      throw notA(text, type);
    }
  }

  private static float parseFloat(String text, DataType type) {
    checkFloatSyntax(text, type);
    return Float.parseFloat(normalizeSpecial(text));
  }

  private static double parseDouble(String text, DataType type) {
    checkFloatSyntax(text, type);
    return Double.parseDouble(normalizeSpecial(text));
  }

  private static void checkFloatSyntax(String text, DataType type) {
    if (!DECIMAL_FLOAT.matcher(text).matches() && !SPECIAL_FLOAT.matcher(text).matches()) {
      throw notA(text, type);
    }
  }

  private static String normalizeSpecial(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    boolean negative = lower.startsWith("-");
    String body = lower.replaceFirst("^[+-]", "");
    if (body.equals("inf") || body.equals("infinity")) {
      return negative ? "-Infinity" : "Infinity";
    }
    if (body.equals("nan")) {
      return "NaN";
    }
    return text;
  }

  private static OnfsException notA(String text, DataType type) {
    return RegistryChecks.invalid("'" + text + "' is not a valid " + type.registryName() + " value");
  }

  private static void writeUvarint(ByteArrayOutputStream out, int value) {
    int v = value;
    while (v >= 0x80) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }
}
