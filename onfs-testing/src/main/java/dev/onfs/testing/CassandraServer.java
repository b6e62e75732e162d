package dev.onfs.testing;

import java.io.Closeable;
import java.io.DataInputStream;
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

/**
 * A real single-node Apache Cassandra 5.0 (the CQL stand-in for ScyllaDB) run in a child JVM from
 * the Maven Central jars, on free loopback ports with a generated small {@code cassandra.yaml}.
 *
 * <p>Ready when the native port answers a CQL {@code OPTIONS} request. {@link #stop()} and
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
      new SharedInstance<>(() -> launch(true), cassandra -> cassandra.server.isDestroyed());

  private final int nativePort;
  private final int storagePort;
  private final ManagedServer server;

  private CassandraServer(int nativePort, int storagePort, boolean isShared) {
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
    return launch(false);
  }

  private static CassandraServer launch(boolean isShared) {
    return ManagedServer.launch(2, ports -> new CassandraServer(ports[0], ports[1], isShared), cassandra -> cassandra.server);
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
    return server.startAndAwait("Cassandra on " + Ports.HOST + ":" + nativePort, command, dir,
        "CQL answer on " + Ports.HOST + ":" + nativePort, this::cqlAnswers);
  }

  /** Sends a native-protocol v4 OPTIONS frame and expects SUPPORTED back. */
  private boolean cqlAnswers() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(contactPoint(), 500);
      socket.setSoTimeout(2000);
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
        "authenticator: AllowAllAuthenticator",
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
}
