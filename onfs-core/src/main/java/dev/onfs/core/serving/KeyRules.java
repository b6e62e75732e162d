package dev.onfs.core.serving;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a key value may hold, checked on persist and retrieve alike so that every path (gRPC, embedded,
 * Kafka) stores and reads the same keys. Stores join an entity's key values into one key (Redis:
 * {@code <entity>:<v1>|<v2>}), so a value holding the separator could name another row: {@code ("a|b","c")}
 * and {@code ("a","b|c")} would be one Redis key. A key value must therefore be non-empty, at most
 * {@code max-key-bytes} UTF-8 bytes, and free of {@code |}, control characters (below U+0020 and
 * U+007F) and unpaired surrogates (which UTF-8 cannot encode, so two different values would store
 * as the same bytes).
 */
final class KeyRules {
  /** The separator stores put between the key values of one entity. */
  static final char SEPARATOR = '|';

  private KeyRules() {}

  /**
   * Checks the key values of one row.
   *
   * @param columns the key column names, parallel to {@code values}
   * @param rows the request's list of rows and {@code values}' field in a row, for the message:
   *     {@code data} and {@code keyValues} name {@code data[3].keyValues}
   */
  static void check(List<String> values, List<String> columns, int maxBytes, String rows, int row, String field) {
    for (int k = 0; k < values.size(); k++) {
      String problem = problem(values.get(k), maxBytes);
      if (problem != null) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT,
            rows + "[" + row + "]." + field + ": key column '" + columns.get(k) + "' " + problem);
      }
    }
  }

  /** What is wrong with {@code value}, or null when it is a valid key value. */
  static @Nullable String problem(String value, int maxBytes) {
    int length = value.length();
    if (length == 0) {
      return "is empty";
    }
    if (length > maxBytes) {
      // Every char takes at least one UTF-8 byte.
      return "is longer than " + maxBytes + " bytes (" + length + " characters; option max-key-bytes)";
    }
    int bytes = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        if (c == SEPARATOR) {
          return "contains the separator '" + SEPARATOR + "' (at index " + i + ")";
        }
        if (c < 0x20 || c == 0x7F) {
          return "contains the control character " + String.format("U+%04X", (int) c) + " (at index " + i + ")";
        }
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        return "contains an unpaired surrogate " + String.format("U+%04X", (int) c) + " (at index " + i + ")";
      } else {
        bytes += 3;
      }
    }
    if (bytes > maxBytes) {
      return "is " + bytes + " bytes long > limit " + maxBytes + " (option max-key-bytes)";
    }
    return null;
  }
}
