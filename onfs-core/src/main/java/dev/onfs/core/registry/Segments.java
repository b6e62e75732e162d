package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.types.DataType;

/**
 * The reference control plane's sizing of a feature group's storage columns ("segments",
 * {@code seg_<n>}): how many bytes of a block each feature takes. The file registry allots columns
 * with it when a file leaves them out; the control plane grows and shrinks them with it.
 *
 * <p>The reference counts a Bool as one byte (although blocks bit-pack bools), a String as its
 * string-length, a vector as vector-length elements, a StringVector as string-length x
 * vector-length, and adds the 9-byte layout-1 header once, when the group is created.
 */
public final class Segments {
  /** The block header of layout 1, counted once when a group's first columns are allotted. */
  public static final int LAYOUT_1_HEADER_BYTES = 9;

  private static final String PREFIX = "seg_";

  private Segments() {}

  /** The bytes the reference reserves for one feature of {@code type}. */
  public static long featureBytes(DataType type, int stringLength, int vectorLength) {
    requireNonNull(type, "type is null");
    int element = type.isFixedWidth() ? type.width() : 1;
    if (type == DataType.STRING) {
      return stringLength;
    }
    if (type == DataType.STRING_VECTOR) {
      return (long) stringLength * vectorLength;
    }
    if (type.isVector()) {
      return (long) vectorLength * element;
    }
    return element;
  }

  /** The bytes of all features of {@code version} (without the header). */
  public static long blockBytes(DataType type, FeatureVersion version) {
    requireNonNull(version, "version is null");
    long total = 0;
    for (int i = 0; i < version.size(); i++) {
      total += featureBytes(type, version.stringLength(i), version.vectorLength(i));
    }
    return total;
  }

  /** The column label for segment {@code n}: {@code seg_<n>}. */
  public static String label(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("segment number must not be negative: " + n);
    }
    return PREFIX + n;
  }

  /** The number of a {@code seg_<n>} label (as Go's {@code Atoi} reads it), or -1 for any other label. */
  public static int number(String label) {
    requireNonNull(label, "label is null");
    if (label.startsWith(PREFIX) && label.length() > PREFIX.length()) {
      try {
        int n = Integer.parseInt(label.substring(PREFIX.length()));
        return Math.max(n, -1);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }
}
