package dev.onfs.core.codec;

/**
 * Reads the decompressed size a zstd frame header declares (RFC 8878, section 3.1.1), in Java: PSDB
 * blocks are small, and asking the native library costs a JNI call per block on the read path.
 */
final class ZstdFrameHeader {
  private static final int MAGIC = 0xFD2FB528;
  /** Dictionary_ID field size by Dictionary_ID_flag. */
  private static final int[] DICTIONARY_ID_BYTES = {0, 1, 2, 4};

  private ZstdFrameHeader() {}

  /**
   * The frame's declared content size, or -1 when the header does not declare one, is truncated or
   * is not a zstd frame header; the caller then sizes by its own limit and lets decompression judge.
   */
  static long contentSize(byte[] src, int offset, int length) {
    if (length < 5 || LittleEndian.getInt(src, offset) != MAGIC) {
      return -1;
    }
    int descriptor = src[offset + 4] & 0xff;
    if ((descriptor & 0x08) != 0) {
      return -1; // reserved bit set: not a header this reader understands
    }
    int sizeFlag = descriptor >>> 6;
    boolean singleSegment = (descriptor & 0x20) != 0;
    int position = offset + 5 + (singleSegment ? 0 : 1) + DICTIONARY_ID_BYTES[descriptor & 3];
    int sizeBytes = sizeFlag == 0 ? (singleSegment ? 1 : 0) : 1 << sizeFlag;
    if (sizeBytes == 0 || position + sizeBytes > offset + length) {
      return -1;
    }
    switch (sizeBytes) {
      case 1:
        return src[position] & 0xff;
      case 2:
        return LittleEndian.getUnsignedShort(src, position) + 256;
      case 4:
        return LittleEndian.getInt(src, position) & 0xffffffffL;
      default:
        long size = LittleEndian.getLong(src, position);
        return size < 0 ? -1 : size;
    }
  }
}
