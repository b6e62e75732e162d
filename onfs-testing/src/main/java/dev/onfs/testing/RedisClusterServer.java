package dev.onfs.testing;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster of three masters (no replicas) on free loopback ports, created with
 * {@code redis-cli --cluster create}; every node reports {@code cluster_state:ok} before
 * {@link #start()} returns.
 */
public final class RedisClusterServer implements Closeable {
  private static final int MASTERS = 3;
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration OK_TIMEOUT = Duration.ofSeconds(30);

  private static final SharedInstance<RedisClusterServer> SHARED =
      new SharedInstance<>(() -> launch(true), cluster -> cluster.isDestroyed());

  private final List<RedisServer> nodes;
  private final boolean isShared;
  private final Closeable shutdown = this::destroy;
  private boolean destroyed;

  private RedisClusterServer(List<RedisServer> nodes, boolean isShared) {
    this.nodes = List.copyOf(nodes);
    this.isShared = isShared;
  }

  /** The cluster shared by all tests of this JVM; stopped only at JVM exit. */
  public static RedisClusterServer shared() {
    return SHARED.get();
  }

  /** Starts a new three-master cluster. */
  public static RedisClusterServer start() {
    return launch(false);
  }

  private static RedisClusterServer launch(boolean isShared) {
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS; i++) {
        nodes.add(RedisServer.launch(() -> RedisServer.Options.builder()
            .config("cluster-enabled", "yes")
            .config("cluster-config-file", "nodes.conf")
            // An explicit bus port: the default (port + 10000) may be above 65535 or taken.
            .config("cluster-port", Integer.toString(Ports.free()))
            .config("cluster-node-timeout", "5000")
            .build(), "redis-cluster", false));
      }
      RedisClusterServer cluster = new RedisClusterServer(nodes, isShared);
      cluster.create();
      ShutdownHook.register(cluster.shutdown);
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisServer::close);
      throw e;
    }
  }

  /** The nodes' addresses, each a master of about a third of the slots. */
  public List<InetSocketAddress> nodes() {
    List<InetSocketAddress> addresses = new ArrayList<>(nodes.size());
    for (RedisServer node : nodes) {
      addresses.add(new InetSocketAddress(node.host(), node.port()));
    }
    return List.copyOf(addresses);
  }

  /** Deletes every key on every node. */
  public void flushAll() {
    nodes.forEach(RedisServer::flushAll);
  }

  /** Stops the nodes and deletes their data; does nothing for the {@link #shared()} cluster. */
  @Override
  public void close() {
    if (!isShared) {
      destroy();
    }
  }

  @Override
  public String toString() {
    return "RedisClusterServer" + nodes();
  }

  private synchronized boolean isDestroyed() {
    return destroyed;
  }

  private synchronized void destroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    ShutdownHook.unregister(shutdown);
    nodes.forEach(RedisServer::close);
  }

  private void create() {
    RedisServer first = nodes.get(0);
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    for (RedisServer node : nodes) {
      command.add(node.host() + ":" + node.port());
    }
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    Path dir = first.dir();
    ChildProcess cli = ChildProcess.start("redis-cli --cluster create", command, dir, dir.resolve("cluster-create.log"),
        RedisServer.INSTALL_HINT);
    if (!cli.awaitExit(CREATE_TIMEOUT)) {
      throw cli.failedStart("no exit within " + CREATE_TIMEOUT.toSeconds() + " s", RedisServer.INSTALL_HINT, null);
    }
    if (cli.exitCode() != 0) {
      throw new IllegalStateException(cli.failure("redis-cli --cluster create failed", RedisServer.INSTALL_HINT));
    }
    for (RedisServer node : nodes) {
      try {
        Waits.until("cluster_state:ok on " + node.host() + ":" + node.port(), node.process(),
            OK_TIMEOUT, () -> {
              String info = Resp.command(node.host(), node.port(), "CLUSTER", "INFO");
              return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + MASTERS);
            });
      } catch (Waits.NotReadyException e) {
        throw new IllegalStateException("Redis Cluster failed to form: " + e.getMessage()
            + ". Node logs under " + ServerFiles.root(), e);
      }
    }
  }
}
