package dev.onfs.server.cli;

import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * Turns a failure that escapes a command into one line naming the command and what went wrong, with
 * exit code 1: a user who mistyped a file name or started a second server on a busy port needs the
 * reason, not a Java stack trace. The trace is still logged at FINE for whoever debugs the command.
 */
public final class ExecutionErrors implements CommandLine.IExecutionExceptionHandler {
  private static final Logger LOG = Logger.getLogger(ExecutionErrors.class.getName());

  @Override
  public int handleExecutionException(Exception ex, CommandLine command, CommandLine.ParseResult parseResult) {
    LOG.log(Level.FINE, "onfs " + command.getCommandName() + " failed", ex);
    PrintWriter err = command.getErr();
    err.println(command.getCommandSpec().qualifiedName() + ": " + describe(ex));
    err.flush();
    return 1;
  }

  /** One line saying what failed, in words. */
  static String describe(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof NoSuchFileException missing) {
        return "no such file: " + missing.getFile();
      }
      if (cause instanceof AccessDeniedException denied) {
        return "permission denied: " + denied.getFile();
      }
      if (cause instanceof FileSystemException other && other.getFile() != null) {
        return other.getFile() + ": " + other.getReason();
      }
    }
    String message = error.getMessage();
    if (error instanceof java.io.UncheckedIOException && error.getCause() != null && message == null) {
      message = error.getCause().getMessage();
    }
    if (message == null || message.isBlank()) {
      message = error.getClass().getSimpleName();
    }
    if (hasCause(error, BindException.class) && !message.contains("in use")) {
      message += " (address already in use: is another onfs running? pick another port)";
    }
    return message;
  }

  static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
