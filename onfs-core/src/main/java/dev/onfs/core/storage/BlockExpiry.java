package dev.onfs.core.storage;

import dev.onfs.core.codec.PsdbExpiry;
import java.util.List;

/**
 * Reads the expiry that every PSDB block carries in header bytes 2-6 (see {@link PsdbExpiry}); 0 means
 * never. The only part of a block a store interprets; blocks get their expiry from the encoder.
 */
public final class BlockExpiry {
  /** Bytes a block needs before its expiry can be read (header bytes 0-6). */
  public static final int MIN_BLOCK_LENGTH = 7;
  private BlockExpiry() {}

  /**
   * The expiry of the block in {@code array[offset, offset+length)} as epoch seconds, or 0 when it never
   * expires (or the range is too short to carry a header).
   */
  public static long expiryEpochSecond(byte[] array, int offset, int length) {
    if (length < MIN_BLOCK_LENGTH) {
      return 0;
    }
    // The codec's decoder: one implementation of the format, and no allocation per block read.
    long packed = PsdbExpiry.read(array, offset + 2);
    return packed == 0 ? 0 : PsdbExpiry.unpack(packed);
  }

  /**
   * The expiry of an entity holding {@code blocks}, as stores set their own TTL from it: 0 when any block
   * never expires, otherwise the latest block expiry in epoch seconds (1, long past, when there are none).
   */
  public static long latestExpiryEpochSecond(List<ByteRange> blocks) {
    long latest = 1;
    for (ByteRange block : blocks) {
      long expiry = expiryEpochSecond(block.array(), block.offset(), block.length());
      if (expiry == 0) {
        return 0;
      }
      latest = Math.max(latest, expiry);
    }
    return latest;
  }

  /** True when the block has an expiry and it lies before {@code nowEpochSecond}. */
  public static boolean isExpired(byte[] array, int offset, int length, long nowEpochSecond) {
    long expiry = expiryEpochSecond(array, offset, length);
    return expiry != 0 && expiry < nowEpochSecond;
  }
}
