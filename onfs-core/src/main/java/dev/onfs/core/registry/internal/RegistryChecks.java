package dev.onfs.core.registry.internal;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;

/** Checks shared by the registry model, the file reader and the etcd reader. */
public final class RegistryChecks {
  /** The largest string or vector length: lengths are uint16 in the reference. */
  public static final int MAX_LENGTH = 0xFFFF;

  private RegistryChecks() {}

  /** Creates the exception every registry validation failure throws. */
  public static OnfsException invalid(String message) {
    return new OnfsException(ErrorCode.INVALID_REGISTRY, message);
  }

  /**
   * Checks a label against the grammar the reference never enforces but silently relies on: not
   * empty, no {@code ,} (labels are comma-joined), no {@code |} (source keys are pipe-joined), no
   * {@code /} (labels are etcd path segments), no whitespace or control characters.
   *
   * @param what names the label in the message, e.g. {@code "feature label"}
   */
  public static String label(String value, String what) {
    if (value == null) {
      throw invalid(what + " is missing");
    }
    if (value.isEmpty()) {
      throw invalid(what + " is empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' || c == '|' || c == '/' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw invalid(what + " '" + value + "' contains " + describe(c)
            + " (labels may not contain ',', '|', '/' or whitespace)");
      }
    }
    return value;
  }

  /** Checks {@code 0 <= value <= max}. */
  public static int range(long value, long max, String what) {
    if (value < 0 || value > max) {
      throw invalid(what + " is " + value + ", must be between 0 and " + max);
    }
    return (int) value;
  }

  /** Checks {@code value >= 0}. */
  public static long nonNegative(long value, String what) {
    if (value < 0) {
      throw invalid(what + " is " + value + ", must not be negative");
    }
    return value;
  }

  private static String describe(char c) {
    if (c == ',' || c == '|' || c == '/') {
      return "'" + c + "'";
    }
    return String.format("a whitespace or control character (U+%04X)", (int) c);
  }
}
