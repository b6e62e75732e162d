package dev.onfs.testing;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A real single-node Apache Cassandra 5.0 (the CQL stand-in for ScyllaDB) run in a child JVM from
 * the Maven Central jars, on free loopback ports with a generated small {@code cassandra.yaml}.
 *
 * <p>Ready when the native port answers a CQL {@code OPTIONS} request; with
 * {@link Options.Builder#passwordAuthentication()}, when the default superuser
 * {@code cassandra}/{@code cassandra} (created a moment after start) can log in. With
 * {@link Options.Builder#tls} the native port speaks only TLS. {@link #stop()} and
 * {@link #restart()} keep the ports and the data; {@link #close()} stops the server and deletes
 * its data. Start it once per test JVM with {@link #shared()}: it takes seconds and about a
 * gigabyte of memory.
 */
public final class CassandraServer implements Closeable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final String DATACENTER = "datacenter1";

  // The JDK 17 module flags of Cassandra's own jvm17-server.options.
  private static final List<String> JDK17_OPTIONS = List.of(
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.math=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/java.net=ALL-UNNAMED");

  private static final SharedInstance<CassandraServer> SHARED =
      new SharedInstance<>(() -> launch(Options.defaults(), true), cassandra -> cassandra.server.isDestroyed());

  /** The superuser Cassandra creates when password authentication is on. */
  private static final String SUPERUSER = "cassandra";

  private final Options options;
  private final int nativePort;
  private final int storagePort;
  private final ManagedServer server;

  private CassandraServer(Options options, int nativePort, int storagePort, boolean isShared) {
    this.options = options;
    this.nativePort = nativePort;
    this.storagePort = storagePort;
    this.server = new ManagedServer(this, ServerFiles.serverDir("cassandra", nativePort), JavaRuntime.INSTALL_HINT,
        START_TIMEOUT, STOP_GRACE, isShared, this::startProcess);
  }

  /** The server shared by all tests of this JVM; stopped only at JVM exit. */
  public static CassandraServer shared() {
    return SHARED.get();
  }

  /** Starts a new server with empty storage (prefer {@link #shared()}: each server costs ~1 GB). */
  public static CassandraServer start() {
    return launch(Options.defaults(), false);
  }

  /** Starts a new server configured by {@code options}, with empty storage. */
  public static CassandraServer start(Options options) {
    return launch(requireNonNull(options, "options is null"), false);
  }

  private static CassandraServer launch(Options options, boolean isShared) {
    return ManagedServer.launch(2, ports -> new CassandraServer(options, ports[0], ports[1], isShared),
        cassandra -> cassandra.server);
  }

  /** {@code cassandra} with password authentication, else null. */
  public @Nullable String username() {
    return options.passwordAuthentication() ? SUPERUSER : null;
  }

  /** {@code cassandra} with password authentication, else null. */
  public @Nullable String password() {
    return options.passwordAuthentication() ? SUPERUSER : null;
  }

  /** The CQL native-protocol address for the driver's contact points. */
  public InetSocketAddress contactPoint() {
    return new InetSocketAddress(Ports.HOST, nativePort);
  }

  /** The datacenter name the driver's load-balancing policy needs: {@code datacenter1}. */
  public String localDatacenter() {
    return DATACENTER;
  }

  /** Stops the server; ports and data are kept for {@link #restart()}. */
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
    return "CassandraServer[" + Ports.HOST + ":" + nativePort + "]";
  }

  private ChildProcess startProcess() {
    Path dir = server.dir();
    String java = JavaRuntime.javaExecutable();
    String classpath = JavaRuntime.classpath("cassandra-runtime");
    Path yaml = dir.resolve("cassandra.yaml");
    Path logback = dir.resolve("logback.xml");
    writeConfig(yaml, logback);

    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(List.of("-Xms256m", "-Xmx768m", "-Xss512k", "-XX:+UseG1GC", "-XX:+HeapDumpOnOutOfMemoryError",
        "-XX:HeapDumpPath=" + dir, "-Djava.awt.headless=true", "-Djdk.attach.allowAttachSelf=true",
        "-Dio.netty.tryReflectionSetAccessible=true"));
    command.addAll(JDK17_OPTIONS);
    command.addAll(List.of(
        "-Dcassandra.config=" + yaml.toUri(),
        "-Dcassandra-foreground=yes",
        "-Dcassandra.storagedir=" + dir.resolve("data"),
        "-Dlogback.configurationFile=" + logback.toUri(),
        // One node, no peers: nothing to wait for.
        "-Dcassandra.skip_wait_for_gossip_to_settle=0",
        "-Dcassandra.ring_delay_ms=0",
        "-Dcassandra.superuser_setup_delay_ms=0",
        "-Dcassandra.join_ring=true",
        "-cp", classpath,
        "org.apache.cassandra.service.CassandraDaemon"));
    if (options.passwordAuthentication()) {
      return server.startAndAwait("Cassandra on " + Ports.HOST + ":" + nativePort, command, dir,
          "CQL login as " + SUPERUSER + " on " + Ports.HOST + ":" + nativePort, this::superuserLogsIn);
    }
    return server.startAndAwait("Cassandra on " + Ports.HOST + ":" + nativePort, command, dir,
        "CQL answer on " + Ports.HOST + ":" + nativePort, this::cqlAnswers);
  }

  private Socket connect() throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(contactPoint(), 500);
      plain.setSoTimeout(2000);
      TestCertificates certs = options.tlsCertificates();
      if (certs == null) {
        return plain;
      }
      SSLSocket tls = (SSLSocket) certs.probeSslContext().getSocketFactory()
          .createSocket(plain, Ports.HOST, nativePort, true);
      tls.startHandshake();
      return tls;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** Sends a native-protocol v4 OPTIONS frame and expects SUPPORTED back. */
  private boolean cqlAnswers() throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      // version 4, flags 0, stream 1, opcode OPTIONS (0x05), body length 0
      out.write(new byte[] {0x04, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00});
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] header = new byte[9];
      in.readFully(header);
      // response version 0x84, opcode SUPPORTED (0x06)
      return (header[0] & 0xFF) == 0x84 && header[4] == 0x06;
    }
  }

  /**
   * STARTUP, then SASL PLAIN as the default superuser: true on AUTH_SUCCESS. Until Cassandra has
   * created the superuser role the login fails, and the probe says "not yet".
   */
  private boolean superuserLogsIn() throws IOException {
    try (Socket socket = connect()) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      ByteArrayOutputStream startup = new ByteArrayOutputStream();
      DataOutputStream body = new DataOutputStream(startup);
      body.writeShort(1);
      writeString(body, "CQL_VERSION");
      writeString(body, "3.0.0");
      if (exchange(out, in, 0x01, startup.toByteArray()) != 0x03) { // AUTHENTICATE expected
        return false;
      }
      byte[] token = ("\0" + SUPERUSER + "\0" + SUPERUSER).getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      DataOutputStream auth = new DataOutputStream(response);
      auth.writeInt(token.length);
      auth.write(token);
      return exchange(out, in, 0x0F, response.toByteArray()) == 0x10; // AUTH_RESPONSE -> AUTH_SUCCESS
    }
  }

  /** Sends one v4 request frame and returns the opcode of the response (its body is skipped). */
  private static int exchange(DataOutputStream out, DataInputStream in, int opcode, byte[] body) throws IOException {
    out.writeByte(0x04);
    out.writeByte(0);
    out.writeShort(1);
    out.writeByte(opcode);
    out.writeInt(body.length);
    out.write(body);
    out.flush();
    byte[] header = new byte[9];
    in.readFully(header);
    int length = ((header[5] & 0xFF) << 24) | ((header[6] & 0xFF) << 16) | ((header[7] & 0xFF) << 8) | (header[8] & 0xFF);
    in.readNBytes(Math.max(0, Math.min(length, 1 << 20)));
    return header[4] & 0xFF;
  }

  private static void writeString(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  /** {@code client_encryption_options}: off, or TLS only on the native port with the PKCS12 stores. */
  private String clientEncryption() {
    TestCertificates certs = options.tlsCertificates();
    if (certs == null) {
      return "";
    }
    TestCertificates.Identity identity = requireNonNull(options.tlsIdentity(), "tlsIdentity");
    return String.join("\n",
        "client_encryption_options:",
        "  enabled: true",
        "  optional: false",
        "  store_type: PKCS12",
        "  keystore: " + identity.pkcs12File(),
        "  keystore_password: " + TestCertificates.STORE_PASSWORD,
        "  truststore: " + certs.caTrustStorePkcs12(),
        "  truststore_password: " + TestCertificates.STORE_PASSWORD,
        "  require_client_auth: " + options.tlsClientAuth());
  }

  private void writeConfig(Path yaml, Path logback) {
    Path data = server.dir().resolve("data");
    String config = String.join("\n",
        "cluster_name: onfs-test",
        "num_tokens: 1",
        "initial_token: 0",
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
        "auto_bootstrap: false",
        "commitlog_sync: periodic",
        "commitlog_sync_period: 10000ms",
        "commitlog_segment_size: 8MiB",
        "data_file_directories:",
        "  - " + data.resolve("data"),
        "commitlog_directory: " + data.resolve("commitlog"),
        "saved_caches_directory: " + data.resolve("saved_caches"),
        "hints_directory: " + data.resolve("hints"),
        "cdc_raw_directory: " + data.resolve("cdc"),
        "seed_provider:",
        "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
        "    parameters:",
        "      - seeds: \"" + Ports.HOST + ":" + storagePort + "\"",
        "listen_address: " + Ports.HOST,
        "rpc_address: " + Ports.HOST,
        "storage_port: " + storagePort,
        "native_transport_port: " + nativePort,
        "start_native_transport: true",
        "endpoint_snitch: SimpleSnitch",
        "authenticator: " + (options.passwordAuthentication() ? "PasswordAuthenticator" : "AllowAllAuthenticator"),
        "authorizer: AllowAllAuthorizer",
        "disk_failure_policy: stop",
        "commit_failure_policy: stop",
        // Small pools and caches: a test node on a shared 2-core machine.
        "concurrent_reads: 8",
        "concurrent_writes: 8",
        "concurrent_counter_writes: 4",
        "concurrent_compactors: 1",
        "memtable_heap_space: 128MiB",
        "memtable_offheap_space: 128MiB",
        "key_cache_size: 16MiB",
        "file_cache_size: 64MiB",
        "networking_cache_size: 32MiB",
        "hinted_handoff_enabled: false",
        "dynamic_snitch: false",
        clientEncryption(),
        "");
    String logConfig = String.join("\n",
        "<configuration>",
        "  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
        "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>",
        "  </appender>",
        "  <root level=\"INFO\"><appender-ref ref=\"STDOUT\"/></root>",
        "</configuration>",
        "");
    try {
      Files.createDirectories(data);
      Files.writeString(yaml, config, StandardCharsets.UTF_8);
      Files.writeString(logback, logConfig, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + yaml, e);
    }
  }

  /** Server configuration beyond the defaults (plain native port, no authentication). Immutable. */
  public static final class Options {
    private static final Options DEFAULTS = new Builder().build();

    private final @Nullable TestCertificates tlsCertificates;
    private final TestCertificates.@Nullable Identity tlsIdentity;
    private final boolean tlsClientAuth;
    private final boolean passwordAuthentication;

    private Options(Builder builder) {
      this.tlsCertificates = builder.tlsCertificates;
      this.tlsIdentity = builder.tlsIdentity;
      this.tlsClientAuth = builder.tlsClientAuth;
      this.passwordAuthentication = builder.passwordAuthentication;
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

    public boolean passwordAuthentication() {
      return passwordAuthentication;
    }

    @Override
    public String toString() {
      return "Options[tls=" + (tlsIdentity == null ? "off" : tlsIdentity.name() + (tlsClientAuth ? " + client auth" : ""))
          + ", passwordAuthentication=" + passwordAuthentication + "]";
    }

    /** Builds {@link Options}. */
    public static final class Builder {
      private @Nullable TestCertificates tlsCertificates;
      private TestCertificates.@Nullable Identity tlsIdentity;
      private boolean tlsClientAuth;
      private boolean passwordAuthentication;

      private Builder() {}

      /** TLS only on the native port, presenting {@code certs.server()}. */
      public Builder tls(TestCertificates certs) {
        return tls(certs, requireNonNull(certs, "certs is null").server());
      }

      /** TLS only on the native port, presenting {@code identity} (e.g. {@code certs.expiredServer()}). */
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

      /** {@code PasswordAuthenticator}: clients log in as {@code cassandra}/{@code cassandra}. */
      public Builder passwordAuthentication() {
        this.passwordAuthentication = true;
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
