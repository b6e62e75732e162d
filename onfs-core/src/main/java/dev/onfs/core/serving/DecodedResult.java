package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import java.util.List;

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
  public record DecodedRow(List<String> keys, List<String> columns) {
    public DecodedRow {
      keys = List.copyOf(requireNonNull(keys, "keys is null"));
      columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }
  }
}
