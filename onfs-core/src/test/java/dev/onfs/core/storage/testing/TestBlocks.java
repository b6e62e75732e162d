package dev.onfs.core.storage.testing;

import dev.onfs.core.codec.PsdbCompression;
import dev.onfs.core.codec.PsdbEncoder;
import dev.onfs.core.codec.PsdbLayout;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.types.DataType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Deterministic PSDB-shaped blocks for store tests: a 9-byte layout-1 header (with a real expiry) and a
 * payload derived from (key, feature group, version), so a reader can tell which write a block came
 * from and whether it is whole.
 */
public final class TestBlocks {
  public static final int HEADER_LENGTH = 9;

  private TestBlocks() {}

  /** A block of {@code payloadLength} (at least 4) payload bytes that never expires. */
  public static ByteRange block(EntityKey key, int fgId, int version, int payloadLength) {
    return block(key, fgId, version, payloadLength, 0, 0);
  }

  /**
   * A block expiring at {@code expiryEpochSecond} (0 = never), its expiry bytes written by the codec as
   * at {@code nowEpochSecond}.
   */
  public static ByteRange block(
      EntityKey key, int fgId, int version, int payloadLength, long expiryEpochSecond, long nowEpochSecond) {
    if (payloadLength < 4) {
      throw new IllegalArgumentException("payloadLength must be at least 4");
    }
    byte[] b = new byte[HEADER_LENGTH + payloadLength];
    b[0] = 1; // feature schema version 1
    if (expiryEpochSecond != 0) {
      System.arraycopy(expiryHeader(expiryEpochSecond, nowEpochSecond), 2, b, 2, 5);
    }
    b[7] = (byte) (1 << 4); // layout 1, no compression, type bits 0
    b[8] = (byte) (8 << 4); // int32 type id in the high nibble
    int p = HEADER_LENGTH;
    b[p] = (byte) version;
    b[p + 1] = (byte) (version >>> 8);
    b[p + 2] = (byte) (version >>> 16);
    b[p + 3] = (byte) (version >>> 24);
    long seed = seed(key, fgId, version);
    for (int i = p + 4; i < b.length; i++) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      b[i] = (byte) (seed >>> 56);
    }
    return ByteRange.of(b);
  }

  /** The version a block produced by {@link #block} carries. */
  public static int version(ByteRange block) {
    int p = HEADER_LENGTH;
    return (block.get(p) & 0xFF) | (block.get(p + 1) & 0xFF) << 8 | (block.get(p + 2) & 0xFF) << 16
        | (block.get(p + 3) & 0xFF) << 24;
  }

  /** A block whose payload holds every byte value 0..255 and then {@code extra}, never expiring. */
  public static ByteRange binaryBlock(byte[] extra) {
    byte[] b = new byte[HEADER_LENGTH + 256 + extra.length];
    b[0] = 1;
    b[7] = (byte) (1 << 4);
    for (int i = 0; i < 256; i++) {
      b[HEADER_LENGTH + i] = (byte) (255 - i);
    }
    System.arraycopy(extra, 0, b, HEADER_LENGTH + 256, extra.length);
    return ByteRange.of(b);
  }

  /** The header of a real encoded block expiring at {@code expiryEpochSecond}, written at {@code nowEpochSecond}. */
  private static byte[] expiryHeader(long expiryEpochSecond, long nowEpochSecond) {
    PsdbEncoder encoder = PsdbEncoder.create(InstantSource.fixed(Instant.ofEpochSecond(nowEpochSecond)));
    encoder.beginExpiringAt(PsdbLayout.scalars(DataType.INT32, 1), 1, expiryEpochSecond, PsdbCompression.NONE)
        .addInt(0)
        .finish();
    return encoder.toByteArray();
  }

  private static long seed(EntityKey key, int fgId, int version) {
    long h = 1125899906842597L;
    for (String v : key.values()) {
      for (byte c : v.getBytes(StandardCharsets.UTF_8)) {
        h = 31 * h + c;
      }
      h = 31 * h + 0x7f;
    }
    return h * 31 * 31 + fgId * 31L + version;
  }
}
