package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * The answer to a {@link RetrieveQuery}, mirroring {@code retrieve.Result}: one row per requested key
 * row (same order, duplicates kept), each holding one cell per requested feature at the feature's
 * {@link FeatureSchema.Feature#columnIdx() column index}.
 *
 * <p>A cell holds the feature's value in its feature group's stored encoding (little-endian numbers at
 * the type's width, fp16/fp8 as their 2/1 stored bytes, string bytes, one 0/1 byte per bool, vectors
 * flattened; see {@code docs/serving.md}), or the registry default when the store has no live value.
 */
public record RetrieveResult(
    String entityLabel, List<String> keysSchema, List<FeatureSchema> featureSchemas, List<Row> rows) {

  public RetrieveResult {
    requireNonNull(entityLabel, "entityLabel is null");
    keysSchema = List.copyOf(requireNonNull(keysSchema, "keysSchema is null"));
    featureSchemas = List.copyOf(requireNonNull(featureSchemas, "featureSchemas is null"));
    rows = List.copyOf(requireNonNull(rows, "rows is null"));
  }

  /**
   * The key values and cells of one requested key row ({@code retrieve.Row}). Cells are shared, never
   * copied: callers must not modify the arrays.
   */
  public record Row(List<String> keys, List<byte[]> columns) {
    public Row {
      keys = List.copyOf(requireNonNull(keys, "keys is null"));
      columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    /** The cell at {@code columnIdx}. */
    public byte[] column(int columnIdx) {
      return columns.get(columnIdx);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Row other) || !keys.equals(other.keys) || columns.size() != other.columns.size()) {
        return false;
      }
      for (int i = 0; i < columns.size(); i++) {
        if (!Arrays.equals(columns.get(i), other.columns.get(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = keys.hashCode();
      for (byte[] c : columns) {
        h = 31 * h + Arrays.hashCode(c);
      }
      return h;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Row[keys=").append(keys).append(", columns=[");
      for (int i = 0; i < columns.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(Arrays.toString(columns.get(i)));
      }
      return sb.append("]]").toString();
    }
  }
}
