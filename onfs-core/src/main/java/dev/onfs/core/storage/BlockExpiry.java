package dev.onfs.core.storage;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.codec.PsdbExpiry;
import java.time.LocalDate;
import java.util.List;

/**
 * Reads and writes the expiry that every PSDB block carries in header bytes 2-6: a 40-bit value
 * {@code [14 bits year][9 bits day of year][17 bits second of day]} (UTC), stored as its high 32 bits as a
 * little-endian uint32 at bytes 2-5 and its low 8 bits at byte 6; 0 means never. The only part of a
 * block a store interprets.
 */
public final class BlockExpiry {
  /** Bytes a block needs before its expiry can be read (header bytes 0-6). */
  public static final int MIN_BLOCK_LENGTH = 7;
  /** The reference rejects expiries further ahead than this many days. */
  public static final int MAX_DAYS_AHEAD = 513;

  private static final int DAY_BITS = 9;
  private static final int SECOND_BITS = 17;
  private static final long SECONDS_PER_DAY = 86_400;

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

  /**
   * Writes {@code expiryEpochSecond} (0 = never) into header bytes 2-6 of the block at {@code offset}, in
   * the reference's encoding relative to the year of {@code nowEpochSecond}.
   */
  public static void write(byte[] block, int offset, long expiryEpochSecond, long nowEpochSecond) {
    if (block.length - offset < MIN_BLOCK_LENGTH) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "block too short for an expiry header");
    }
    long packed = 0;
    if (expiryEpochSecond != 0) {
      if (expiryEpochSecond <= nowEpochSecond
          || expiryEpochSecond > nowEpochSecond + MAX_DAYS_AHEAD * SECONDS_PER_DAY) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT,
            "expiry " + expiryEpochSecond + " must be after now (" + nowEpochSecond + ") and at most "
                + MAX_DAYS_AHEAD + " days ahead");
      }
      int year = LocalDate.ofEpochDay(Math.floorDiv(nowEpochSecond, SECONDS_PER_DAY)).getYear();
      long rest = expiryEpochSecond - startOfYear(year);
      packed = (long) year << (DAY_BITS + SECOND_BITS)
          | ((rest / SECONDS_PER_DAY) & ((1L << DAY_BITS) - 1)) << SECOND_BITS
          | ((rest % SECONDS_PER_DAY) & ((1L << SECOND_BITS) - 1));
    }
    long high = packed >>> 8;
    block[offset + 2] = (byte) high;
    block[offset + 3] = (byte) (high >>> 8);
    block[offset + 4] = (byte) (high >>> 16);
    block[offset + 5] = (byte) (high >>> 24);
    block[offset + 6] = (byte) packed;
  }

  private static long startOfYear(int year) {
    return LocalDate.of(year, 1, 1).toEpochDay() * SECONDS_PER_DAY;
  }
}
