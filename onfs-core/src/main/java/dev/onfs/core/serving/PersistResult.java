package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

/**
 * The answer to a successful {@link PersistQuery} ({@code persist.Result}).
 *
 * @param message the reference's success text, {@value #SUCCESS_MESSAGE}
 * @param rowsWritten how many rows were written
 */
public record PersistResult(String message, int rowsWritten) {

  /** What the reference answers on success. */
  public static final String SUCCESS_MESSAGE = "Data Persisted Successfully";

  public PersistResult {
    requireNonNull(message, "message is null");
  }
}
