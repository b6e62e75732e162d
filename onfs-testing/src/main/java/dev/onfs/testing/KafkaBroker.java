package dev.onfs.testing;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A real single-node Kafka 4 broker in KRaft mode (broker and controller in one process), run in a
 * child JVM from the Maven Central jars, on free loopback ports with a fresh log directory.
 *
 * <p>The readiness check and {@link #createTopic} use the Admin API of {@code kafka-clients}, which
 * must be on the test classpath (an optional dependency of onfs-testing). {@link #stop()} and
 * {@link #restart()} keep the ports and the data; {@link #close()} stops the broker and deletes its
 * data.
 *
 * <p>With {@link Options} asking for TLS and/or SASL, {@link #bootstrapServers()} is a listener of
 * protocol {@code SSL}, {@code SASL_SSL} or {@code SASL_PLAINTEXT} (mechanisms {@code PLAIN},
 * {@code SCRAM-SHA-256} and {@code SCRAM-SHA-512}, SCRAM credentials created at format time), and the
 * fixture keeps a plaintext listener on another port for its own readiness check and
 * {@link #createTopic}.
 */
public final class KafkaBroker implements Closeable {
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private static final SharedInstance<KafkaBroker> SHARED =
      new SharedInstance<>(() -> launch(Options.defaults(), true), kafka -> kafka.server.isDestroyed());

  private final Options options;
  private final int port;
  private final int controllerPort;
  // The plaintext listener of a secured broker, for the fixture's own Admin calls; else the client port.
  private final int adminPort;
  private final ManagedServer server;
  private boolean formatted;

  private KafkaBroker(Options options, int port, int controllerPort, int adminPort, boolean isShared) {
    this.options = options;
    this.port = port;
    this.controllerPort = controllerPort;
    this.adminPort = adminPort;
    this.server = new ManagedServer(this, ServerFiles.serverDir("kafka", port), JavaRuntime.INSTALL_HINT,
        START_TIMEOUT, STOP_GRACE, isShared, this::startProcess);
  }

  /** The broker shared by all tests of this JVM; stopped only at JVM exit. */
  public static KafkaBroker shared() {
    return SHARED.get();
  }

  /** Starts a new broker with empty storage. */
  public static KafkaBroker start() {
    return launch(Options.defaults(), false);
  }

  /** Starts a new broker configured by {@code options}, with empty storage. */
  public static KafkaBroker start(Options options) {
    return launch(requireNonNull(options, "options is null"), false);
  }

  private static KafkaBroker launch(Options options, boolean isShared) {
    if (!options.secured()) {
      return ManagedServer.launch(2, ports -> new KafkaBroker(options, ports[0], ports[1], ports[0], isShared),
          kafka -> kafka.server);
    }
    return ManagedServer.launch(3, ports -> new KafkaBroker(options, ports[0], ports[1], ports[2], isShared),
        kafka -> kafka.server);
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return Ports.HOST + ":" + port;
  }

  /** The {@code security.protocol} clients of {@link #bootstrapServers()} use: PLAINTEXT, SSL, SASL_SSL or SASL_PLAINTEXT. */
  public String securityProtocol() {
    return options.securityProtocol();
  }

  /** The SASL user (every mechanism), or null without SASL. */
  public @Nullable String user() {
    return options.user();
  }

  /** The SASL user's password, or null. */
  public @Nullable String password() {
    return options.password();
  }

  public int port() {
    return port;
  }

  /**
   * Creates a topic with replication factor 1 and waits until every partition has a leader. A topic
   * that already exists is left as it is.
   */
  public void createTopic(String name, int partitions) {
    requireNonNull(name, "name is null");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
    }
    KafkaAdmin.createTopic(adminServers(), name, partitions);
  }

  /** Stops the broker; ports and data are kept for {@link #restart()}. */
  public void stop() {
    server.stop();
  }

  /** Stops the broker if it runs, then starts it again on the same ports with the same data. */
  public void restart() {
    server.restart();
  }

  /** Stops the broker and deletes its data; does nothing for the {@link #shared()} broker. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "KafkaBroker[" + bootstrapServers() + (options.secured() ? " " + options : "") + "]";
  }

  private String adminServers() {
    return Ports.HOST + ":" + adminPort;
  }

  // Runs under the ManagedServer's lock, which also guards 'formatted'.
  private ChildProcess startProcess() {
    requireKafkaClients();
    Path dir = server.dir();
    String java = JavaRuntime.javaExecutable();
    String classpath = JavaRuntime.classpath("kafka-runtime");
    Path config = dir.resolve("server.properties");
    Path log = dir.resolve("server.log");
    if (!formatted) {
      writeConfig(config);
      List<String> formatArgs = new ArrayList<>(List.of("format", "-t", clusterId(), "-c", config.toString()));
      if (options.user() != null) {
        // SCRAM credentials live in the cluster metadata: created with the first metadata records.
        for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
          formatArgs.addAll(List.of("--add-scram",
              mechanism + "=[name=" + options.user() + ",password=" + options.password() + "]"));
        }
      }
      ChildProcess format = ChildProcess.start("Kafka storage format for " + bootstrapServers(),
          javaCommand(java, classpath, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), "kafka.tools.StorageTool",
              formatArgs),
          dir, log, JavaRuntime.INSTALL_HINT);
      if (!format.awaitExit(FORMAT_TIMEOUT) || format.exitCode() != 0) {
        throw format.failedStart("kafka.tools.StorageTool format did not succeed", JavaRuntime.INSTALL_HINT, null);
      }
      formatted = true;
    }
    return server.startAndAwait("Kafka broker on " + bootstrapServers(),
        javaCommand(java, classpath, List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC"), "kafka.Kafka",
            List.of(config.toString())),
        dir, "broker in Admin describeCluster of " + adminServers(),
        () -> KafkaAdmin.brokerAnswers(adminServers()));
  }

  private static void requireKafkaClients() {
    try {
      Class.forName("org.apache.kafka.clients.admin.Admin", false, KafkaBroker.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("KafkaBroker needs org.apache.kafka:kafka-clients on the test classpath"
          + " (add it as a test dependency)", e);
    }
  }

  private static List<String> javaCommand(String java, String classpath, List<String> jvmOptions, String mainClass,
      List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.addAll(List.of(
        "-Djava.awt.headless=true",
        "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        "-cp", classpath,
        mainClass));
    command.addAll(args);
    return command;
  }

  private void writeConfig(Path config) {
    Path dir = server.dir();
    String controller = Ports.HOST + ":" + controllerPort;
    String listeners = options.secured()
        ? String.join("\n",
            "listeners=CLIENT://" + bootstrapServers() + ",PLAINTEXT://" + adminServers() + ",CONTROLLER://" + controller,
            "advertised.listeners=CLIENT://" + bootstrapServers() + ",PLAINTEXT://" + adminServers(),
            "listener.security.protocol.map=CLIENT:" + options.securityProtocol()
                + ",PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")
            + "\n" + securityConfig()
        : String.join("\n",
            "listeners=PLAINTEXT://" + bootstrapServers() + ",CONTROLLER://" + controller,
            "advertised.listeners=PLAINTEXT://" + bootstrapServers(),
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    String properties = String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + controller,
        listeners,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + dir.resolve("data"),
        "num.partitions=1",
        // One node: every internal topic has one replica; few partitions keep group start-up quick.
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=4",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "num.network.threads=2",
        "num.io.threads=2",
        "") ;
    try {
      Files.createDirectories(dir);
      Files.writeString(config, properties, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
  }

  /** TLS and SASL settings of the CLIENT listener. */
  private String securityConfig() {
    List<String> lines = new ArrayList<>();
    TestCertificates certs = options.tlsCertificates();
    if (certs != null) {
      TestCertificates.Identity identity = requireNonNull(options.tlsIdentity(), "tlsIdentity");
      String prefix = "listener.name.client.";
      lines.addAll(List.of(
          prefix + "ssl.keystore.type=PKCS12",
          prefix + "ssl.keystore.location=" + identity.pkcs12File(),
          prefix + "ssl.keystore.password=" + TestCertificates.STORE_PASSWORD,
          prefix + "ssl.key.password=" + TestCertificates.STORE_PASSWORD,
          prefix + "ssl.truststore.type=PKCS12",
          prefix + "ssl.truststore.location=" + certs.caTrustStorePkcs12(),
          prefix + "ssl.truststore.password=" + TestCertificates.STORE_PASSWORD,
          prefix + "ssl.client.auth=" + (options.tlsClientAuth() ? "required" : "none")));
    }
    if (options.user() != null) {
      lines.add("sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
      lines.add("listener.name.client.plain.sasl.jaas.config="
          + "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + options.user() + "=\""
          + options.password() + "\";");
      for (String mechanism : List.of("scram-sha-256", "scram-sha-512")) {
        lines.add("listener.name.client." + mechanism + ".sasl.jaas.config="
            + "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      }
    }
    return String.join("\n", lines);
  }

  // A Kafka cluster id: 16 random bytes, URL-safe base64 without padding.
  private static String clusterId() {
    byte[] bytes = new byte[16];
    SecureRandom random = new SecureRandom();
    String id;
    do {
      random.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (id.startsWith("-"));
    return id;
  }

  /** Broker configuration beyond the defaults (one plaintext listener). Immutable. */
  public static final class Options {
    private static final Options DEFAULTS = new Builder().build();

    private final @Nullable TestCertificates tlsCertificates;
    private final TestCertificates.@Nullable Identity tlsIdentity;
    private final boolean tlsClientAuth;
    private final @Nullable String user;
    private final @Nullable String password;

    private Options(Builder builder) {
      this.tlsCertificates = builder.tlsCertificates;
      this.tlsIdentity = builder.tlsIdentity;
      this.tlsClientAuth = builder.tlsClientAuth;
      this.user = builder.user;
      this.password = builder.password;
    }

    public static Options defaults() {
      return DEFAULTS;
    }

    public static Builder builder() {
      return new Builder();
    }

    boolean secured() {
      return tlsCertificates != null || user != null;
    }

    /** PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    public String securityProtocol() {
      if (user == null) {
        return tlsCertificates == null ? "PLAINTEXT" : "SSL";
      }
      return tlsCertificates == null ? "SASL_PLAINTEXT" : "SASL_SSL";
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

    public @Nullable String user() {
      return user;
    }

    public @Nullable String password() {
      return password;
    }

    @Override
    public String toString() {
      return "Options[" + securityProtocol().toLowerCase(Locale.ROOT)
          + (tlsIdentity == null ? "" : ", certificate " + tlsIdentity.name() + (tlsClientAuth ? " + client auth" : ""))
          + (user == null ? "" : ", user " + user + "/****") + "]";
    }

    /** Builds {@link Options}. */
    public static final class Builder {
      private @Nullable TestCertificates tlsCertificates;
      private TestCertificates.@Nullable Identity tlsIdentity;
      private boolean tlsClientAuth;
      private @Nullable String user;
      private @Nullable String password;

      private Builder() {}

      /** TLS on the client listener, presenting {@code certs.server()}. */
      public Builder tls(TestCertificates certs) {
        return tls(certs, requireNonNull(certs, "certs is null").server());
      }

      /** TLS on the client listener, presenting {@code identity} (e.g. {@code certs.expiredServer()}). */
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

      /** SASL on the client listener: PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, all for this one user. */
      public Builder sasl(String user, String password) {
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        // Kept to characters that need no quoting in the JAAS and --add-scram syntaxes.
        if (!user.matches("[A-Za-z0-9._-]+") || !password.matches("[A-Za-z0-9._-]+")) {
          throw new IllegalArgumentException("SASL user and password must be letters, digits, '.', '_' or '-'");
        }
        this.user = user;
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
