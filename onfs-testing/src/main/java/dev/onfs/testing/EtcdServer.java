package dev.onfs.testing;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import org.jspecify.annotations.Nullable;

/**
 * A real single-member {@code etcd} (v3 API) on free loopback client and peer ports, with a fresh
 * data directory.
 *
 * <p>With {@link Options.Builder#tls} the client port speaks only TLS ({@code https://}); with
 * {@link Options.Builder#rootPassword} authentication is on and clients log in as {@code root}.
 * {@link #stop()} and {@link #restart()} keep the ports and the data; {@link #close()} stops the
 * server and deletes its data.
 */
public final class EtcdServer implements Closeable {
  static final String INSTALL_HINT = "apt-get install -y etcd-server etcd-client";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private static final SharedInstance<EtcdServer> SHARED =
      new SharedInstance<>(() -> launch(Options.defaults(), true), etcd -> etcd.server.isDestroyed());

  private final Options options;
  private final int clientPort;
  private final int peerPort;
  private final ManagedServer server;
  private boolean authEnabled;

  private EtcdServer(Options options, int clientPort, int peerPort, boolean isShared) {
    this.options = options;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.server = new ManagedServer(this, ServerFiles.serverDir("etcd", clientPort), INSTALL_HINT, START_TIMEOUT,
        STOP_GRACE, isShared, this::startProcess);
  }

  /** The server shared by all tests of this JVM; stopped only at JVM exit. */
  public static EtcdServer shared() {
    return SHARED.get();
  }

  /** Starts a new server with an empty data directory. */
  public static EtcdServer start() {
    return launch(Options.defaults(), false);
  }

  /** Starts a new server configured by {@code options}, with an empty data directory. */
  public static EtcdServer start(Options options) {
    return launch(requireNonNull(options, "options is null"), false);
  }

  private static EtcdServer launch(Options options, boolean isShared) {
    return ManagedServer.launch(2, ports -> new EtcdServer(options, ports[0], ports[1], isShared), etcd -> etcd.server);
  }

  /** The client URL, {@code http://127.0.0.1:<port>} ({@code https://} with TLS). */
  public String endpoint() {
    return (options.tlsCertificates() == null ? "http://" : "https://") + Ports.HOST + ":" + clientPort;
  }

  /** {@code root} when authentication is on, else null. */
  public @Nullable String user() {
    return options.rootPassword() == null ? null : "root";
  }

  /** The root password when authentication is on, else null. */
  public @Nullable String password() {
    return options.rootPassword();
  }

  public int port() {
    return clientPort;
  }

  /** Stops the server; data and ports are kept for {@link #restart()}. */
  public void stop() {
    server.stop();
  }

  /** Stops the server if it runs, then starts it again on the same ports with the same data. */
  public void restart() {
    server.restart();
  }

  /** Stops the server and deletes its data; does nothing for the {@link #shared()} server. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "EtcdServer[" + endpoint() + "]";
  }

  private ChildProcess startProcess() {
    Path dir = server.dir();
    String peerUrl = "http://" + Ports.HOST + ":" + peerPort;
    List<String> command = new ArrayList<>(List.of(
        "etcd",
        "--name", "default",
        "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", endpoint(),
        "--advertise-client-urls", endpoint(),
        "--listen-peer-urls", peerUrl,
        "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "default=" + peerUrl,
        "--initial-cluster-state", "new",
        // One member: a short election timeout makes it leader sooner after a (re)start.
        "--heartbeat-interval", "50",
        "--election-timeout", "500",
        "--logger", "zap",
        "--log-outputs", "stderr"));
    TestCertificates certs = options.tlsCertificates();
    if (certs != null) {
      TestCertificates.Identity identity = requireNonNull(options.tlsIdentity(), "tlsIdentity");
      command.addAll(List.of(
          "--cert-file", identity.certificateFile().toString(),
          "--key-file", identity.keyFile().toString()));
      if (options.tlsClientAuth()) {
        // etcd asks every client for a certificate as soon as it has a trusted CA file.
        command.addAll(List.of("--trusted-ca-file", certs.caFile().toString(), "--client-cert-auth"));
      }
    }
    ChildProcess started = server.startAndAwait("etcd on " + endpoint(), command, dir,
        "healthy answer from " + endpoint() + "/health", this::healthy);
    if (options.rootPassword() != null && !authEnabled) {
      try {
        enableAuth(options.rootPassword());
      } catch (IOException | RuntimeException e) {
        started.stop(Duration.ofSeconds(5));
        throw new IllegalStateException("cannot turn on authentication of " + this + ": " + e, e);
      }
      authEnabled = true;
    }
    return started;
  }

  /** What {@code etcdctl user add root; etcdctl auth enable} do, through etcd's JSON gateway. */
  private void enableAuth(String rootPassword) throws IOException {
    post("/v3/auth/role/add", "{\"name\":\"root\"}");
    post("/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"" + rootPassword + "\"}");
    post("/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}");
    post("/v3/auth/enable", "{}");
  }

