package dev.onfs.server.cli;

import dev.onfs.controlplane.rest.ControlPlaneApi;
import dev.onfs.core.OnfsException;
import dev.onfs.server.ControlPlaneHost;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.http.AdminHttpServer;
import dev.onfs.server.http.HttpRoutes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

/** {@code onfs control-plane}: the control plane's REST API on its own HTTP port, without serving features. */
@Command(name = "control-plane", mixinStandardHelpOptions = true,
    description = {"Run the control plane's REST API alone (etcd or directory store).",
        "Settings as for serve: --config YAML < ONFS_* environment < flags (control-plane-* options, etcd-endpoints,"
            + " app-name, registry-file, bind-address, http-port)."})
public final class ControlPlaneCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-c", "--config"}, description = "YAML file of settings")
  @Nullable Path configFile;

  @Option(names = "--http-port", description = "HTTP port (default 8090)")
  @Nullable Integer httpPort;

  @Option(names = "--bootstrap-admin", paramLabel = "NAME",
      description = "create the first admin (password from ONFS_CP_ADMIN_PASSWORD or the first line of stdin) unless"
          + " one exists")
  @Nullable String bootstrapAdmin;

  @Option(names = {"-s", "--set"}, paramLabel = "NAME=VALUE", description = "any option, e.g. --set control-plane-store=etcd")
  Map<String, String> settings = new LinkedHashMap<>();

  /** Released by tests to stop it. */
  final CountDownLatch stop = new CountDownLatch(1);
  volatile @Nullable AdminHttpServer running;

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = new LinkedHashMap<>(settings);
    flags.put("control-plane", "true");
    if (httpPort != null) {
      flags.put("http-port", httpPort.toString());
    }
    ControlPlaneHost host;
    ServerConfig config;
    try {
      config = ServerConfig.load(configFile, System.getenv(), flags);
      host = ControlPlaneHost.open(config);
    } catch (OnfsException | IllegalArgumentException | IllegalStateException e) {
      spec.commandLine().getErr().println("onfs control-plane: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    try (host) {
      if (bootstrapAdmin != null) {
        String password = System.getenv("ONFS_CP_ADMIN_PASSWORD");
        if (password == null || password.isEmpty()) {
          password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        boolean created = host.bootstrapAdmin(bootstrapAdmin, password == null ? new char[0] : password.toCharArray());
        spec.commandLine().getOut().println(created ? "first admin '" + bootstrapAdmin + "' created"
            : "the control plane has its first admin already; --bootstrap-admin ignored");
      }
      try (AdminHttpServer server = AdminHttpServer.start(config.bindAddress(), config.httpPort(),
          AdminHttpServer.Limits.DEFAULT, new HttpRoutes().prefix(ControlPlaneApi.PREFIX, host.handler()))) {
        running = server;
        spec.commandLine().getOut().printf("onfs control plane API on http://%s:%d/api/ (store %s)%n",
            config.bindAddress(), server.port(), config.controlPlane().store());
        spec.commandLine().getOut().flush();
        Thread hook = new Thread(stop::countDown, "onfs-control-plane-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stop.await();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook itself is running
        }
      }
    } catch (OnfsException e) {
      spec.commandLine().getErr().println("onfs control-plane: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    return 0;
  }
}
