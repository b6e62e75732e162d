package dev.onfs.controlplane.users;

import dev.onfs.controlplane.ControlPlaneException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Rules for user names and passwords. Names: 1 to 128 characters of lower-case letters, digits and
 * {@code . _ @ + -}, starting with a letter or digit (an e-mail address fits; names are etcd key
 * segments, so no {@code /}). Passwords: 10 to 1024 characters, not containing the user name (length
 * over composition rules, as current guidance has it; the upper bound caps hashing work).
 */
public final class PasswordPolicy {
  public static final int MIN_PASSWORD_LENGTH = 10;
  public static final int MAX_PASSWORD_LENGTH = 1024;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@+-]{0,127}");

  private PasswordPolicy() {}

  /** The name in lower case, or an invalid-field error for {@code field}. */
  public static String name(String name, String field) {
    if (name == null || name.isBlank()) {
      throw ControlPlaneException.invalid(field, field + " is missing");
    }
    String normalized = name.trim().toLowerCase(Locale.ROOT);
    if (!NAME.matcher(normalized).matches()) {
      throw ControlPlaneException.invalid(field, field + " '" + name + "' must be 1 to 128 characters of letters,"
          + " digits and . _ @ + -, starting with a letter or digit");
    }
    return normalized;
  }

  /** Checks a new password for {@code user}; the message never repeats the password. */
  public static void password(char[] password, String user, String field) {
    if (password == null || password.length < MIN_PASSWORD_LENGTH) {
      throw ControlPlaneException.invalid(field, field + " must have at least " + MIN_PASSWORD_LENGTH + " characters");
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw ControlPlaneException.invalid(field, field + " must have at most " + MAX_PASSWORD_LENGTH + " characters");
    }
    if (new String(password).toLowerCase(Locale.ROOT).contains(user)) {
      throw ControlPlaneException.invalid(field, field + " must not contain the user name");
    }
  }
}
