package dev.onfs.core.codec;

/**
 * The 40-bit expiry of a PSDB header: {@code [14 bits year][9 bits day][17 bits second of day]},
 * counted from 1 January (UTC) of the stored year; 0 means the block never expires.
 *
 * <p>Writers store the expiry's own year, as the reference does now, so the day is at most 365. Older
 * blocks (ours and the reference's) store the year they were written in, with days running past the
 * end of that year; the decoding is the same sum for both, so both forms read as the same instant.
 */
public final class PsdbExpiry {
  static final long NEVER = 0;
  /** The reference refuses expiries further ahead than this. */
  static final long MAX_AHEAD_SECONDS = 513L * 86_400;

  private static final int DAY_BITS = 9;
  private static final int SECOND_BITS = 17;
  private static final long SECONDS_PER_DAY = 86_400;

  private PsdbExpiry() {}

  /**
   * Packs an absolute expiry (epoch seconds), relative to the start of its own year; the caller has
   * checked it lies after now and at most {@link #MAX_AHEAD_SECONDS} ahead.
   */
  static long pack(long expiryEpochSecond) {
    int year = yearOf(expiryEpochSecond);
    long sinceYearStart = expiryEpochSecond - startOfYear(year);
    long days = sinceYearStart / SECONDS_PER_DAY;
    long seconds = sinceYearStart % SECONDS_PER_DAY;
    return ((long) year << (DAY_BITS + SECOND_BITS)) | (days << SECOND_BITS) | seconds;
  }

  /**
   * The epoch second a packed expiry stands for; only meaningful when {@code packed != 0}. Reads both
   * the expiry-year form and the older write-year form. Allocates nothing.
   */
  public static long unpack(long packed) {
    int year = (int) (packed >>> (DAY_BITS + SECOND_BITS));
    long days = (packed >>> SECOND_BITS) & ((1 << DAY_BITS) - 1);
    long seconds = packed & ((1 << SECOND_BITS) - 1);
    return startOfYear(year) + days * SECONDS_PER_DAY + seconds;
  }

  /** Writes the packed value to header bytes 2..6: high 32 bits little-endian, then the low byte. */
  static void write(byte[] header, int offset, long packed) {
    LittleEndian.putInt(header, offset, (int) (packed >>> 8));
    header[offset + 4] = (byte) packed;
  }

  /** The packed expiry stored at header bytes 2..6, given {@code offset} of byte 2; 0 means never. */
  public static long read(byte[] block, int offset) {
    return ((LittleEndian.getInt(block, offset) & 0xffff_ffffL) << 8) | (block[offset + 4] & 0xff);
  }

  /** Epoch second of 1 January of a proleptic Gregorian year (UTC), without allocating. */
  static long startOfYear(int year) {
    return daysFromCivil(year, 1, 1) * SECONDS_PER_DAY;
  }

  static int yearOf(long epochSecond) {
    long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
    // Civil-from-days (H. Hinnant's algorithm), year only.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long monthIndex = (5 * dayOfYear + 2) / 153;
    long month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    return (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
  }

  static long daysFromCivil(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yearOfEra = y - era * 400;
    long monthIndex = month > 2 ? month - 3 : month + 9;
    long dayOfYear = (153 * monthIndex + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }
}
