package dev.onfs.core.codec;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.ZstdException;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import dev.onfs.core.types.Float16;
import dev.onfs.core.types.Float8E4M3;
import dev.onfs.core.types.Float8E5M2;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A reusable flyweight over one PSDB layout-1 block held in a caller's byte range; never copies the
 * block.
 *
 * <p>{@link #wrap} parses the 9-byte header. The header's {@link #schemaVersion()} tells the caller
 * which feature group version wrote the block; {@link #bind} then attaches that version's {@link
 * PsdbLayout}, decompresses a zstd payload into a buffer the reader reuses (never larger than the
 * layout allows) and checks the payload against the layout once. After that every accessor is a
 * direct little-endian read. An expired block binds as missing ({@code bind} returns false).
 *
 * <p>Bad input raises {@link BlockFormatException} only. Misuse (reading an INT32 block with {@link
 * #getFloat}, a feature index out of range, accessors before {@code bind}) raises {@link
 * OnfsException} with {@link ErrorCode#SCHEMA_MISMATCH}, {@link IndexOutOfBoundsException} or {@link
 * IllegalStateException}.
 *
 * <p>Not thread-safe; keep one per thread. A reader that saw zstd blocks holds a native context:
 * {@link #close()} frees it early, otherwise a cleaner frees it once the reader is unreachable.
 */
public final class PsdbReader implements AutoCloseable {
  private static final int HEADER = PsdbEncoder.HEADER_BYTES;
  private static final DataType[] TYPES = DataType.values();

  private final InstantSource clock;
  private ZstdResources.@Nullable Decompressor decompressor;

  private byte[] block = new byte[0];
  private int blockOffset;
  private int blockLength;
  private boolean wrapped;

  private int schemaVersion;
  private DataType dataType = DataType.UNKNOWN;
  private int scalarId;
  private int compressionId;
  private long packedExpiry;
  private int boolLastBitIndex;

  private @Nullable PsdbLayout layout;
  private byte[] data = new byte[0];
  private int dataOffset;
  private int dataLength;
  private byte[] inflated = new byte[0];
  /** For string types: absolute offset of each element's bytes in {@link #data}, plus the end. */
  private int[] stringOffsets = new int[0];

  private PsdbReader(InstantSource clock) {
    this.clock = clock;
  }

  /** A reader on the system clock. */
  public static PsdbReader create() {
    return new PsdbReader(InstantSource.system());
  }

  /** A reader that decides expiry with {@code clock}. */
  public static PsdbReader create(InstantSource clock) {
    return new PsdbReader(requireNonNull(clock, "clock is null"));
  }

  /** Wraps a whole array as one block. */
  public PsdbReader wrap(byte[] block) {
    return wrap(block, 0, block.length);
  }

  /**
   * Points this reader at a block and parses its header.
   *
   * @throws BlockFormatException if the header is truncated or names an unknown layout version,
   *     compression or data type
   */
  public PsdbReader wrap(byte[] block, int offset, int length) {
    requireNonNull(block, "block is null");
    Objects.checkFromIndexSize(offset, length, block.length);
    wrapped = false;
    layout = null;
    if (length < HEADER) {
      throw new BlockFormatException(
          "block of " + length + " bytes is shorter than the " + HEADER + "-byte PSDB header");
    }
    int b7 = block[offset + 7] & 0xff;
    int b8 = block[offset + 8] & 0xff;
    int layoutVersion = b7 >>> 4;
    if (layoutVersion != PsdbEncoder.LAYOUT_VERSION) {
      throw new BlockFormatException("unsupported PSDB layout version " + layoutVersion + " (supported: 1)");
    }
    int compression = (b7 >>> 1) & 7;
    if (compression > 1) {
      throw new BlockFormatException("unknown compression type " + compression + " in PSDB header");
    }
    int typeId = ((b7 & 1) << 4) | (b8 >>> 4);
    if (typeId == 0 || typeId >= TYPES.length) {
      throw new BlockFormatException("unknown data type id " + typeId + " in PSDB header");
    }
    this.block = block;
    this.blockOffset = offset;
    this.blockLength = length;
    this.schemaVersion = LittleEndian.getUnsignedShort(block, offset);
    this.packedExpiry = PsdbExpiry.read(block, offset + 2);
    this.compressionId = compression;
    this.dataType = DataType.fromId(typeId);
    this.scalarId = dataType.scalar().id();
    this.boolLastBitIndex = b8 & 0xf;
    this.wrapped = true;
    return this;
  }

  // ---------------------------------------------------------------- header

  /** The feature group version the block was written with (uint16). */
  public int schemaVersion() {
    checkWrapped();
    return schemaVersion;
  }

  public DataType dataType() {
    checkWrapped();
    return dataType;
  }

  public PsdbCompression compression() {
    checkWrapped();
    return compressionId == 0 ? PsdbCompression.NONE : PsdbCompression.ZSTD;
  }

  /** Expiry in epoch seconds, or 0 when the block never expires. */
  public long expiresAtEpochSecond() {
    checkWrapped();
    return packedExpiry == 0 ? 0 : PsdbExpiry.unpack(packedExpiry);
  }

  /** True once the clock is past the expiry (a block is still live during its expiry second). */
  public boolean isExpired() {
    checkWrapped();
    return packedExpiry != 0 && clock.millis() > PsdbExpiry.unpack(packedExpiry) * 1000;
  }

  /** The header's "last valid bit" field (bool types); informational, the layout decides sizes. */
  public int boolLastBitIndex() {
    checkWrapped();
    return boolLastBitIndex;
  }

  // ---------------------------------------------------------------- binding

  /**
   * Attaches the layout of the block's {@link #schemaVersion()}, decompresses if needed and checks
   * the payload size against the layout.
   *
   * @return false if the block has expired (treat it as missing); no payload is read then
   * @throws BlockFormatException if the payload does not fit the layout or does not decompress
   */
  public boolean bind(PsdbLayout layout) {
    requireNonNull(layout, "layout is null");
    checkWrapped();
    this.layout = null;
    if (layout.dataType() != dataType) {
      throw new BlockFormatException(
          "block holds " + dataType + " values but the layout is for " + layout.dataType());
    }
    if (isExpired()) {
      return false;
    }
    int payloadStart = blockOffset + HEADER;
    int payloadLength = blockLength - HEADER;
    if (compressionId == 0) {
      data = block;
      dataOffset = payloadStart;
      dataLength = payloadLength;
    } else {
      inflate(layout, payloadStart, payloadLength);
    }
    int elements = layout.elementCount();
    if (dataType.isString()) {
      indexStrings(layout, elements);
    } else {
      long expected = dataType.isBool() ? (elements + 7L) / 8 : (long) elements * dataType.width();
      if (dataLength != expected) {
        throw new BlockFormatException(sizeMessage(layout, "is " + dataLength + " bytes, expected " + expected));
      }
    }
    this.layout = layout;
    return true;
  }

  private void inflate(PsdbLayout layout, int sourceOffset, int sourceLength) {
    int cap = layout.maxPayloadSize();
    long declared = ZstdFrameHeader.contentSize(block, sourceOffset, sourceLength);
    if (declared > cap) {
      throw new BlockFormatException(
          sizeMessage(layout, "declares " + declared + " decompressed bytes, the layout allows " + cap));
    }
    // Unknown content size (negative) falls back to the layout's cap, never to input-derived sizes.
    int capacity = declared >= 0 ? (int) declared : cap;
    if (inflated.length < capacity) {
      inflated = new byte[Math.max(capacity, Math.min(cap, inflated.length * 2))];
    }
    if (decompressor == null) {
      decompressor = new ZstdResources.Decompressor(this);
    }
    int size;
    try {
      size = decompressor.context.decompressByteArray(
          inflated, 0, capacity, block, sourceOffset, sourceLength);
    } catch (ZstdException e) {
      throw new BlockFormatException(sizeMessage(layout, "does not decompress: " + e.getMessage()), e);
    } catch (RuntimeException e) {
      throw new BlockFormatException(sizeMessage(layout, "does not decompress: " + e), e);
    }
    data = inflated;
    dataOffset = 0;
    dataLength = size;
  }

  private void indexStrings(PsdbLayout layout, int elements) {
    long lengthsEnd = 2L * elements;
    if (lengthsEnd > dataLength) {
      throw new BlockFormatException(sizeMessage(layout,
          "is " + dataLength + " bytes, too short for the " + elements + " string lengths"));
    }
    if (stringOffsets.length < elements + 1) {
      stringOffsets = new int[Math.max(elements + 1, stringOffsets.length * 2)];
    }
    int[] offsets = stringOffsets;
    byte[] bytes = data;
    int lengthAt = dataOffset;
    int end = dataOffset + dataLength;
    long position = dataOffset + lengthsEnd;
    for (int k = 0; k < elements; k++) {
      offsets[k] = (int) position;
      position += LittleEndian.getUnsignedShort(bytes, lengthAt + 2 * k);
      if (position > end) {
        throw new BlockFormatException(sizeMessage(layout,
            "ends inside string " + k + " (strings need more than " + dataLength + " bytes)"));
      }
    }
    if (position != end) {
      throw new BlockFormatException(sizeMessage(layout,
          "has " + (end - position) + " bytes after the last string"));
    }
    offsets[elements] = (int) position;
  }

  private String sizeMessage(PsdbLayout layout, String problem) {
    return "payload of " + dataType + " block (schema version " + schemaVersion + ", "
        + layout.featureCount() + " features, " + compression() + ") " + problem;
  }

  // ---------------------------------------------------------------- raw access

  /** Features in the bound layout. */
  public int featureCount() {
    return bound().featureCount();
  }

  /** Elements of a feature: its vector length, or 1 for scalars. */
  public int vectorLength(int feature) {
    return bound().vectorLength(feature);
  }

  /**
   * The array holding the decoded payload: the wrapped block itself when uncompressed, else this
   * reader's decompression buffer (valid until the next {@code bind}).
   */
  public byte[] payloadArray() {
    bound();
    return data;
  }

  /** Where the payload starts in {@link #payloadArray()}. */
  public int payloadOffset() {
    bound();
    return dataOffset;
  }

  public int payloadLength() {
    bound();
    return dataLength;
  }

  /**
   * Offset in {@link #payloadArray()} of a feature's value bytes: fixed-width values (all vector
   * elements back to back), a string's UTF-8 bytes, or a string vector's concatenated string bytes
   * (their lengths are at {@link #stringLengthsOffset}). Not defined for bool types (see {@link
   * #bitIndex}).
   */
  public int valueOffset(int feature) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    if (dataType.isString()) {
      return stringOffsets[l.elementStart(feature)];
    }
    if (dataType.isBool()) {
      throw mismatch("valueOffset", feature);
    }
    return dataOffset + l.elementStart(feature) * dataType.width();
  }

  /** Length in bytes of the range {@link #valueOffset} starts. */
  public int valueLength(int feature) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    if (dataType.isString()) {
      return stringOffsets[l.elementStart(feature + 1)] - stringOffsets[l.elementStart(feature)];
    }
    if (dataType.isBool()) {
      throw mismatch("valueLength", feature);
    }
    return l.vectorLength(feature) * dataType.width();
  }

  /** For string vectors: offset in {@link #payloadArray()} of the feature's uint16 lengths. */
  public int stringLengthsOffset(int feature) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    if (!dataType.isString()) {
      throw mismatch("stringLengthsOffset", feature);
    }
    return dataOffset + 2 * l.elementStart(feature);
  }

  /** For bool types: index of the feature's first bit, counted from the payload start, MSB first. */
  public int bitIndex(int feature) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    if (!dataType.isBool()) {
      throw mismatch("bitIndex", feature);
    }
    return l.elementStart(feature);
  }

  /**
   * Length of the feature's cell as the reference returns it in a retrieve response: the raw value
   * bytes for fixed-width types and strings; for string vectors the uint16 lengths followed by the
   * string bytes; for bools one byte (0 or 1) per element.
   */
  public int cellLength(int feature) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    if (dataType.isBool()) {
      return l.vectorLength(feature);
    }
    if (dataType == DataType.STRING_VECTOR) {
      return 2 * l.vectorLength(feature) + valueLength(feature);
    }
    return valueLength(feature);
  }

  /** Copies the feature's cell ({@link #cellLength}) to {@code destination}; returns its length. */
  public int copyCell(int feature, byte[] destination, int offset) {
    int length = cellLength(feature);
    Objects.checkFromIndexSize(offset, length, destination.length);
    PsdbLayout l = bound();
    if (dataType.isBool()) {
      int first = l.elementStart(feature);
      for (int i = 0; i < length; i++) {
        destination[offset + i] = (byte) bit(first + i);
      }
    } else if (dataType == DataType.STRING_VECTOR) {
      int lengths = 2 * l.vectorLength(feature);
      System.arraycopy(data, stringLengthsOffset(feature), destination, offset, lengths);
      System.arraycopy(data, valueOffset(feature), destination, offset + lengths, length - lengths);
    } else {
      System.arraycopy(data, valueOffset(feature), destination, offset, length);
    }
    return length;
  }

  // ---------------------------------------------------------------- typed access, scalars

  /** INT8/16/32 sign-extended, UINT8/16 zero-extended, UINT32 as its bits (as protobuf uint32). */
  public int getInt(int feature) {
    return (int) integer(scalarElement(feature), "getInt", feature, false);
  }

  /** Any integer type; UINT32 zero-extended, UINT64 as its bits. */
  public long getLong(int feature) {
    return integer(scalarElement(feature), "getLong", feature, true);
  }

  /** FP8E5M2, FP8E4M3, FP16 and FP32, widened exactly to float. */
  public float getFloat(int feature) {
    return floatAt(scalarElement(feature), "getFloat", feature);
  }

  /** Any float type, widened exactly to double. */
  public double getDouble(int feature) {
    return doubleAt(scalarElement(feature), "getDouble", feature);
  }

  public boolean getBool(int feature) {
    int at = scalarElement(feature);
    if (scalarId != 15) {
      throw mismatch("getBool", feature);
    }
    return bit(at) != 0;
  }

  /** A STRING feature decoded from UTF-8 (allocates; use the byte range to avoid that). */
  public String getString(int feature) {
    return stringAt(scalarElement(feature), "getString", feature);
  }

  // ---------------------------------------------------------------- typed access, vector elements

  public int getInt(int feature, int element) {
    return (int) integer(vectorElement(feature, element), "getInt", feature, false);
  }

  public long getLong(int feature, int element) {
    return integer(vectorElement(feature, element), "getLong", feature, true);
  }

  public float getFloat(int feature, int element) {
    return floatAt(vectorElement(feature, element), "getFloat", feature);
  }

  public double getDouble(int feature, int element) {
    return doubleAt(vectorElement(feature, element), "getDouble", feature);
  }

  public boolean getBool(int feature, int element) {
    int at = vectorElement(feature, element);
    if (scalarId != 15) {
      throw mismatch("getBool", feature);
    }
    return bit(at) != 0;
  }

  public String getString(int feature, int element) {
    return stringAt(vectorElement(feature, element), "getString", feature);
  }

  // ---------------------------------------------------------------- bulk access

  /**
   * Reads every value of an INT8/16/32 or UINT8/16/32 block (all vector elements, row-major) into
   * {@code destination}, as {@link #getInt} would; returns the number of values.
   */
  public int readInts(int[] destination, int offset) {
    PsdbLayout l = bound();
    return readInts(0, l.elementCount(), destination, offset);
  }

  /** Reads one feature's values (its vector, or its one scalar) as {@link #getInt} would. */
  public int readInts(int feature, int[] destination, int offset) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    return readInts(l.elementStart(feature), l.vectorLength(feature), destination, offset);
  }

  /** Reads every value of an integer block as {@link #getLong} would; returns the number of values. */
  public int readLongs(long[] destination, int offset) {
    PsdbLayout l = bound();
    return readLongs(0, l.elementCount(), destination, offset);
  }

  public int readLongs(int feature, long[] destination, int offset) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    return readLongs(l.elementStart(feature), l.vectorLength(feature), destination, offset);
  }

  /** Reads every value of an FP8/FP16/FP32 block as {@link #getFloat} would. */
  public int readFloats(float[] destination, int offset) {
    PsdbLayout l = bound();
    return readFloats(0, l.elementCount(), destination, offset);
  }

  public int readFloats(int feature, float[] destination, int offset) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    return readFloats(l.elementStart(feature), l.vectorLength(feature), destination, offset);
  }

  /** Reads every value of a float block (FP64 included) as {@link #getDouble} would. */
  public int readDoubles(double[] destination, int offset) {
    PsdbLayout l = bound();
    return readDoubles(0, l.elementCount(), destination, offset);
  }

  public int readDoubles(int feature, double[] destination, int offset) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    return readDoubles(l.elementStart(feature), l.vectorLength(feature), destination, offset);
  }

  private int readInts(int start, int count, int[] destination, int offset) {
    Objects.checkFromIndexSize(offset, count, destination.length);
    byte[] d = data;
    int base = dataOffset;
    switch (scalarId) {
      case 6:
        for (int i = 0; i < count; i++) {
          destination[offset + i] = d[base + start + i];
        }
        break;
      case 10:
        for (int i = 0; i < count; i++) {
          destination[offset + i] = d[base + start + i] & 0xff;
        }
        break;
      case 7:
        for (int i = 0; i < count; i++) {
          destination[offset + i] = (short) LittleEndian.SHORT.get(d, base + (start + i) * 2);
        }
        break;
      case 11:
        for (int i = 0; i < count; i++) {
          destination[offset + i] = (short) LittleEndian.SHORT.get(d, base + (start + i) * 2) & 0xffff;
        }
        break;
      case 8:
      case 12:
        for (int i = 0; i < count; i++) {
          destination[offset + i] = (int) LittleEndian.INT.get(d, base + (start + i) * 4);
        }
        break;
      default:
        throw mismatchBulk("readInts");
    }
    return count;
  }

  private int readLongs(int start, int count, long[] destination, int offset) {
    Objects.checkFromIndexSize(offset, count, destination.length);
    if (scalarId == 9 || scalarId == 13) {
      byte[] d = data;
      int base = dataOffset;
      for (int i = 0; i < count; i++) {
        destination[offset + i] = (long) LittleEndian.LONG.get(d, base + (start + i) * 8);
      }
      return count;
    }
    for (int i = 0; i < count; i++) {
      destination[offset + i] = integer(start + i, "readLongs", start + i, true);
    }
    return count;
  }

  private int readFloats(int start, int count, float[] destination, int offset) {
    Objects.checkFromIndexSize(offset, count, destination.length);
    byte[] d = data;
    int base = dataOffset;
    switch (scalarId) {
      case 1:
        for (int i = 0; i < count; i++) {
          destination[offset + i] = Float8E5M2.toFloat(d[base + start + i]);
        }
        break;
      case 2:
        for (int i = 0; i < count; i++) {
          destination[offset + i] = Float8E4M3.toFloat(d[base + start + i]);
        }
        break;
      case 3:
        for (int i = 0; i < count; i++) {
          destination[offset + i] = Float16.toFloat((short) LittleEndian.SHORT.get(d, base + (start + i) * 2));
        }
        break;
      case 4:
        for (int i = 0; i < count; i++) {
          destination[offset + i] = (float) LittleEndian.FLOAT.get(d, base + (start + i) * 4);
        }
        break;
      default:
        throw mismatchBulk("readFloats");
    }
    return count;
  }

  private int readDoubles(int start, int count, double[] destination, int offset) {
    Objects.checkFromIndexSize(offset, count, destination.length);
    if (scalarId == 5) {
      byte[] d = data;
      int base = dataOffset;
      for (int i = 0; i < count; i++) {
        destination[offset + i] = (double) LittleEndian.DOUBLE.get(d, base + (start + i) * 8);
      }
      return count;
    }
    for (int i = 0; i < count; i++) {
      destination[offset + i] = floatAt(start + i, "readDoubles", start + i);
    }
    return count;
  }

  @Override
  public void close() {
    ZstdResources.Decompressor current = decompressor;
    decompressor = null;
    if (current != null) {
      current.close();
    }
  }

  // ---------------------------------------------------------------- internals

  private int scalarElement(int feature) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    if (dataType.isVector()) {
      throw new OnfsException(ErrorCode.SCHEMA_MISMATCH,
          "feature " + feature + " is a " + dataType + ": read its elements with (feature, element)");
    }
    return feature;
  }

  private int vectorElement(int feature, int element) {
    PsdbLayout l = bound();
    Objects.checkIndex(feature, l.featureCount());
    Objects.checkIndex(element, l.vectorLength(feature));
    return l.elementStart(feature) + element;
  }

  private long integer(int at, String accessor, int feature, boolean wide) {
    byte[] d = data;
    int base = dataOffset;
    switch (scalarId) {
      case 6:
        return d[base + at];
      case 7:
        return LittleEndian.getShort(d, base + at * 2);
      case 8:
        return LittleEndian.getInt(d, base + at * 4);
      case 10:
        return d[base + at] & 0xff;
      case 11:
        return LittleEndian.getUnsignedShort(d, base + at * 2);
      case 12:
        int bits = LittleEndian.getInt(d, base + at * 4);
        return wide ? bits & 0xffff_ffffL : bits;
      case 9:
      case 13:
        if (wide) {
          return LittleEndian.getLong(d, base + at * 8);
        }
        throw mismatch(accessor, feature);
      default:
        throw mismatch(accessor, feature);
    }
  }

  private float floatAt(int at, String accessor, int feature) {
    byte[] d = data;
    int base = dataOffset;
    switch (scalarId) {
      case 1:
        return Float8E5M2.toFloat(d[base + at]);
      case 2:
        return Float8E4M3.toFloat(d[base + at]);
      case 3:
        return Float16.toFloat(LittleEndian.getShort(d, base + at * 2));
      case 4:
        return LittleEndian.getFloat(d, base + at * 4);
      default:
        throw mismatch(accessor, feature);
    }
  }

  private double doubleAt(int at, String accessor, int feature) {
    if (scalarId == 5) {
      return LittleEndian.getDouble(data, dataOffset + at * 8);
    }
    return floatAt(at, accessor, feature);
  }

  private String stringAt(int at, String accessor, int feature) {
    if (scalarId != 14) {
      throw mismatch(accessor, feature);
    }
    int start = stringOffsets[at];
    return new String(data, start, stringOffsets[at + 1] - start, StandardCharsets.UTF_8);
  }

  private int bit(int index) {
    return (data[dataOffset + (index >>> 3)] >>> (7 - (index & 7))) & 1;
  }

  private OnfsException mismatch(String accessor, int feature) {
    return new OnfsException(ErrorCode.SCHEMA_MISMATCH,
        "feature " + feature + ": " + accessor + " cannot read a " + dataType + " block");
  }

  private OnfsException mismatchBulk(String accessor) {
    return new OnfsException(ErrorCode.SCHEMA_MISMATCH, accessor + " cannot read a " + dataType + " block");
  }

  private PsdbLayout bound() {
    PsdbLayout l = layout;
    if (l == null) {
      throw new IllegalStateException("call wrap(...) and bind(layout) first");
    }
    return l;
  }

  private void checkWrapped() {
    if (!wrapped) {
      throw new IllegalStateException("call wrap(...) first");
    }
  }
}
