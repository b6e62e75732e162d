package dev.onfs.core.codec;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;

/**
 * A stored block is truncated, oversized, garbled or does not fit the layout it is read with. The one
 * exception {@link PsdbReader} throws for bad input; its code is always {@link
 * ErrorCode#CORRUPT_BLOCK}.
 */
public final class BlockFormatException extends OnfsException {
  private static final long serialVersionUID = 1L;

  public BlockFormatException(String message) {
    super(ErrorCode.CORRUPT_BLOCK, message);
  }

  public BlockFormatException(String message, Throwable cause) {
    super(ErrorCode.CORRUPT_BLOCK, message, cause);
  }
}
