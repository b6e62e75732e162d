package dev.onfs.core.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.Arrays;

/**
 * A view of {@code length} bytes of {@code array} starting at {@code offset}. Never copies; the array
 * is shared, so callers must not change bytes they handed to a store or received from one.
 */
public record ByteRange(byte[] array, int offset, int length) {
  public ByteRange {
    requireNonNull(array, "array is null");
    if (offset < 0 || length < 0 || offset > array.length - length) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT,
          "byte range [" + offset + ", +" + length + ") is outside an array of " + array.length + " bytes");
    }
  }

  /** The whole array. */
  public static ByteRange of(byte[] array) {
    return new ByteRange(array, 0, array.length);
  }

  /** A fresh copy of the bytes in range. */
  public byte[] toByteArray() {
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  /** The byte at {@code index} within the range. */
  public byte get(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("index " + index + " outside range of " + length + " bytes");
    }
    return array[offset + index];
  }

  /** Content equality of the bytes in range (records compare arrays by identity). */
  public boolean contentEquals(ByteRange other) {
    return Arrays.equals(array, offset, offset + length, other.array, other.offset, other.offset + other.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteRange other && contentEquals(other);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + array[i];
    }
    return h;
  }

  @Override
  public String toString() {
    return "ByteRange[" + length + " bytes]";
  }
}
