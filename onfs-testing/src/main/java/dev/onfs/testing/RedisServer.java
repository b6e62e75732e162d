package dev.onfs.testing;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A real standalone {@code redis-server} on a free loopback port, without persistence unless
 * {@link Options} ask for an append-only file.
 *
 * <p>{@link #stop()} and {@link #restart()} keep the port and the data directory, so a restarted
 * server with an append-only file has its data back. {@link #close()} stops the server and deletes
 * its data.
 */
public final class RedisServer implements Closeable {
  static final String INSTALL_HINT = "apt-get install -y redis-server redis-tools";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private static final SharedInstance<RedisServer> SHARED =
      new SharedInstance<>(() -> launch(Options.defaults(), "redis", true), redis -> redis.server.isDestroyed());

  private final Options options;
  private final int port;
  private final ManagedServer server;

  private RedisServer(Options options, String name, int port, boolean isShared) {
    this.options = options;
    this.port = port;
    this.server = new ManagedServer(this, ServerFiles.serverDir(name, port), INSTALL_HINT, START_TIMEOUT, STOP_GRACE,
        isShared, this::startProcess);
  }

  /** The server shared by all tests of this JVM (no persistence); stopped only at JVM exit. */
  public static RedisServer shared() {
    return SHARED.get();
  }

  /** Starts a new server without persistence. */
  public static RedisServer start() {
    return start(Options.defaults());
  }

  /** Starts a new server configured by {@code options}. */
  public static RedisServer start(Options options) {
    requireNonNull(options, "options is null");
    return launch(options, "redis", false);
  }

  static RedisServer launch(Options options, String name, boolean isShared) {
    return launch(() -> options, name, isShared);
  }

  /** Starts a server; {@code options} is asked again on each retry so that it may pick new ports. */
  static RedisServer launch(java.util.function.Supplier<Options> options, String name, boolean isShared) {
    return ManagedServer.launch(1, ports -> new RedisServer(options.get(), name, ports[0], isShared),
        redis -> redis.server);
  }

  public String host() {
    return Ports.HOST;
  }

  public int port() {
    return port;
  }

  /** Stops the server (SIGTERM, as a crash-free shutdown); data and port are kept for {@link #restart()}. */
  public void stop() {
    server.stop();
  }

  /**
   * Freezes the server (SIGSTOP), as a hung or swapped-out Redis: connections are still accepted but no
   * command is answered until {@link #resume()}. {@link #stop()} and {@link #close()} resume it first.
   */
  public void pause() {
    server.process().pause();
  }

  /** Lets a {@link #pause() paused} server answer again (SIGCONT); commands sent meanwhile are answered. */
  public void resume() {
    server.process().resume();
  }

  /** Stops the server if it runs, then starts it again on the same port with the same data directory. */
  public void restart() {
    server.restart();
  }

  /** Deletes every key of every database. */
  public void flushAll() {
    try {
      Resp.command(host(), port, "FLUSHALL");
    } catch (IOException e) {
      throw new UncheckedIOException("FLUSHALL failed on " + host() + ":" + port, e);
    }
  }

  /** Stops the server and deletes its data; does nothing for the {@link #shared()} server. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "RedisServer[" + host() + ":" + port + "]";
  }

  Path dir() {
    return server.dir();
  }

  /** The running process, for readiness waits that should fail fast when it dies. */
  ChildProcess process() {
    return server.process();
  }

  private ChildProcess startProcess() {
    Path data = server.dir().resolve("data");
    List<String> command = new ArrayList<>(List.of(
        "redis-server",
        "--port", Integer.toString(port),
        "--bind", Ports.HOST,
        "--daemonize", "no",
        "--dir", data.toString(),
        "--save", "",
        "--logfile", ""));
    if (options.appendFsync() == null) {
      command.addAll(List.of("--appendonly", "no"));
    } else {
      command.addAll(List.of("--appendonly", "yes", "--appendfsync", options.appendFsync().configValue()));
    }
    options.config().forEach((key, value) -> {
      command.add("--" + key);
      command.add(value);
    });
    return server.startAndAwait("redis-server on " + host() + ":" + port, command, data,
        "PONG from " + host() + ":" + port, () -> "PONG".equals(Resp.command(host(), port, "PING")));
  }

  /** How often Redis fsyncs its append-only file. */
  public enum AppendFsync {
    ALWAYS,
    EVERYSEC,
    NO;

    String configValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Server configuration beyond the defaults (no persistence). Immutable. */
  public static final class Options {
    private static final Options DEFAULTS = new Builder().build();

    private final @Nullable AppendFsync appendFsync;
    private final Map<String, String> config;

    private Options(Builder builder) {
      this.appendFsync = builder.appendFsync;
      this.config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.config));
    }

    /** No persistence, Redis defaults otherwise. */
    public static Options defaults() {
      return DEFAULTS;
    }

    /** An append-only file with the given fsync policy, e.g. {@link AppendFsync#ALWAYS} for durability tests. */
    public static Options appendOnly(AppendFsync fsync) {
      return builder().appendOnly(fsync).build();
    }

    public static Builder builder() {
      return new Builder();
    }

    /** The append-only fsync policy, or null when the append-only file is off. */
    public @Nullable AppendFsync appendFsync() {
      return appendFsync;
    }

    /** Extra {@code redis-server --name value} settings. */
    public Map<String, String> config() {
      return config;
    }

    @Override
    public String toString() {
      return "Options[appendFsync=" + appendFsync + ", config=" + config + "]";
    }

    /** Builds {@link Options}; each setter validates its argument. */
    public static final class Builder {
      // Owned by the fixture: changing them would break port handling, logs or cleanup.
      private static final Set<String> RESERVED = Set.of(
          "port", "bind", "dir", "daemonize", "logfile", "appendonly", "appendfsync", "save");

      private @Nullable AppendFsync appendFsync;
      private final Map<String, String> config = new LinkedHashMap<>();

      private Builder() {}

      public Builder appendOnly(AppendFsync fsync) {
        this.appendFsync = requireNonNull(fsync, "fsync is null");
        return this;
      }

      /** An extra setting such as {@code config("maxmemory", "64mb")}. */
      public Builder config(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        if (name.isBlank() || name.startsWith("-")) {
          throw new IllegalArgumentException("config name must be a bare Redis setting name: '" + name + "'");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException("config '" + name + "' is set by the fixture; reserved: " + RESERVED);
        }
        config.put(name, value);
        return this;
      }

      public Options build() {
        return new Options(this);
      }
    }
  }
}
