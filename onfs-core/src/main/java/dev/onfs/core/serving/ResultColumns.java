package dev.onfs.core.serving;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a result's feature schemas say about each column index: the feature's name and cell type. Built
 * once per result and shared by its rows, so that typed getters can check a column's type and name the
 * feature when it does not fit.
 */
final class ResultColumns {
  static final ResultColumns NONE = new ResultColumns(new String[0], new DataType[0]);

  private final String[] names;
  private final DataType[] types;

  private ResultColumns(String[] names, DataType[] types) {
    this.names = names;
    this.types = types;
  }

  /**
   * The columns of {@code schemas}. Columns are numbered 0 to n-1 for n features; a feature with a
   * larger index (only a malformed response has one) gets no type, so that a huge index cannot make
   * a huge table.
   */
  static ResultColumns of(List<FeatureSchema> schemas) {
    int count = 0;
    for (FeatureSchema schema : schemas) {
      count += schema.features().size();
    }
    if (count == 0) {
      return NONE;
    }
    String[] names = new String[count];
    DataType[] types = new DataType[count];
    Arrays.fill(types, DataType.UNKNOWN);
    for (FeatureSchema schema : schemas) {
      for (FeatureSchema.Feature feature : schema.features()) {
        if (feature.columnIdx() < count) {
          names[feature.columnIdx()] = schema.featureGroupLabel() + "." + feature.label();
          types[feature.columnIdx()] = feature.dataType();
        }
      }
    }
    return new ResultColumns(names, types);
  }

  /** The type of the column's cells; fails naming the column when the result cannot say. */
  DataType type(int columnIdx) {
    if (columnIdx < 0 || columnIdx >= types.length || names[columnIdx] == null) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "column " + columnIdx + " is not in the result's feature schemas");
    }
    DataType type = types[columnIdx];
    if (type == DataType.UNKNOWN) {
      throw new OnfsException(ErrorCode.SCHEMA_MISMATCH, "column " + columnIdx + " (" + names[columnIdx]
          + ") has no data type: the server did not send one (the reference server does not); read its bytes"
          + " with column(" + columnIdx + ") and decode them with CellDecoder");
    }
    return type;
  }

  /** "column 3 (user_stats.ctr)", for messages. */
  String describe(int columnIdx) {
    String name = columnIdx >= 0 && columnIdx < names.length ? names[columnIdx] : null;
    return "column " + columnIdx + (name == null ? "" : " (" + name + ")");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResultColumns other && Arrays.equals(names, other.names) && Arrays.equals(types, other.types);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(names) + Arrays.hashCode(types);
  }

  // Default-column marks: bit c set when column c holds a registry default; null when no column does.

  static long @Nullable [] bits(@Nullable BitSet set) {
    return set == null || set.isEmpty() ? null : set.toLongArray();
  }

  static boolean isSet(long @Nullable [] bits, int columnIdx) {
    return bits != null && columnIdx >= 0 && (columnIdx >> 6) < bits.length
        && (bits[columnIdx >> 6] & (1L << columnIdx)) != 0;
  }

  static BitSet toBitSet(long @Nullable [] bits) {
    return bits == null ? new BitSet() : BitSet.valueOf(bits);
  }

  /** Equal marks, whether or not trailing zero words are stored. */
  static boolean sameBits(long @Nullable [] a, long @Nullable [] b) {
    return a == b || toBitSet(a).equals(toBitSet(b));
  }
}