  private void post(String path, String json) throws IOException {
    HttpURLConnection connection = open(path);
    try {
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/json");
      try (OutputStream out = connection.getOutputStream()) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
      int code = connection.getResponseCode();
      if (code != 200) {
        InputStream error = connection.getErrorStream();
        String body = error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8);
        throw new IOException("POST " + path + " answered " + code + ": " + body);
      }
    } finally {
      connection.disconnect();
    }
  }

  private HttpURLConnection open(String path) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + path).toURL().openConnection();
    TestCertificates certs = options.tlsCertificates();
    if (connection instanceof HttpsURLConnection https && certs != null) {
      https.setSSLSocketFactory(certs.probeSslContext().getSocketFactory());
      // The probe accepts whatever certificate the server shows (expired ones on purpose, too).
      https.setHostnameVerifier((host, session) -> true);
    }
    return connection;
  }

  private boolean healthy() throws IOException {
    HttpURLConnection connection = open("/health");
    connection.setConnectTimeout(1000);
    connection.setReadTimeout(2000);
    try {
      if (connection.getResponseCode() != 200) {
        return false;
      }
      try (InputStream in = connection.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(" ", "").contains("\"health\":\"true\"");
      }
    } finally {
      connection.disconnect();
    }
  }

  /** Server configuration beyond the defaults (plain HTTP, no authentication). Immutable. */
  public static final class Options {
    private static final Options DEFAULTS = new Builder().build();

    private final @Nullable TestCertificates tlsCertificates;
    private final TestCertificates.@Nullable Identity tlsIdentity;
    private final boolean tlsClientAuth;
    private final @Nullable String rootPassword;

    private Options(Builder builder) {
      this.tlsCertificates = builder.tlsCertificates;
      this.tlsIdentity = builder.tlsIdentity;
      this.tlsClientAuth = builder.tlsClientAuth;
      this.rootPassword = builder.rootPassword;
    }

    public static Options defaults() {
      return DEFAULTS;
    }

    public static Builder builder() {
      return new Builder();
    }

    public @Nullable TestCertificates tlsCertificates() {
      return tlsCertificates;
    }

    public TestCertificates.@Nullable Identity tlsIdentity() {
      return tlsIdentity;
    }

    public boolean tlsClientAuth() {
      return tlsClientAuth;
    }

    public @Nullable String rootPassword() {
      return rootPassword;
    }

    @Override
    public String toString() {
      return "Options[tls=" + (tlsIdentity == null ? "off" : tlsIdentity.name() + (tlsClientAuth ? " + client auth" : ""))
          + ", auth=" + (rootPassword == null ? "off" : "root/****") + "]";
    }

    /** Builds {@link Options}. */
    public static final class Builder {
      private @Nullable TestCertificates tlsCertificates;
      private TestCertificates.@Nullable Identity tlsIdentity;
      private boolean tlsClientAuth;
      private @Nullable String rootPassword;

      private Builder() {}

      /** TLS on the client port, presenting {@code certs.server()}. */
      public Builder tls(TestCertificates certs) {
        return tls(certs, requireNonNull(certs, "certs is null").server());
      }

      /** TLS on the client port, presenting {@code identity} (e.g. {@code certs.expiredServer()}). */
      public Builder tls(TestCertificates certs, TestCertificates.Identity identity) {
        this.tlsCertificates = requireNonNull(certs, "certs is null");
        this.tlsIdentity = requireNonNull(identity, "identity is null");
        return this;
      }

      /** With {@link #tls}: require a client certificate signed by the test CA ({@code --client-cert-auth}). */
      public Builder tlsClientAuth(boolean required) {
        this.tlsClientAuth = required;
        return this;
      }

      /** Turns authentication on with user {@code root} and this password. */
      public Builder rootPassword(String password) {
        requireNonNull(password, "password is null");
        if (password.isEmpty() || !password.matches("[A-Za-z0-9._-]+")) {
          throw new IllegalArgumentException("rootPassword must be non-empty letters, digits, '.', '_' or '-'");
        }
        this.rootPassword = password;
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
