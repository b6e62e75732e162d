package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RetrieveResult} with every cell rendered as text exactly as the reference renders it,
 * mirroring {@code retrieve.DecodedResult} (which, like the reference, carries no entity label).
 */
public record DecodedResult(List<String> keysSchema, List<FeatureSchema> featureSchemas, List<DecodedRow> rows) {

  public DecodedResult {
    keysSchema = List.copyOf(requireNonNull(keysSchema, "keysSchema is null"));
    featureSchemas = List.copyOf(requireNonNull(featureSchemas, "featureSchemas is null"));
    rows = List.copyOf(requireNonNull(rows, "rows is null"));
  }

  /** The key values and text cells of one requested key row ({@code retrieve.DecodedRow}). */
  public static final class DecodedRow {
    private final List<String> keys;
    private final List<String> columns;
    private final long @Nullable [] defaults;

    /** A row whose cells all hold stored values (or whose origin does not say). */
    public DecodedRow(List<String> keys, List<String> columns) {
      this(keys, columns, (BitSet) null);
    }

    /** A row whose columns in {@code defaultColumns} hold registry defaults instead of stored values. */
    public DecodedRow(List<String> keys, List<String> columns, @Nullable BitSet defaultColumns) {
      this(List.copyOf(requireNonNull(keys, "keys is null")), List.copyOf(requireNonNull(columns, "columns is null")),
          ResultColumns.bits(defaultColumns));
    }

    DecodedRow(List<String> keys, List<String> columns, long @Nullable [] defaults) {
      this.keys = keys;
      this.columns = columns;
      this.defaults = defaults;
    }

    public List<String> keys() {
      return keys;
    }

    public List<String> columns() {
      return columns;
    }

    /** True when the column holds a registry default, not a stored value: see {@link RetrieveResult.Row#isDefault}. */
    public boolean isDefault(int columnIdx) {
      return ResultColumns.isSet(defaults, columnIdx);
    }

    /** The columns that hold defaults ({@link #isDefault}); a copy. */
    public BitSet defaultColumns() {
      return ResultColumns.toBitSet(defaults);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DecodedRow other && keys.equals(other.keys) && columns.equals(other.columns)
          && ResultColumns.sameBits(defaults, other.defaults);
    }

    @Override
    public int hashCode() {
      return 31 * keys.hashCode() + columns.hashCode();
    }

    @Override
    public String toString() {
      return "DecodedRow[keys=" + keys + ", columns=" + columns + (defaults == null ? "" : ", defaults=" + defaultColumns())
          + "]";
    }
  }
}
