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

  private static final SharedInstance<EtcdServer> SHARED =
      new SharedInstance<>(() -> launch(true), etcd -> etcd.server.isDestroyed());

  private final int clientPort;
  private final int peerPort;
  private final ManagedServer server;

  private EtcdServer(int clientPort, int peerPort, boolean isShared) {
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
    return launch(false);
  }

  private static EtcdServer launch(boolean isShared) {
    return ManagedServer.launch(2, ports -> new EtcdServer(ports[0], ports[1], isShared), etcd -> etcd.server);
  }

  /** The client URL, {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://" + Ports.HOST + ":" + clientPort;
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
    return server.startAndAwait("etcd on " + endpoint(), command, dir,
        "healthy answer from " + endpoint() + "/health", this::healthy);
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
