package dev.onfs.storage.redis;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.BlockFraming;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.StoreFeatureGroup;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Encodes, merges and scans CSDB layout 1 values without copying the blocks they hold. A CSDB (cache
 * storage data block) is the reference's container of many feature-group blocks of one entity, stored
 * as one Redis value. Blocks laid out with {@link #FRAMING} in one array are framed where they lie;
 * other blocks are copied into a new value.
 *
 * <p>Layout, all integers little-endian: one byte layout version ({@code 1}), then entries back to back,
 * each a uint16 feature group id, a uint16 block length and that many block bytes (the PSDB block as
 * stored, header included). A length of 0 marks a feature group known to be absent (the reference's
 * negative cache entry); readers report it as missing. Entry order carries no meaning; when an id
 * repeats, the last entry wins, as in the reference's reader.
 */
final class Csdb {
  /** The only layout the reference writes. */
  public static final int LAYOUT_VERSION = 1;
  /** Bytes before each block: uint16 feature group id, uint16 length. */
  public static final int ENTRY_HEADER_LENGTH = 4;
  /** A block's length is a uint16. */
  public static final int MAX_BLOCK_LENGTH = 0xFFFF;
  /** The room a CSDB frames a row's blocks with: its layout byte, and each block's entry header. */
  public static final BlockFraming FRAMING = new BlockFraming(1, ENTRY_HEADER_LENGTH);

  private Csdb() {}

  /** Receives the entries of a CSDB in stored order. */
  @FunctionalInterface
  public interface EntryVisitor {
    /** A block of {@code length} bytes at {@code offset} of the scanned array; length 0 = absent marker. */
    void entry(int featureGroupId, int offset, int length);
  }

  /**
   * Encodes blocks of the given feature group ids (parallel lists) as a CSDB: the blocks' own array,
   * with the framing written into its room, when they lie in one array laid out with {@link #FRAMING}
   * (and nothing after the last block); otherwise a fresh array.
   */
  public static byte[] encode(int[] featureGroupIds, List<ByteRange> blocks) {
    requireNonNull(featureGroupIds, "featureGroupIds is null");
    requireNonNull(blocks, "blocks is null");
    if (featureGroupIds.length != blocks.size()) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT,
          featureGroupIds.length + " feature group ids for " + blocks.size() + " blocks");
    }
    int size = 1;
    for (int i = 0; i < featureGroupIds.length; i++) {
      checkEntry(featureGroupIds[i], blocks.get(i).length());
      size += ENTRY_HEADER_LENGTH + blocks.get(i).length();
    }
    byte[] framed = frameInPlace(featureGroupIds, blocks);
    if (framed != null) {
      return framed;
    }
    byte[] out = new byte[size];
    out[0] = LAYOUT_VERSION;
    int pos = 1;
    for (int i = 0; i < featureGroupIds.length; i++) {
      ByteRange block = blocks.get(i);
      pos = putEntry(out, pos, featureGroupIds[i], block.array(), block.offset(), block.length());
    }
    return out;
  }

  /**
   * When the blocks share one array laid out with {@link #FRAMING}'s room and end at its end, writes the
   * layout byte and entry headers into that room and returns the array; otherwise null, touching nothing.
   */
  private static byte @Nullable [] frameInPlace(int[] featureGroupIds, List<ByteRange> blocks) {
    if (blocks.isEmpty()) {
      return null;
    }
    byte[] array = blocks.get(0).array();
    int end = 1;
    for (ByteRange block : blocks) {
      if (block.array() != array || block.offset() != end + ENTRY_HEADER_LENGTH) {
        return null;
      }
      end = block.offset() + block.length();
    }
    if (end != array.length) {
      return null;
    }
    array[0] = LAYOUT_VERSION;
    for (int i = 0; i < featureGroupIds.length; i++) {
      ByteRange block = blocks.get(i);
      putHeader(array, block.offset() - ENTRY_HEADER_LENGTH, featureGroupIds[i], block.length());
    }
    return array;
  }

  /**
   * A CSDB holding the entries of {@code update} plus those entries of {@code existing} whose feature
   * group {@code update} does not carry. {@code existing} may be null (no value yet).
   */
  public static byte[] merge(byte @Nullable [] existing, byte[] update) {
    requireNonNull(update, "update is null");
    checkVersion(update, 0, update.length);
    if (existing == null || existing.length == 0) {
      return update;
    }
    checkVersion(existing, 0, existing.length);
    int[] replaced = featureGroupIds(update, 0, update.length);
    int[] keptBytes = {0};
    forEach(existing, 0, existing.length, (id, off, len) -> {
      if (!contains(replaced, id)) {
        keptBytes[0] += ENTRY_HEADER_LENGTH + len;
      }
    });
    byte[] out = Arrays.copyOf(update, update.length + keptBytes[0]);
    int[] pos = {update.length};
    forEach(existing, 0, existing.length, (id, off, len) -> {
      if (!contains(replaced, id)) {
        pos[0] = putEntry(out, pos[0], id, existing, off, len);
      }
    });
    return out;
  }

  /** Calls {@code visitor} for every entry of the CSDB in {@code array[offset, offset+length)}. */
  public static void forEach(byte[] array, int offset, int length, EntryVisitor visitor) {
    checkVersion(array, offset, length);
    int pos = offset + 1;
    int end = offset + length;
    while (pos < end) {
      if (end - pos < ENTRY_HEADER_LENGTH) {
        throw corrupt("truncated entry header at byte " + (pos - offset) + " of " + length);
      }
      int id = u16(array, pos);
      int len = u16(array, pos + 2);
      int data = pos + ENTRY_HEADER_LENGTH;
      if (len > end - data) {
        throw corrupt("entry of feature group " + id + " claims " + len + " bytes, only " + (end - data) + " left");
      }
      visitor.entry(id, data, len);
      pos = data + len;
    }
  }

  /**
   * Finds the blocks of {@code featureGroups} in one pass: on return {@code offsets[i]} and
   * {@code lengths[i]} locate the block of feature group {@code i} in {@code array}, or
   * {@code lengths[i] == -1} when the CSDB has no entry for it (an absent marker reports length 0).
   */
  public static void locate(
      byte[] array, int offset, int length, List<StoreFeatureGroup> featureGroups, int[] offsets, int[] lengths) {
    int n = featureGroups.size();
    Arrays.fill(lengths, 0, n, -1);
    forEach(array, offset, length, (id, off, len) -> {
      for (int i = 0; i < n; i++) {
        if (featureGroups.get(i).id() == id) {
          offsets[i] = off;
          lengths[i] = len;
        }
      }
    });
  }

  /** Feature group ids present in the CSDB, in stored order (duplicates kept). */
  public static int[] featureGroupIds(byte[] array, int offset, int length) {
    int[] ids = new int[8];
    int[] count = {0};
    int[][] holder = {ids};
    forEach(array, offset, length, (id, off, len) -> {
      if (count[0] == holder[0].length) {
        holder[0] = Arrays.copyOf(holder[0], count[0] * 2);
      }
      holder[0][count[0]++] = id;
    });
    return Arrays.copyOf(holder[0], count[0]);
  }

  private static void checkVersion(byte[] array, int offset, int length) {
    requireNonNull(array, "array is null");
    if (length < 1) {
      throw corrupt("empty value");
    }
    if (array[offset] != LAYOUT_VERSION) {
      throw corrupt("unsupported layout version " + (array[offset] & 0xFF));
    }
  }

  private static void checkEntry(int id, int length) {
    if (id < 0 || id > StoreFeatureGroup.MAX_ID) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "feature group id " + id + " does not fit a CSDB");
    }
    if (length > MAX_BLOCK_LENGTH) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT,
          "block of feature group " + id + " is " + length + " bytes; a CSDB holds at most " + MAX_BLOCK_LENGTH);
    }
  }

  private static int putEntry(byte[] out, int pos, int id, byte[] src, int srcOffset, int length) {
    putHeader(out, pos, id, length);
    System.arraycopy(src, srcOffset, out, pos + ENTRY_HEADER_LENGTH, length);
    return pos + ENTRY_HEADER_LENGTH + length;
  }

  private static void putHeader(byte[] out, int pos, int id, int length) {
    out[pos] = (byte) id;
    out[pos + 1] = (byte) (id >>> 8);
    out[pos + 2] = (byte) length;
    out[pos + 3] = (byte) (length >>> 8);
  }

  private static boolean contains(int[] ids, int id) {
    for (int candidate : ids) {
      if (candidate == id) {
        return true;
      }
    }
    return false;
  }

  private static int u16(byte[] a, int i) {
    return (a[i] & 0xFF) | (a[i + 1] & 0xFF) << 8;
  }

  private static OnfsException corrupt(String detail) {
    return new OnfsException(ErrorCode.CORRUPT_BLOCK, "corrupt CSDB: " + detail);
  }
}
