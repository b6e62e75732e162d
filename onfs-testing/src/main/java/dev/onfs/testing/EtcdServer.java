package dev.onfs.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A real single-member {@code etcd} (v3 API) on free loopback client and peer ports, with a fresh
 * data directory.
 *
 * <p>{@link #stop()} and {@link #restart()} keep the ports and the data; {@link #close()} stops the
 * server and deletes its data.
 */
public final class EtcdServer implements Closeable {
  static final String INSTALL_HINT = "apt-get install -y etcd-server etcd-client";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private static @Nullable EtcdServer shared;

  private final int clientPort;
  private final int peerPort;
  private final Path dir;
  private final boolean isShared;
  private final Closeable shutdown = this::destroy;
  private @Nullable ChildProcess process;
  private boolean destroyed;

  private EtcdServer(int clientPort, int peerPort, boolean isShared) {
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.dir = ServerFiles.serverDir("etcd", clientPort);
    this.isShared = isShared;
  }

  /** The server shared by all tests of this JVM; stopped only at JVM exit. */
  public static synchronized EtcdServer shared() {
    if (shared == null || shared.destroyed) {
      shared = launch(true);
    }
    return shared;
  }

  /** Starts a new server with an empty data directory. */
  public static EtcdServer start() {
    return launch(false);
  }

  private static EtcdServer launch(boolean isShared) {
    return ChildProcess.withPortRetry(() -> {
      int[] ports = Ports.free(2);
      EtcdServer server = new EtcdServer(ports[0], ports[1], isShared);
      server.startProcess();
      ShutdownHook.register(server.shutdown);
      return server;
    });
  }

  /** The client URL, {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://" + Ports.HOST + ":" + clientPort;
  }

  public int port() {
    return clientPort;
  }

  /** Stops the server; data and ports are kept for {@link #restart()}. */
  public synchronized void stop() {
    checkNotDestroyed();
    if (process != null) {
      process.stop(STOP_GRACE);
      process = null;
    }
  }

  /** Stops the server if it runs, then starts it again on the same ports with the same data. */
  public synchronized void restart() {
    stop();
    startProcess();
  }

  /** Stops the server and deletes its data; does nothing for the {@link #shared()} server. */
  @Override
  public void close() {
    if (!isShared) {
      destroy();
    }
  }

  @Override
  public String toString() {
    return "EtcdServer[" + endpoint() + "]";
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
      throw new IllegalStateException(this + " is closed");
    }
  }

  private synchronized void startProcess() {
    checkNotDestroyed();
    String peerUrl = "http://" + Ports.HOST + ":" + peerPort;
    List<String> command = List.of(
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
        "--log-outputs", "stderr");
    ChildProcess started = ChildProcess.start(
        "etcd on " + endpoint(), command, dir, dir.resolve("server.log"), INSTALL_HINT);
    try {
      Waits.until("healthy answer from " + endpoint() + "/health", started, START_TIMEOUT, this::healthy);
    } catch (Waits.NotReadyException e) {
      throw started.failedStart(e.getMessage(), INSTALL_HINT, e);
    }
    process = started;
  }

  private boolean healthy() throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/health").toURL().openConnection();
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
}
