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
 * {@link Options} ask for an append-only file. With {@link Options.Builder#tls} the port speaks TLS
 * only; with {@link Options.Builder#user} an ACL user is required (the {@code default} user is off).
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

  /** Whether the port speaks TLS only. */
  public boolean tls() {
    return options.tlsCertificates() != null;
  }

  /** The ACL user clients must authenticate as, or null when the default user is open. */
  public @Nullable String user() {
    return options.user();
  }

  /** The ACL user's password, or null. */
  public @Nullable String password() {
    return options.password();
  }

  /** Deletes every key of every database. */
  public void flushAll() {
    try {
      Resp.command(host(), port, access(), "FLUSHALL");
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
    TestCertificates certs = options.tlsCertificates();
    List<String> command = new ArrayList<>(List.of(
        "redis-server",
        // TLS only: the plain port is closed, so a plaintext client meets a TLS handshake.
        "--port", certs == null ? Integer.toString(port) : "0",
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
    if (certs != null) {
      TestCertificates.Identity identity = requireNonNull(options.tlsIdentity(), "tlsIdentity");
      command.addAll(List.of(
          "--tls-port", Integer.toString(port),
          "--tls-cert-file", identity.certificateFile().toString(),
          "--tls-key-file", identity.keyFile().toString(),
          "--tls-ca-cert-file", certs.caFile().toString(),
          "--tls-auth-clients", options.tlsClientAuth() ? "yes" : "no"));
    }
    if (options.user() != null) {
      command.addAll(List.of("--user", "default", "off"));
      command.addAll(List.of("--user", options.user(), "on", ">" + options.password(), "~*", "&*", "+@all"));
    }
    options.config().forEach((key, value) -> {
      command.add("--" + key);
      command.add(value);
    });
    return server.startAndAwait("redis-server on " + host() + ":" + port, command, data,
        "PONG from " + host() + ":" + port, () -> "PONG".equals(Resp.command(host(), port, access(), "PING")));
  }

  /** How the fixture itself reaches the server (with the client certificate, whatever certificate the server shows). */
  private Resp.Access access() {
    TestCertificates certs = options.tlsCertificates();
    return new Resp.Access(certs == null ? null : certs.probeSslContext(), options.user(), options.password());
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
    private final @Nullable TestCertificates tlsCertificates;
    private final TestCertificates.@Nullable Identity tlsIdentity;
    private final boolean tlsClientAuth;
    private final @Nullable String user;
    private final @Nullable String password;

    private Options(Builder builder) {
      this.appendFsync = builder.appendFsync;
      this.config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.config));
      this.tlsCertificates = builder.tlsCertificates;
      this.tlsIdentity = builder.tlsIdentity;
      this.tlsClientAuth = builder.tlsClientAuth;
      this.user = builder.user;
      this.password = builder.password;
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

    /** The certificates of a TLS-only server, or null for plain TCP. */
    public @Nullable TestCertificates tlsCertificates() {
      return tlsCertificates;
    }

    /** The certificate the server presents (with TLS). */
    public TestCertificates.@Nullable Identity tlsIdentity() {
      return tlsIdentity;
    }

    /** Whether the server requires a client certificate signed by the test CA. */
    public boolean tlsClientAuth() {
      return tlsClientAuth;
    }

    public @Nullable String user() {
      return user;
    }

    public @Nullable String password() {
      return password;
    }

    @Override
    public String toString() {
      return "Options[appendFsync=" + appendFsync + ", config=" + config + ", tls="
          + (tlsIdentity == null ? "off" : tlsIdentity.name() + (tlsClientAuth ? " + client auth" : ""))
          + ", user=" + user + ", password=" + (password == null ? "none" : "****") + "]";
    }

    /** Builds {@link Options}; each setter validates its argument. */
    public static final class Builder {
      // Owned by the fixture: changing them would break port handling, logs or cleanup.
      private static final Set<String> RESERVED = Set.of(
          "port", "bind", "dir", "daemonize", "logfile", "appendonly", "appendfsync", "save",
          "tls-port", "tls-cert-file", "tls-key-file", "tls-ca-cert-file", "tls-auth-clients", "user", "requirepass");

      private @Nullable AppendFsync appendFsync;
      private final Map<String, String> config = new LinkedHashMap<>();
      private @Nullable TestCertificates tlsCertificates;
      private TestCertificates.@Nullable Identity tlsIdentity;
      private boolean tlsClientAuth;
      private @Nullable String user;
      private @Nullable String password;

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

      /** TLS only on the port, presenting {@code certs.server()}; clients need no certificate. */
      public Builder tls(TestCertificates certs) {
        return tls(certs, requireNonNull(certs, "certs is null").server());
      }

      /** TLS only on the port, presenting {@code identity} (e.g. {@code certs.expiredServer()}). */
      public Builder tls(TestCertificates certs, TestCertificates.Identity identity) {
        this.tlsCertificates = requireNonNull(certs, "certs is null");
        this.tlsIdentity = requireNonNull(identity, "identity is null");
        return this;
      }

      /** With {@link #tls}: require a client certificate signed by the test CA. */
      public Builder tlsClientAuth(boolean required) {
        this.tlsClientAuth = required;
        return this;
      }

      /** An ACL user with every permission; the {@code default} user is turned off. */
      public Builder user(String name, String password) {
        requireNonNull(name, "name is null");
        requireNonNull(password, "password is null");
        if (name.isBlank() || name.contains(" ") || name.equals("default")) {
          throw new IllegalArgumentException("user name must be one word other than 'default': '" + name + "'");
        }
        if (password.isEmpty() || password.contains(" ")) {
          throw new IllegalArgumentException("password must be non-empty without spaces");
        }
        this.user = name;
        this.password = password;
        return this;
      }

      public Options build() {
        if (tlsClientAuth && tlsCertificates == null) {
          throw new IllegalStateException("tlsClientAuth needs tls(...)");
        }
        return new Options(this);
      }
    }
  }
}
