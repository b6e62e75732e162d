package dev.onfs.core.backend;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Passwords given inline or in a file, read the same way by every adapter, and never printed. */
public final class Secrets {
  private Secrets() {}

  /**
   * The password from {@code <name>} or from the file named by {@code <name>-file} (trailing line
   * breaks dropped, as {@code echo} and editors leave one); null when neither is given.
   *
   * @param name the setting's name for messages, e.g. {@code password} or {@code etcd-password}
   * @throws OnfsException INVALID_ARGUMENT when both are given or the file cannot be read; the
   *     message names the file, never its content
   */
  public static @Nullable String password(String name, @Nullable String inline, @Nullable String file) {
    if (file == null || file.isBlank()) {
      return inline;
    }
    if (inline != null) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "give " + name + " or " + name + "-file, not both");
    }
    Path path = Path.of(file.trim());
    String content;
    try {
      content = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, name + "-file " + path + " cannot be read: "
          + e.getClass().getSimpleName(), e);
    }
    String password = content.replaceAll("[\r\n]+$", "");
    if (password.isEmpty()) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, name + "-file " + path + " is empty");
    }
    return password;
  }

  /** {@code none} or {@code ****}: how configs print a password. */
  public static String mask(@Nullable String password) {
    return password == null ? "none" : "****";
  }
}
