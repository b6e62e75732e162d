package dev.onfs.testing;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The life cycle that every single-process fixture shares: start with a readiness wait, retry on
 * new ports after a bind failure, stop and restart on the same ports, close (delete the data), and
 * a JVM shutdown hook. A fixture composes one and keeps only what is specific to its server: the
 * command line, config files, readiness probe and install hint, all in its {@link Starter}.
 *
 * <p>The server's files live in {@link #dir()}: {@code server.log} (kept) and {@code data/}
 * (deleted by close and after a failed first start).
 */
final class ManagedServer {
  /** Starts the server process and returns it once ready; throws (after stopping it) when it is not. */
  @FunctionalInterface
  interface Starter {
    ChildProcess start();
  }

  private final Object owner;
  private final Path dir;
  private final String installHint;
  private final Duration startTimeout;
  private final Duration stopGrace;
  private final boolean isShared;
  private final Starter starter;
  private final Closeable shutdown = this::destroy;
  private @Nullable ChildProcess process;
  private boolean destroyed;

  /**
   * @param owner the fixture, whose {@code toString()} names the server in messages
   * @param starter called under this object's lock by the first start and every restart
   */
  ManagedServer(Object owner, Path dir, String installHint, Duration startTimeout, Duration stopGrace,
      boolean isShared, Starter starter) {
    this.owner = requireNonNull(owner, "owner is null");
    this.dir = requireNonNull(dir, "dir is null");
    this.installHint = requireNonNull(installHint, "installHint is null");
    this.startTimeout = requireNonNull(startTimeout, "startTimeout is null");
    this.stopGrace = requireNonNull(stopGrace, "stopGrace is null");
    this.isShared = isShared;
    this.starter = requireNonNull(starter, "starter is null");
  }

  /**
   * Creates a fixture on {@code portCount} fresh loopback ports and starts it, up to three times
   * (on new ports) while the server reports a port taken; registers it with the shutdown hook once
   * it runs. A failed start deletes the data directory; the log stays.
   */
  static <T> T launch(int portCount, Function<int[], T> create, Function<T, ManagedServer> managed) {
    return ChildProcess.withPortRetry(() -> {
      T fixture = create.apply(Ports.free(portCount));
      ManagedServer server = managed.apply(fixture);
      try {
        server.start();
      } catch (RuntimeException e) {
        ServerFiles.deleteRecursively(server.dir.resolve("data"));
        throw e;
      }
      ShutdownHook.register(server.shutdown);
      return fixture;
    });
  }

  Path dir() {
    return dir;
  }

  synchronized boolean isDestroyed() {
    return destroyed;
  }

  /**
   * Runs {@code command} with its output in {@code server.log} and waits up to the start timeout
   * for {@code probe}; on failure stops it and throws with the log tail and install hint.
   */
  ChildProcess startAndAwait(String name, List<String> command, Path workDir, String what, Waits.Probe probe) {
    ChildProcess started = ChildProcess.start(name, command, workDir, dir.resolve("server.log"), installHint);
    try {
      Waits.until(what, started, startTimeout, probe);
    } catch (Waits.NotReadyException e) {
      throw started.failedStart(e.getMessage(), installHint, e);
    }
    return started;
  }

  /** Stops the server (SIGTERM, SIGKILL after the stop grace); ports and data are kept. */
  synchronized void stop() {
    checkNotDestroyed();
    if (process != null) {
      process.stop(stopGrace);
      process = null;
    }
  }

  /** Stops the server if it runs, then starts it again. */
  synchronized void restart() {
    stop();
    start();
  }

  /** Stops the server and deletes its data; does nothing for a shared server. */
  void close() {
    if (!isShared) {
      destroy();
    }
  }

  /** The running process, for readiness waits that should fail fast when it dies. */
  synchronized ChildProcess process() {
    checkNotDestroyed();
    if (process == null) {
      throw new IllegalStateException(owner + " is stopped");
    }
    return process;
  }

  private synchronized void start() {
    checkNotDestroyed();
    process = starter.start();
  }

  private synchronized void destroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    ShutdownHook.unregister(shutdown);
    if (process != null) {
      process.stopForClose();
      process = null;
    }
    ServerFiles.deleteRecursively(dir.resolve("data"));
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException(owner + " is closed");
    }
  }
}
