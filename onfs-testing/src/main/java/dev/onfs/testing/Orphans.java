package dev.onfs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Servers left running by a test JVM that was killed (no shutdown hook ran) are stopped by the next
 * test JVM of the same module. Each server directory records the process and its owner, with start
 * times so that a reused pid is never mistaken for a server.
 */
final class Orphans {
  private static final String SUFFIX = ".pid";
  private static boolean reaped;

  private Orphans() {}

  /** Records {@code child} next to its log, as {@code <log>.pid} (one record per log, the latest process). */
  static void record(Path logFile, ProcessHandle child) {
    ProcessHandle owner = ProcessHandle.current();
    String line = child.pid() + " " + startMillis(child) + " " + owner.pid() + " " + startMillis(owner);
    Path file = logFile.resolveSibling(logFile.getFileName() + SUFFIX);
    try {
      Files.writeString(file, line, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Stops, once per JVM, every recorded server under {@code root} whose owning JVM is gone. */
  static synchronized void reapOnce(Path root) {
    if (reaped) {
      return;
    }
    reaped = true;
    reapAll(root);
  }

  /** Stops every recorded server under {@code root} whose owning JVM is gone. */
  static void reapAll(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (DirectoryStream<Path> records = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
          for (Path file : records) {
            reap(Files.readString(file, StandardCharsets.UTF_8).trim().split(" "));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: a stale server only costs memory and ports.
    }
  }

  private static void reap(String[] fields) {
    if (fields.length != 4 || isRunning(Long.parseLong(fields[2]), Long.parseLong(fields[3]))) {
      return;
    }
    Optional<ProcessHandle> child = running(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
    child.ifPresent(process -> {
      process.destroy();
      try {
        process.onExit().get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
    });
  }

  private static boolean isRunning(long pid, long startMillis) {
    return running(pid, startMillis).isPresent();
  }

  private static Optional<ProcessHandle> running(long pid, long startMillis) {
    return ProcessHandle.of(pid).filter(p -> p.isAlive() && startMillis(p) == startMillis && startMillis != -1);
  }

  private static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
  }
}
