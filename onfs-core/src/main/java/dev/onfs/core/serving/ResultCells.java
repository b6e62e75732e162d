package dev.onfs.core.serving;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The cells of one result, each a slice of an array it shares: cell i is {@code arrays[i][offsets[i],
 * offsets[i]+lengths[i])}. Most cells are slices of what they came from (the store's blocks, the near
 * cache's decoded cells, the registry's defaults); the cells that exist nowhere as bytes of their own
 * (a compressed block's, whose reader reuses its buffer for the next block; bools, stored as bits;
 * string vectors, whose lengths and bytes are apart) are copied into chunks of one arena per result.
 * One to three arrays per result instead of one per cell: offsets and lengths only once some cell is
 * part of a larger array (not, for instance, when every cell comes from the near cache).
 */
final class ResultCells {
  private static final int MIN_CHUNK = 512;

  final byte[][] arrays;
  /** Null while every cell is a whole array; then lengths is null too. */
  int @Nullable [] offsets;
  int @Nullable [] lengths;
  private byte[] chunk = new byte[0];
  private int used;

  ResultCells(int cells) {
    arrays = new byte[cells][];
  }

  /** Cell i is {@code array[offset, offset+length)}, which must never change. */
  void share(int i, byte[] array, int offset, int length) {
    int[] cellOffsets = offsets;
    int[] cellLengths = lengths;
    if (cellOffsets == null || cellLengths == null) {
      if (offset == 0 && length == array.length) {
        arrays[i] = array;
        return;
      }
      // The first slice: every cell so far is a whole array.
      offsets = cellOffsets = new int[arrays.length];
      lengths = cellLengths = new int[arrays.length];
      for (int j = 0; j < arrays.length; j++) {
        byte[] whole = arrays[j];
        cellLengths[j] = whole == null ? 0 : whole.length;
      }
    }
    arrays[i] = array;
    cellOffsets[i] = offset;
    cellLengths[i] = length;
  }

  void share(int i, byte[] whole) {
    share(i, whole, 0, whole.length);
  }

  int offset(int i) {
    int[] cellOffsets = offsets;
    return cellOffsets == null ? 0 : cellOffsets[i];
  }

  /**
   * Makes cell i {@code length} bytes of the arena and returns the array to write them to, at {@code
   * offsets[i]}. A full chunk is left to the cells it holds and a larger one started.
   */
  byte[] reserve(int i, int length) {
    if (length > chunk.length - used) {
      chunk = new byte[Math.max(length, Math.max(MIN_CHUNK, 2 * chunk.length))];
      used = 0;
    }
    share(i, chunk, used, length);
    used += length;
    return chunk;
  }

  /** Cell i as an array of its own: the shared array when the cell is all of it, else a copy. */
  byte[] copy(int i) {
    byte[] array = arrays[i];
    int[] cellOffsets = offsets;
    int[] cellLengths = lengths;
    return cellOffsets == null || cellLengths == null ? array : ownArray(array, cellOffsets[i], cellLengths[i]);
  }

  /** {@code array[offset, offset+length)} as an array of its own: {@code array} itself when that is all of it. */
  static byte[] ownArray(byte[] array, int offset, int length) {
    return offset == 0 && length == array.length ? array : Arrays.copyOfRange(array, offset, offset + length);
  }
}
