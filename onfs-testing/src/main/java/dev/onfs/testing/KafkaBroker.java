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

/**
 * A real single-node Kafka 4 broker in KRaft mode (broker and controller in one process), run in a
 * child JVM from the Maven Central jars, on free loopback ports with a fresh log directory.
 *
 * <p>The readiness check and {@link #createTopic} use the Admin API of {@code kafka-clients}, which
 * must be on the test classpath (an optional dependency of onfs-testing). {@link #stop()} and
 * {@link #restart()} keep the ports and the data; {@link #close()} stops the broker and deletes its
 * data.
 */
public final class KafkaBroker implements Closeable {
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private static final SharedInstance<KafkaBroker> SHARED =
      new SharedInstance<>(() -> launch(true), kafka -> kafka.server.isDestroyed());

  private final int port;
  private final int controllerPort;
  private final ManagedServer server;
  private boolean formatted;

  private KafkaBroker(int port, int controllerPort, boolean isShared) {
    this.port = port;
    this.controllerPort = controllerPort;
    this.server = new ManagedServer(this, ServerFiles.serverDir("kafka", port), JavaRuntime.INSTALL_HINT,
        START_TIMEOUT, STOP_GRACE, isShared, this::startProcess);
  }

  /** The broker shared by all tests of this JVM; stopped only at JVM exit. */
  public static KafkaBroker shared() {
    return SHARED.get();
  }

  /** Starts a new broker with empty storage. */
  public static KafkaBroker start() {
    return launch(false);
  }

  private static KafkaBroker launch(boolean isShared) {
    return ManagedServer.launch(2, ports -> new KafkaBroker(ports[0], ports[1], isShared), kafka -> kafka.server);
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return Ports.HOST + ":" + port;
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
    KafkaAdmin.createTopic(bootstrapServers(), name, partitions);
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
    return "KafkaBroker[" + bootstrapServers() + "]";
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
      ChildProcess format = ChildProcess.start("Kafka storage format for " + bootstrapServers(),
          javaCommand(java, classpath, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), "kafka.tools.StorageTool",
              List.of("format", "-t", clusterId(), "-c", config.toString())),
          dir, log, JavaRuntime.INSTALL_HINT);
      if (!format.awaitExit(FORMAT_TIMEOUT) || format.exitCode() != 0) {
        throw format.failedStart("kafka.tools.StorageTool format did not succeed", JavaRuntime.INSTALL_HINT, null);
      }
      formatted = true;
    }
    return server.startAndAwait("Kafka broker on " + bootstrapServers(),
        javaCommand(java, classpath, List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC"), "kafka.Kafka",
            List.of(config.toString())),
        dir, "broker in Admin describeCluster of " + bootstrapServers(),
        () -> KafkaAdmin.brokerAnswers(bootstrapServers()));
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
    String properties = String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + controller,
        "listeners=PLAINTEXT://" + bootstrapServers() + ",CONTROLLER://" + controller,
        "advertised.listeners=PLAINTEXT://" + bootstrapServers(),
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
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
}
