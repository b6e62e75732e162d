package dev.onfs.core.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer to one batch read: a grid of keys (rows, in request order) by feature groups (columns, in
 * request order). Each cell is either missing or a byte range into a buffer the adapter received from
 * its driver; nothing is copied per cell. Immutable once built; the shared buffers must not be changed.
 */
public final class ReadResult {
  private static final int MISSING = -1;

  private final List<EntityKey> keys;
  private final List<StoreFeatureGroup> featureGroups;
  private final byte[][] arrays;
  private final int[] offsets;
  private final int[] lengths;

  private ReadResult(Builder builder) {
    this.keys = builder.keys;
    this.featureGroups = builder.featureGroups;
    this.arrays = builder.arrays;
    this.offsets = builder.offsets;
    this.lengths = builder.lengths;
  }

  /** A builder with every cell missing, for adapters. */
  public static Builder builder(List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    return new Builder(keys, featureGroups);
  }

  public List<EntityKey> keys() {
    return keys;
  }

  public List<StoreFeatureGroup> featureGroups() {
    return featureGroups;
  }

  public int keyCount() {
    return keys.size();
  }

  public int featureGroupCount() {
    return featureGroups.size();
  }

  /** True when the store holds an unexpired block for key {@code keyIndex} and feature group {@code fgIndex}. */
  public boolean isPresent(int keyIndex, int fgIndex) {
    return lengths[cell(keyIndex, fgIndex)] != MISSING;
  }

  /** The buffer holding the block; only meaningful when {@link #isPresent}. */
  public byte[] array(int keyIndex, int fgIndex) {
    byte[] array = arrays[cell(keyIndex, fgIndex)];
    if (array == null) {
      throw missing(keyIndex, fgIndex);
    }
    return array;
  }

  public int offset(int keyIndex, int fgIndex) {
    int cell = cell(keyIndex, fgIndex);
    if (lengths[cell] == MISSING) {
      throw missing(keyIndex, fgIndex);
    }
    return offsets[cell];
  }

  public int length(int keyIndex, int fgIndex) {
    int cell = cell(keyIndex, fgIndex);
    if (lengths[cell] == MISSING) {
      throw missing(keyIndex, fgIndex);
    }
    return lengths[cell];
  }

  /** The block as a range, or null when missing. Allocates one small object; hot paths use the accessors. */
  public @Nullable ByteRange block(int keyIndex, int fgIndex) {
    int cell = cell(keyIndex, fgIndex);
    if (lengths[cell] == MISSING) {
      return null;
    }
    return new ByteRange(arrays[cell], offsets[cell], lengths[cell]);
  }

  /** Number of present cells. */
  public int presentCount() {
    int n = 0;
    for (int length : lengths) {
      if (length != MISSING) {
        n++;
      }
    }
    return n;
  }

  private int cell(int keyIndex, int fgIndex) {
    if (keyIndex < 0 || keyIndex >= keys.size() || fgIndex < 0 || fgIndex >= featureGroups.size()) {
      throw new IndexOutOfBoundsException(
          "cell (" + keyIndex + ", " + fgIndex + ") outside " + keys.size() + " x " + featureGroups.size());
    }
    return keyIndex * featureGroups.size() + fgIndex;
  }

  private OnfsException missing(int keyIndex, int fgIndex) {
    return new OnfsException(
        ErrorCode.INVALID_ARGUMENT,
        "no block for key " + keys.get(keyIndex).values() + " and feature group " + featureGroups.get(fgIndex).id());
  }

  @Override
  public String toString() {
    return "ReadResult[" + keys.size() + " keys x " + featureGroups.size() + " feature groups, "
        + presentCount() + " present]";
  }

  /** Fills a {@link ReadResult}; not thread-safe; cells left unset are missing. */
  public static final class Builder {
    private final List<EntityKey> keys;
    private final List<StoreFeatureGroup> featureGroups;
    private final byte[][] arrays;
    private final int[] offsets;
    private final int[] lengths;
    private boolean built;

    private Builder(List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
      this.keys = List.copyOf(requireNonNull(keys, "keys is null"));
      this.featureGroups = List.copyOf(requireNonNull(featureGroups, "featureGroups is null"));
      int cells = Math.multiplyExact(this.keys.size(), this.featureGroups.size());
      this.arrays = new byte[cells][];
      this.offsets = new int[cells];
      this.lengths = new int[cells];
      java.util.Arrays.fill(lengths, MISSING);
    }

    /** Marks the cell present with the given range of {@code array} (not copied). */
    public Builder set(int keyIndex, int fgIndex, byte[] array, int offset, int length) {
      requireNonNull(array, "array is null");
      if (built) {
        throw new IllegalStateException("result already built");
      }
      if (offset < 0 || length < 0 || offset > array.length - length) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT,
            "block range [" + offset + ", +" + length + ") is outside a buffer of " + array.length + " bytes");
      }
      if (keyIndex < 0 || keyIndex >= keys.size() || fgIndex < 0 || fgIndex >= featureGroups.size()) {
        throw new IndexOutOfBoundsException(
            "cell (" + keyIndex + ", " + fgIndex + ") outside " + keys.size() + " x " + featureGroups.size());
      }
      int cell = keyIndex * featureGroups.size() + fgIndex;
      arrays[cell] = array;
      offsets[cell] = offset;
      lengths[cell] = length;
      return this;
    }

    /** Marks the cell missing again. */
    public Builder clear(int keyIndex, int fgIndex) {
      int cell = keyIndex * featureGroups.size() + fgIndex;
      arrays[cell] = null;
      lengths[cell] = MISSING;
      return this;
    }

    public ReadResult build() {
      built = true;
      return new ReadResult(this);
    }
  }
}
