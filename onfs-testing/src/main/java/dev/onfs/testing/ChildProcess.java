package dev.onfs.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** One OS process whose stdout and stderr are appended to a log file. */
final class ChildProcess {
  private static final Pattern BIND_FAILURE =
      Pattern.compile("address already in use|failed to bind|unable to bind|bindexception", Pattern.CASE_INSENSITIVE);
  private static final int TAIL_LINES = 40;
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final String name;
  private final Process process;
  private final Path logFile;
  private volatile boolean paused;

  private ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command}; a missing executable fails with {@code installHint} in the message.
   */
  static ChildProcess start(String name, List<String> command, Path workDir, Path logFile, String installHint) {
    requireNonNull(command, "command is null");
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(logFile.getParent());
      Files.writeString(logFile, "### " + String.join(" ", command) + System.lineSeparator(),
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Orphans.reapOnce(ServerFiles.root());
      Process process = builder.start();
      Orphans.record(logFile, process.toHandle());
      return new ChildProcess(name, process, logFile);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run " + command.get(0) + " to start " + name + ": " + e.getMessage()
          + ". Install it with: " + installHint, e);
    }
  }

  /** The server could not bind its port (someone else took it): worth a retry on other ports. */
  static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }

  /**
   * Stops this process after a failed start and returns the exception to throw: a
   * {@link PortTakenException} when the log shows a bind failure, else an {@link IllegalStateException}.
   */
  IllegalStateException failedStart(String what, String installHint, @org.jspecify.annotations.Nullable Throwable cause) {
    stop(Duration.ofSeconds(5));
    String message = failure(what, installHint);
    IllegalStateException failure =
        logShowsBindFailure() ? new PortTakenException(message) : new IllegalStateException(message);
    failure.initCause(cause);
    return failure;
  }

  /** Runs {@code start} up to three times while it fails with {@link PortTakenException}. */
  static <T> T withPortRetry(java.util.function.Supplier<T> start) {
    PortTakenException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return start.get();
      } catch (PortTakenException e) {
        last = e;
      }
    }
    throw last;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Exit code, or -1 while running. */
  int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** Waits for the process to exit on its own; false on timeout. */
  boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Freezes the process (SIGSTOP): its sockets stay open and connections are still accepted by the
   * kernel, but nothing is answered until {@link #resume()}, as with a hung server.
   */
  void pause() {
    signal("STOP");
    paused = true;
  }

  /** Lets a {@link #pause() paused} process run again (SIGCONT). */
  void resume() {
    signal("CONT");
    paused = false;
  }

  private void signal(String signal) {
    String pid = Long.toString(process.pid());
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, pid).redirectErrorStream(true).start();
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " (" + name + ") failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + signal + " for " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + name, e);
    }
  }

  /** SIGTERM, then SIGKILL when the process has not exited after {@code grace}. */
  void stop(Duration grace) {
    if (paused && process.isAlive()) {
      resume(); // a stopped process would only act on SIGTERM once continued
    }
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    if (!awaitExit(grace)) {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(10));
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * For {@code close()}: SIGTERM with a short grace, then SIGKILL. The data is deleted next, so a
   * long graceful shutdown (Cassandra flushes for seconds) would only slow every test JVM's exit.
   */
  void stopForClose() {
    stop(CLOSE_GRACE);
  }

  /** Whether the log says a port was taken, which is worth a retry on other ports. */
  boolean logShowsBindFailure() {
    return BIND_FAILURE.matcher(logTail()).find();
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** A start-failure message: what failed, the log tail, and what to install. */
  String failure(String what, String installHint) {
    String state = isAlive() ? "still running" : "exited with code " + exitCode();
    return String.format(Locale.ROOT, "%s failed to start: %s (process %s).%nInstall: %s%nLog %s, last lines:%n%s",
        name, what, state, installHint, logFile.toAbsolutePath(), logTail());
  }
}
