package dev.onfs.bulkload;

import org.jspecify.annotations.Nullable;

/** A row that cannot be loaded; {@code column} names the cell at fault when one is. */
final class BadRowException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final @Nullable String column;

  BadRowException(@Nullable String column, String message) {
    super(message);
    this.column = column;
  }

  @Nullable String column() {
    return column;
  }

  /** Never null: every bad row is reported with a reason. */
  @Override
  public String getMessage() {
    return java.util.Objects.requireNonNull(super.getMessage(), "message");
  }
}
