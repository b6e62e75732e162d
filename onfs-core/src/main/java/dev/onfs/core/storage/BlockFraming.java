package dev.onfs.core.storage;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;

/**
 * Room a store frames one row's blocks with when it stores them as one value (Redis's CSDB layout: a
 * layout byte, then a 4-byte entry header before each block). A writer that lays a row's blocks out in
 * one array with exactly this room, and nothing after the last block, lets the store write its framing
 * into the room and store the array as it is; any other layout is copied as before.
 *
 * @param rowHeaderBytes bytes before the first block's own header
 * @param blockHeaderBytes bytes before each block
 */
public record BlockFraming(int rowHeaderBytes, int blockHeaderBytes) {
  /** No framing: blocks are stored one by one. */
  public static final BlockFraming NONE = new BlockFraming(0, 0);

  public BlockFraming {
    if (rowHeaderBytes < 0 || blockHeaderBytes < 0) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT, "framing room must not be negative: " + rowHeaderBytes + ", " + blockHeaderBytes);
    }
  }

  /** The bytes a row of {@code blocks} blocks holding {@code blockBytes} bytes in all takes, framed. */
  public int rowBytes(int blocks, int blockBytes) {
    return rowHeaderBytes + blocks * blockHeaderBytes + blockBytes;
  }
}
