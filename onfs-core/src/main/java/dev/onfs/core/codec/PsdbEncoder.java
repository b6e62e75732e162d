package dev.onfs.core.codec;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.Zstd;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import dev.onfs.core.types.Float16;
import dev.onfs.core.types.Float8E4M3;
import dev.onfs.core.types.Float8E5M2;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Writes PSDB layout-1 blocks, one feature group version per block, byte-compatible with the
 * reference.
 *
 * <p>Usage: {@link #begin} a block, append every value in feature order (vector elements row-major,
 * each vector opened with {@link #startVector} or written whole with an {@code add*Vector} method),
 * {@link #finish()} to learn the exact size, then {@link #writeTo} a caller's buffer. To skip that copy,
 * {@link #beginInto} writes the block straight into a caller's buffer sized with {@link
 * #maxSerializedSize}, where {@code finish} leaves it. Values come as
 * Java primitives so protobuf repeated fields (double for FP8/FP16/FP32/FP64, int for INT8..INT32 and
 * UINT8..UINT32, long for INT64/UINT64, String, boolean) and plain arrays feed it without boxing.
 *
 * <p>Out-of-range values are rejected with an {@link OnfsException} ({@link
 * ErrorCode#INVALID_ARGUMENT}) naming the feature index and the value: an integer outside its type's
 * range, a string longer than its maximum length, a vector of the wrong length, a value of the wrong
 * kind, a missing or surplus value. Floats are never rejected: they round and saturate exactly as the
 * reference does (see {@link Float16}, {@link Float8E4M3}, {@link Float8E5M2}); doubles for FP32 and
 * narrower are first rounded to float.
 *
 * <p>Not thread-safe; keep one per thread and reuse it, its buffers only grow. {@link #close()} frees
 * the native zstd context early (otherwise a cleaner frees it once the encoder is unreachable).
 */
public final class PsdbEncoder implements AutoCloseable {
  /** Bytes of the layout-1 header. */
  public static final int HEADER_BYTES = 9;
  /** The layout version this encoder writes. */
  public static final int LAYOUT_VERSION = 1;
  /** The zstd level used unless another is given. */
  public static final int DEFAULT_ZSTD_LEVEL = 3;

  /** Header byte 7's flag for a zstd-compressed payload. */
  private static final int COMPRESSED_BIT = 1 << 1;
  /** The BOOL scalar id. */
  private static final int BOOL_ID = 15;
  /**
   * No zstd frame is shorter than 10 bytes (magic 4, frame header 2, block header 3, one content
   * byte), so payloads up to this size are never stored compressed and are not handed to zstd.
   */
  private static final int NEVER_SMALLER_WHEN_COMPRESSED = 10;

  private final InstantSource clock;
  private final int zstdLevel;
  private ZstdResources.@Nullable Compressor compressor;

  /** Where blocks are built unless the caller gives its own buffer: header, then payload. */
  private byte[] scratch = new byte[HEADER_BYTES + 256];
  /** The block being written: {@link #scratch} or the caller's buffer given to {@link #beginInto}. */
  private byte[] buffer = scratch;
  /** Index of the block's header in {@link #buffer}. */
  private int blockStart;
  /** Index of the block's payload in {@link #buffer}: {@code blockStart + HEADER_BYTES}. */
  private int base = HEADER_BYTES;
  private boolean direct;
  /**
   * Little-endian views over {@link #buffer} from {@link #base} for bulk copies; rebuilt when the buffer
   * or the base changes (for {@link #scratch}, only when it grows).
   */
  private byte @Nullable [] viewBuffer;
  private int viewBase;
  private @Nullable IntBuffer intView;
  private @Nullable LongBuffer longView;
  private @Nullable FloatBuffer floatView;
  private @Nullable DoubleBuffer doubleView;
  private byte[] compressed = new byte[0];

  /**
   * The layout of the current or last block, and what it fixes ({@link #bindLayout}): kept across
   * blocks, because a writer usually encodes many blocks of one layout in a row and re-deriving them
   * was a measurable part of a small block's cost.
   */
  private @Nullable PsdbLayout layout;
  private DataType dataType = DataType.UNKNOWN;
  private int scalarId;
  private boolean vectorType;
  private int featureCount;
  private int elementCount;
  private int maxPayload;
  /** Payload bytes of a finished block: fixed for all but strings, where it is -1. */
  private int fixedPayloadLength;
  /** Bytes of string lengths before the string data (0 unless strings). */
  private int stringLengthBytes;
  /** Header byte 7 (layout version, type id bit 4; compressed bit clear) and byte 8 (type id, bool padding). */
  private byte headerByte7;
  private byte headerByte8;
  private PsdbCompression compression = PsdbCompression.NONE;

  private int element;
  private int feature;
  private int featureEnd = -1;
  private int stringData;

  private boolean finished;
  private boolean useCompressed;
  private int outputPayloadLength;

  private PsdbEncoder(InstantSource clock, int zstdLevel) {
    this.clock = clock;
    this.zstdLevel = zstdLevel;
  }

  /** An encoder on the system clock with the default zstd level. */
  public static PsdbEncoder create() {
    return new PsdbEncoder(InstantSource.system(), DEFAULT_ZSTD_LEVEL);
  }

  /** An encoder whose expiries are computed from {@code clock}. */
  public static PsdbEncoder create(InstantSource clock) {
    return create(clock, DEFAULT_ZSTD_LEVEL);
  }

  /** An encoder with a clock and a zstd level (1..19; negative levels are zstd's fast modes). */
  public static PsdbEncoder create(InstantSource clock, int zstdLevel) {
    requireNonNull(clock, "clock is null");
    if (zstdLevel < -7 || zstdLevel > 19 || zstdLevel == 0) {
      throw new IllegalArgumentException("zstdLevel " + zstdLevel + " is outside -7..-1, 1..19");
    }
    return new PsdbEncoder(clock, zstdLevel);
  }

  /**
   * The largest block a layout can produce, compressed or not: allocate this once to never need a
   * second buffer.
   */
  public static int maxSerializedSize(PsdbLayout layout) {
    return HEADER_BYTES + layout.maxPayloadSize();
  }

  /**
   * Starts a block expiring {@code ttlSeconds} from now (0 = never expires, as in the reference).
   *
   * @param schemaVersion the feature group version the values follow (0..65535)
   */
  public PsdbEncoder begin(
      PsdbLayout layout, int schemaVersion, long ttlSeconds, PsdbCompression compression) {
    return start(layout, schemaVersion, packedExpiry(ttlSeconds), compression, scratch, 0, false);
  }

  /**
   * As {@link #begin}, but writes the block straight into {@code destination} at {@code offset}, header
   * first, so that it needs no copy afterwards: {@link #finish()} leaves the finished block there (its
   * size is what {@code finish} returns). {@code destination} needs {@link #maxSerializedSize} bytes of
   * room from {@code offset}; bytes after the finished block within that room are left unspecified.
   */
  public PsdbEncoder beginInto(
      byte[] destination,
      int offset,
      PsdbLayout layout,
      int schemaVersion,
      long ttlSeconds,
      PsdbCompression compression) {
    requireNonNull(destination, "destination is null");
    requireNonNull(layout, "layout is null");
    java.util.Objects.checkFromIndexSize(offset, maxSerializedSize(layout), destination.length);
    return start(layout, schemaVersion, packedExpiry(ttlSeconds), compression, destination, offset, true);
  }

  private long packedExpiry(long ttlSeconds) {
    if (ttlSeconds < 0 || ttlSeconds > PsdbExpiry.MAX_AHEAD_SECONDS) {
      throw invalid("ttl of " + ttlSeconds + " seconds is outside 0.." + PsdbExpiry.MAX_AHEAD_SECONDS
          + " (513 days)");
    }
    if (ttlSeconds == 0) {
      return PsdbExpiry.NEVER; // no clock read: a block that never expires does not need the time
    }
    long now = Math.floorDiv(clock.millis(), 1000);
    return PsdbExpiry.pack(now + ttlSeconds);
  }

  /**
   * Starts a block expiring at an absolute time (epoch seconds, 0 = never), which must lie after now
   * and at most 513 days ahead, as the reference requires.
   */
  public PsdbEncoder beginExpiringAt(
      PsdbLayout layout, int schemaVersion, long expiresAtEpochSecond, PsdbCompression compression) {
    long packed = PsdbExpiry.NEVER;
    if (expiresAtEpochSecond != 0) {
      long now = Math.floorDiv(clock.millis(), 1000);
      if (expiresAtEpochSecond <= now) {
        throw invalid("expiry " + expiresAtEpochSecond + " is not after now (" + now + ")");
      }
      if (expiresAtEpochSecond - now > PsdbExpiry.MAX_AHEAD_SECONDS) {
        throw invalid("expiry " + expiresAtEpochSecond + " is more than 513 days after now (" + now + ")");
      }
      packed = PsdbExpiry.pack(expiresAtEpochSecond);
    }
    return start(layout, schemaVersion, packed, compression, scratch, 0, false);
  }

  private PsdbEncoder start(
      PsdbLayout layout,
      int schemaVersion,
      long packedExpiry,
      PsdbCompression compression,
      byte[] target,
      int offset,
      boolean intoCaller) {
    requireNonNull(layout, "layout is null");
    requireNonNull(compression, "compression is null");
    if (schemaVersion < 0 || schemaVersion > 0xffff) {
      throw invalid("schema version " + schemaVersion + " is outside 0..65535");
    }
    if (layout != this.layout) {
      bindLayout(layout);
    }
    // Reference fields are stored only when they change: each store costs a GC write barrier.
    if (compression != this.compression) {
      this.compression = compression;
    }
    this.element = 0;
    this.feature = 0;
    this.featureEnd = -1;
    this.finished = false;
    int max = maxPayload;
    if (!intoCaller && scratch.length < HEADER_BYTES + max) {
      scratch = new byte[HEADER_BYTES + Math.max(max, scratch.length * 2)];
      target = scratch;
    }
    if (target != buffer) {
      this.buffer = target;
    }
    this.direct = intoCaller;
    this.blockStart = offset;
    int payload = offset + HEADER_BYTES;
    this.base = payload;
    if (scalarId == BOOL_ID) {
      Arrays.fill(target, payload, payload + max, (byte) 0);
    }
    stringData = payload + stringLengthBytes;

    LittleEndian.putShort(target, offset, schemaVersion);
    PsdbExpiry.write(target, offset + 2, packedExpiry);
    target[offset + 7] = headerByte7;
    target[offset + 8] = headerByte8;
    return this;
  }

  /** Derives once per layout what every block of it shares. */
  private void bindLayout(PsdbLayout layout) {
    DataType type = layout.dataType();
    int elements = layout.elementCount();
    int id = type.id();
    this.layout = layout;
    this.dataType = type;
    this.scalarId = type.scalar().id();
    this.vectorType = type.isVector();
    this.featureCount = layout.featureCount();
    this.elementCount = elements;
    this.maxPayload = layout.maxPayloadSize();
    this.stringLengthBytes = type.isString() ? 2 * elements : 0;
    int padding = 0;
    if (type.isBool()) {
      fixedPayloadLength = (elements + 7) >>> 3;
      padding = (8 - (elements & 7)) & 7; // unused low bits of the last payload byte
    } else if (type.isString()) {
      fixedPayloadLength = -1;
    } else {
      fixedPayloadLength = elements * type.width();
    }
    headerByte7 = (byte) ((LAYOUT_VERSION << 4) | ((id >>> 4) & 1));
    headerByte8 = (byte) (((id & 0xf) << 4) | padding);
  }

  // ---------------------------------------------------------------- vectors

  /** Opens the next vector feature; {@code length} must equal the layout's vector length. */
  public PsdbEncoder startVector(int length) {
    checkOpen();
    if (!vectorType) {
      throw invalid("startVector(" + length + ") on a " + dataType + " block, which has no vectors");
    }
    if (featureEnd >= 0) {
      throw invalid("feature " + feature + ": vector has " + (featureEnd - element)
          + " elements still missing");
    }
    if (feature >= featureCount) {
      throw invalid("all " + featureCount + " features are written; got another vector");
    }
    int expected = layoutOrThrow().vectorLength(feature);
    if (length != expected) {
      throw invalid("feature " + feature + ": vector of length " + length + ", layout says " + expected);
    }
    if (length == 0) {
      feature++;
    } else {
      featureEnd = element + length;
    }
    return this;
  }

  public PsdbEncoder addDoubleVector(double[] values) {
    return startVector(values.length).addDoubles(values, 0, values.length);
  }

  public PsdbEncoder addFloatVector(float[] values) {
    return startVector(values.length).addFloats(values, 0, values.length);
  }

  public PsdbEncoder addIntVector(int[] values) {
    return startVector(values.length).addInts(values, 0, values.length);
  }

  public PsdbEncoder addLongVector(long[] values) {
    return startVector(values.length).addLongs(values, 0, values.length);
  }

  public PsdbEncoder addBoolVector(boolean[] values) {
    return startVector(values.length).addBools(values, 0, values.length);
  }

  public PsdbEncoder addStringVector(String[] values) {
    startVector(values.length);
    for (String value : values) {
      addString(value);
    }
    return this;
  }

  // ---------------------------------------------------------------- single values

  /** Appends a value of an FP8E5M2, FP8E4M3, FP16, FP32 or FP64 feature (or vector element). */
  public PsdbEncoder addDouble(double value) {
    int at = reserve(1);
    switch (scalarId) {
      case 5: // FP64
        LittleEndian.DOUBLE.set(buffer, base + at * 8, value);
        break;
      case 1:
      case 2:
      case 3:
      case 4:
        putFloat(at, (float) value);
        break;
      default:
        throw wrongKind("double", Double.toString(value));
    }
    advance(1);
    return this;
  }

  /** Appends a value of a float feature; FP64 features store it widened. */
  public PsdbEncoder addFloat(float value) {
    int at = reserve(1);
    if (scalarId == 5) {
      LittleEndian.DOUBLE.set(buffer, base + at * 8, (double) value);
    } else if (scalarId >= 1 && scalarId <= 4) {
      putFloat(at, value);
    } else {
      throw wrongKind("float", Float.toString(value));
    }
    advance(1);
    return this;
  }

  /**
   * Appends a value of an integer feature. For UINT32 the int's bits are the unsigned value (as
   * protobuf's uint32); for UINT8/UINT16/UINT64 it must not be negative.
   */
  public PsdbEncoder addInt(int value) {
    int at = reserve(1);
    if (scalarId == 12) { // UINT32: protobuf hands uint32 over as an int holding the bits
      LittleEndian.putInt(buffer, base + at * 4, value);
    } else if (scalarId == 13 && value < 0) {
      throw invalid("feature " + currentFeature() + ": value " + value + " is negative for UINT64");
    } else {
      putInteger(at, value);
    }
    advance(1);
    return this;
  }

  /**
   * Appends a value of an integer feature. For UINT64 the long's bits are the unsigned value (as
   * protobuf's uint64); other types check their range.
   */
  public PsdbEncoder addLong(long value) {
    int at = reserve(1);
    putInteger(at, value);
    advance(1);
    return this;
  }

  /** Appends a value of a BOOL feature or BOOL_VECTOR element. */
  public PsdbEncoder addBool(boolean value) {
    int at = reserve(1);
    if (scalarId != 15) {
      throw wrongKind("boolean", Boolean.toString(value));
    }
    if (value) {
      buffer[base + (at >>> 3)] |= (byte) (0x80 >>> (at & 7));
    }
    advance(1);
    return this;
  }

  /** Appends a value of a STRING feature or STRING_VECTOR element, stored as UTF-8. */
  public PsdbEncoder addString(String value) {
    requireNonNull(value, "value is null");
    int at = reserve(1);
    if (scalarId != 14) {
      throw wrongKind("string", quote(value));
    }
    int max = layoutOrThrow().stringMaxLength(currentFeature());
    int length = value.length();
    if (length > max) { // UTF-8 is never shorter than the UTF-16 char count
      throw tooLong(value, length, max);
    }
    int pos = stringData;
    byte[] out = buffer;
    int i = 0;
    for (; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        break;
      }
      out[pos + i] = (byte) c;
    }
    if (i < length) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      if (utf8.length > max) {
        throw tooLong(value, utf8.length, max);
      }
      System.arraycopy(utf8, 0, out, pos, utf8.length);
      length = utf8.length;
    }
    LittleEndian.putShort(out, base + 2 * at, length);
    stringData = pos + length;
    advance(1);
    return this;
  }

  /** Appends a string given as UTF-8 bytes (not validated as UTF-8, as in the reference). */
  public PsdbEncoder addString(byte[] utf8, int offset, int length) {
    requireNonNull(utf8, "utf8 is null");
    java.util.Objects.checkFromIndexSize(offset, length, utf8.length);
    int at = reserve(1);
    if (scalarId != 14) {
      throw wrongKind("string", length + " bytes");
    }
    int max = layoutOrThrow().stringMaxLength(currentFeature());
    if (length > max) {
      throw tooLong(new String(utf8, offset, Math.min(length, 64), StandardCharsets.UTF_8), length, max);
    }
    System.arraycopy(utf8, offset, buffer, stringData, length);
    LittleEndian.putShort(buffer, base + 2 * at, length);
    stringData += length;
    advance(1);
    return this;
  }

  // ---------------------------------------------------------------- bulk

  /** Appends {@code length} values, as {@link #addDouble} each. */
  public PsdbEncoder addDoubles(double[] values, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, values.length);
    int at = reserve(length);
    if (scalarId == 5) {
      doubleView().put(at, values, offset, length);
    } else if (scalarId >= 1 && scalarId <= 4) {
      for (int i = 0; i < length; i++) {
        putFloat(at + i, (float) values[offset + i]);
      }
    } else if (length > 0) {
      throw wrongKind("double", Double.toString(values[offset]));
    }
    advance(length);
    return this;
  }

  /** Appends {@code length} values, as {@link #addFloat} each. */
  public PsdbEncoder addFloats(float[] values, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, values.length);
    int at = reserve(length);
    if (scalarId == 4) {
      // Same layout as the float[]: a bulk little-endian copy.
      floatView().put(at, values, offset, length);
    } else if (scalarId == 5) {
      for (int i = 0; i < length; i++) {
        LittleEndian.DOUBLE.set(buffer, base + (at + i) * 8, (double) values[offset + i]);
      }
    } else if (scalarId >= 1 && scalarId <= 3) {
      for (int i = 0; i < length; i++) {
        putFloat(at + i, values[offset + i]);
      }
    } else if (length > 0) {
      throw wrongKind("float", Float.toString(values[offset]));
    }
    advance(length);
    return this;
  }

  /** Appends {@code length} values, as {@link #addInt} each. */
  public PsdbEncoder addInts(int[] values, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, values.length);
    int at = reserve(length);
    if (scalarId == 8 || scalarId == 12) { // INT32, UINT32: every int is valid; bulk copy
      intView().put(at, values, offset, length);
    } else {
      for (int i = 0; i < length; i++) {
        int value = values[offset + i];
        if (scalarId == 13 && value < 0) {
          throw invalid("feature " + featureOfElement(at + i) + ": value " + value + " is negative for UINT64");
        }
        putIntegerAt(at + i, value, featureOfElement(at + i));
      }
    }
    advance(length);
    return this;
  }

  /** Appends {@code length} values, as {@link #addLong} each. */
  public PsdbEncoder addLongs(long[] values, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, values.length);
    int at = reserve(length);
    if (scalarId == 9 || scalarId == 13) {
      longView().put(at, values, offset, length);
    } else {
      for (int i = 0; i < length; i++) {
        putIntegerAt(at + i, values[offset + i], featureOfElement(at + i));
      }
    }
    advance(length);
    return this;
  }

  /** Appends {@code length} values, as {@link #addBool} each. */
  public PsdbEncoder addBools(boolean[] values, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, values.length);
    int at = reserve(length);
    if (scalarId != 15) {
      if (length > 0) {
        throw wrongKind("boolean", Boolean.toString(values[offset]));
      }
    } else {
      byte[] out = buffer;
      int from = base;
      for (int i = 0; i < length; i++) {
        int bit = at + i;
        // Branch-free: random booleans would defeat the branch predictor.
        out[from + (bit >>> 3)] |= (byte) ((values[offset + i] ? 0x80 : 0) >>> (bit & 7));
      }
    }
    advance(length);
    return this;
  }

  // ---------------------------------------------------------------- output

  /**
   * Completes the block: checks every value was given, compresses when asked and when that makes the
   * payload smaller, and returns the exact serialized size.
   */
  public int finish() {
    checkOpen();
    if (element != elementCount || featureEnd >= 0) {
      throw invalid("block incomplete: feature " + currentFeature() + " of " + featureCount
          + " is next; " + (elementCount - element) + " values missing");
    }
    byte[] out = buffer;
    int payloadLength = fixedPayloadLength >= 0 ? fixedPayloadLength : stringData - base;
    useCompressed = false;
    outputPayloadLength = payloadLength;
    if (compression == PsdbCompression.ZSTD && payloadLength > NEVER_SMALLER_WHEN_COMPRESSED) {
      int bound = (int) Zstd.compressBound(payloadLength);
      if (compressed.length < bound) {
        compressed = new byte[bound];
      }
      if (compressor == null) {
        compressor = new ZstdResources.Compressor(this, zstdLevel);
      }
      int size = compressor.context.compressByteArray(compressed, 0, bound, out, base, payloadLength);
      if (size < payloadLength) {
        useCompressed = true;
        outputPayloadLength = size;
        if (direct) {
          // The caller's buffer is the block's final place: the smaller payload replaces the plain one.
          System.arraycopy(compressed, 0, out, base, size);
        }
        out[blockStart + 7] = (byte) (headerByte7 | COMPRESSED_BIT);
      }
    }
    finished = true;
    return HEADER_BYTES + outputPayloadLength;
  }

  /** The size {@link #finish()} returned. */
  public int serializedSize() {
    checkFinished();
    return HEADER_BYTES + outputPayloadLength;
  }

  /** Whether the finished block's payload is zstd-compressed. */
  public boolean isCompressed() {
    checkFinished();
    return useCompressed;
  }

  /** Copies the finished block to {@code destination} at {@code offset}; returns bytes written. */
  public int writeTo(byte[] destination, int offset) {
    checkFinished();
    int size = HEADER_BYTES + outputPayloadLength;
    java.util.Objects.checkFromIndexSize(offset, size, destination.length);
    if (useCompressed && !direct) {
      System.arraycopy(buffer, blockStart, destination, offset, HEADER_BYTES);
      System.arraycopy(compressed, 0, destination, offset + HEADER_BYTES, outputPayloadLength);
    } else {
      System.arraycopy(buffer, blockStart, destination, offset, size);
    }
    return size;
  }

  /** The finished block as a new array. */
  public byte[] toByteArray() {
    byte[] block = new byte[serializedSize()];
    writeTo(block, 0);
    return block;
  }

  /** Frees the native zstd context; the encoder stays usable and recreates it when needed. */
  @Override
  public void close() {
    ZstdResources.Compressor current = compressor;
    compressor = null;
    if (current != null) {
      current.close();
    }
  }

  // ---------------------------------------------------------------- internals

  /** The payload from {@link #base} to the buffer's end, little-endian; clears stale views first. */
  private ByteBuffer littleEndianPayload() {
    if (viewBuffer != buffer || viewBase != base) {
      viewBuffer = buffer;
      viewBase = base;
      intView = null;
      longView = null;
      floatView = null;
      doubleView = null;
    }
    return ByteBuffer.wrap(buffer, base, buffer.length - base).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private IntBuffer intView() {
    IntBuffer view = intView;
    return view != null && viewBuffer == buffer && viewBase == base
        ? view : (intView = littleEndianPayload().asIntBuffer());
  }

  private LongBuffer longView() {
    LongBuffer view = longView;
    return view != null && viewBuffer == buffer && viewBase == base
        ? view : (longView = littleEndianPayload().asLongBuffer());
  }

  private FloatBuffer floatView() {
    FloatBuffer view = floatView;
    return view != null && viewBuffer == buffer && viewBase == base
        ? view : (floatView = littleEndianPayload().asFloatBuffer());
  }

  private DoubleBuffer doubleView() {
    DoubleBuffer view = doubleView;
    return view != null && viewBuffer == buffer && viewBase == base
        ? view : (doubleView = littleEndianPayload().asDoubleBuffer());
  }

  private void putFloat(int at, float value) {
    switch (scalarId) {
      case 1:
        buffer[base + at] = Float8E5M2.fromFloat(value);
        break;
      case 2:
        buffer[base + at] = Float8E4M3.fromFloat(value);
        break;
      case 3:
        LittleEndian.SHORT.set(buffer, base + at * 2, Float16.fromFloat(value));
        break;
      default:
        LittleEndian.FLOAT.set(buffer, base + at * 4, value);
        break;
    }
  }

  private void putInteger(int at, long value) {
    putIntegerAt(at, value, currentFeature());
  }

  private void putIntegerAt(int at, long value, int featureIndex) {
    byte[] out = buffer;
    int from = base;
    switch (scalarId) {
      case 6: // INT8
        checkRange(value, Byte.MIN_VALUE, Byte.MAX_VALUE, featureIndex);
        out[from + at] = (byte) value;
        break;
      case 7: // INT16
        checkRange(value, Short.MIN_VALUE, Short.MAX_VALUE, featureIndex);
        LittleEndian.SHORT.set(out, from + at * 2, (short) value);
        break;
      case 8: // INT32
        checkRange(value, Integer.MIN_VALUE, Integer.MAX_VALUE, featureIndex);
        LittleEndian.INT.set(out, from + at * 4, (int) value);
        break;
      case 9: // INT64
      case 13: // UINT64: the long's bits
        LittleEndian.LONG.set(out, from + at * 8, value);
        break;
      case 10: // UINT8
        checkRange(value, 0, 0xff, featureIndex);
        out[from + at] = (byte) value;
        break;
      case 11: // UINT16
        checkRange(value, 0, 0xffff, featureIndex);
        LittleEndian.SHORT.set(out, from + at * 2, (short) value);
        break;
      case 12: // UINT32
        checkRange(value, 0, 0xffff_ffffL, featureIndex);
        LittleEndian.INT.set(out, from + at * 4, (int) value);
        break;
      default:
        throw wrongKind("integer", Long.toString(value));
    }
  }

  private void checkRange(long value, long min, long max, int featureIndex) {
    if (value < min || value > max) {
      throw invalid("feature " + featureIndex + ": value " + value + " is outside the " + dataType.scalar()
          + " range " + min + ".." + max);
    }
  }

  /** Checks room for {@code count} more values at the cursor and returns the first element index. */
  private int reserve(int count) {
    checkOpen();
    if (count == 0) {
      return element;
    }
    if (vectorType) {
      if (featureEnd < 0) {
        if (feature >= featureCount) {
          throw invalid("all " + featureCount + " features are written; got more values");
        }
        throw invalid("feature " + feature + ": call startVector(" + layoutOrThrow().vectorLength(feature)
            + ") before its elements");
      }
      if (count > featureEnd - element) {
        throw invalid("feature " + feature + ": " + count + " more elements overflow its vector of length "
            + layoutOrThrow().vectorLength(feature) + " (" + (featureEnd - element) + " left)");
      }
    } else if (count > elementCount - element) {
      throw invalid("all " + featureCount + " features are written; got " + (count - (elementCount - element))
          + " more values");
    }
    return element;
  }

  private void advance(int count) {
    if (count == 0) {
      return;
    }
    element += count;
    if (vectorType) {
      if (element == featureEnd) {
        feature++;
        featureEnd = -1;
      }
    } else {
      feature = element;
    }
  }

  private int currentFeature() {
    return vectorType ? feature : element;
  }

  private int featureOfElement(int at) {
    return vectorType ? feature : at;
  }

  private void checkOpen() {
    if (layout == null) {
      throw new IllegalStateException("call begin(...) first");
    }
    if (finished) {
      throw new IllegalStateException("block already finished; call begin(...) for the next one");
    }
  }

  private void checkFinished() {
    if (!finished) {
      throw new IllegalStateException("call finish() first");
    }
  }

  private PsdbLayout layoutOrThrow() {
    PsdbLayout current = layout;
    if (current == null) {
      throw new IllegalStateException("call begin(...) first");
    }
    return current;
  }

  private OnfsException wrongKind(String kind, String value) {
    return invalid("feature " + currentFeature() + ": a " + kind + " value (" + value + ") for a "
        + dataType + " feature");
  }

  private OnfsException tooLong(String value, int length, int max) {
    return invalid("feature " + currentFeature() + ": string " + quote(value) + " is " + length
        + " UTF-8 bytes, longer than its max length " + max);
  }

  private static String quote(String value) {
    return value.length() <= 64 ? "'" + value + "'" : "'" + value.substring(0, 61) + "...'";
  }

  private static OnfsException invalid(String message) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
