package dev.onfs.server.cli;

import dev.onfs.core.OnfsException;
import dev.onfs.server.OnfsServer;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.ServerLauncher;
import dev.onfs.server.logging.Logs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code onfs serve}: runs the gRPC server until interrupted, then drains in-flight calls. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve the retrieve and persist gRPC APIs, with health and /metrics over HTTP.",
        "Settings: defaults < --config YAML file < ONFS_* environment variables < flags.",
        "Try: onfs serve --demo"})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-c", "--config"}, description = "YAML file of settings (option names as keys)")
  @Nullable Path configFile;

  @Option(names = "--demo", description = "no external services: in-memory store, the bundled demo registry and sample rows")
  boolean demo;

  @Option(names = "--grpc-port", description = "gRPC port (default 8089)")
  @Nullable Integer grpcPort;

  @Option(names = "--http-port", description = "HTTP port for /health/live, /health/ready and /metrics (default 8090)")
  @Nullable Integer httpPort;

  @Option(names = "--store", description = "storage adapter: memory, redis, scylla (default memory)")
  @Nullable String store;

  @Option(names = "--registry", description = "file or etcd (default file)")
  @Nullable String registry;

  @Option(names = "--registry-file", description = "registry YAML file or directory (registry=file)")
  @Nullable String registryFile;

  @Option(names = "--etcd-endpoints", description = "comma-separated etcd endpoints (registry=etcd)")
  @Nullable String etcdEndpoints;

  @Option(names = {"-s", "--set"}, paramLabel = "NAME=VALUE",
      description = "any option, e.g. --set shutdown-grace=5s; with --store redis, --set store-settings.nodes=localhost:6379")
  Map<String, String> settings = new LinkedHashMap<>();

  /** Released by tests (and the shutdown hook) to stop a server started in-process. */
  final CountDownLatch stop = new CountDownLatch(1);
  volatile @Nullable OnfsServer running;

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = new LinkedHashMap<>(settings);
    putIfSet(flags, "grpc-port", grpcPort);
    putIfSet(flags, "http-port", httpPort);
    putIfSet(flags, "store", store);
    putIfSet(flags, "registry", registry);
    putIfSet(flags, "registry-file", registryFile);
    putIfSet(flags, "etcd-endpoints", etcdEndpoints);
    if (demo) {
      flags.put("demo", "true");
    }
    OnfsServer server;
    try {
      ServerConfig config = ServerConfig.load(configFile, System.getenv(), flags);
      Logs.configure(config.logging().format());
      server = ServerLauncher.launch(config, spec.commandLine().getOut());
    } catch (OnfsException e) {
      // Configuration and startup problems: one line naming the option or setting at fault.
      spec.commandLine().getErr().println("onfs serve: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    } catch (RuntimeException e) {
      // A port in use, a store that cannot be reached: one line saying which, not a stack trace.
      spec.commandLine().getErr().println("onfs serve: " + ExecutionErrors.describe(e));
      spec.commandLine().getErr().flush();
      return 1;
    }
    running = server;
    Thread hook = new Thread(() -> {
      server.close();
      stop.countDown();
    }, "onfs-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stop.await();
    server.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook itself is running
    }
    return 0;
  }

  private static void putIfSet(Map<String, String> flags, String name, @Nullable Object value) {
    if (value != null) {
      flags.put(name, value.toString());
    }
  }
}
