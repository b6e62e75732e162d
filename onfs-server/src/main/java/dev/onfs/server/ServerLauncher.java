package dev.onfs.server;

import dev.onfs.console.Console;
import dev.onfs.controlplane.rest.ControlPlaneApi;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.OnlineFeatureStoreBuilder;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.grpc.CallerTokens;
import dev.onfs.server.console.FeatureSamples;
import dev.onfs.server.console.GroupWrites;
import dev.onfs.server.health.Readiness;
import dev.onfs.server.http.RouteReply;
import dev.onfs.server.metrics.DistributedCacheMeters;
import dev.onfs.server.metrics.JvmMeters;
import dev.onfs.server.metrics.MicrometerStatsRecorder;
import dev.onfs.server.metrics.RegistryLabels;
import dev.onfs.server.metrics.RegistryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/** Builds the feature store over the {@link Backends} a {@link ServerConfig} names, and starts serving. */
public final class ServerLauncher {
  private static final Logger LOG = Logger.getLogger(ServerLauncher.class.getName());

  private ServerLauncher() {}

  /** Starts a server and prints where it listens (and, in demo mode, a command to try). */
  public static OnfsServer launch(ServerConfig config, PrintWriter out) {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      resources.add(0, JvmMeters.bindTo(meters));

      // The demo serves its registry from a file that its control plane publishes to, so that approved
      // changes are served without a restart.
      Path demoDir = config.demo() ? Files.createTempDirectory("onfs-demo-") : null;
      Backends backends = demoDir != null
          ? Backends.demo(demoDir)
          : Backends.open(config.backends(), " (or run with --demo)");
      resources.add(0, backends);
      FeatureRegistry registry = backends.registry();
      OnlineStore store = backends.store();
      String storeName = backends.storeName();
      // Serving blocks on store I/O: give it its own threads rather than the (tiny on small
      // machines) common pool.
      ExecutorService executor = Executors.newFixedThreadPool(
          Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), daemonThreads("onfs-serving-"));
      resources.add(0, executor::shutdown);
      MicrometerStatsRecorder stats = new MicrometerStatsRecorder(meters, new RegistryLabels(registry::snapshot));
      RegistryMetrics.bind(registry, stats, backends.registryName());
      backends.distributedCache().ifPresent(tier -> DistributedCacheMeters.bindTo(meters, tier));
      OnlineFeatureStoreBuilder builder = OnlineFeatureStore.builder()
          .registry(registry)
          .store(store)
          .executor(executor)
          .limits(config.limits())
          .statsRecorder(stats)
          .partialPersist(config.partialPersist());
      if (config.nearCacheBytes() > 0) {
        builder.nearCache(config.nearCacheBytes());
      }
      // Counts rows persisted per feature group for the console's freshness figures.
      GroupWrites features = new GroupWrites(builder.build(), java.time.Clock.systemUTC());
      resources.add(0, features);

      int sampleRows = 0;
      if (config.demo()) {
        for (PersistQuery query : DemoData.sampleRows(registry.snapshot())) {
          sampleRows += features.persist(query).rowsWritten();
        }
      }
      if (config.demo() && !config.loopbackOnly()) {
        LOG.warning("demo mode listens on " + config.bindAddress() + ", beyond loopback: its callers"
            + " ('test' with token 'test') are public, so anyone who reaches this address can read and write");
      }
      Readiness readiness = Readiness.builder(registry)
          .store(storeName, store)
          .storeTimeout(config.readyStoreTimeout())
          .quarantined(() -> registry.quarantined().keySet())
          .build();
      ControlPlaneHost controlPlane = null;
      if (demoDir != null) {
        controlPlane = ControlPlaneHost.demo(demoDir.resolve("control-plane"), demoDir.resolve("registry.yaml"), out);
      } else if (config.controlPlane().enabled()) {
        controlPlane = ControlPlaneHost.open(config);
      }
      if (controlPlane != null) {
        resources.add(0, controlPlane);
      }
      ControlPlaneHost api = controlPlane;
      OnfsServer server = OnfsServer.start(config, features, readiness, CallerTokens.of(registry), meters, resources,
          routes -> {
            if (api != null) {
              routes.prefix(ControlPlaneApi.PREFIX, api.handler());
              routes.prefix(Console.PREFIX, api.console(new FeatureSamples(features, registry), features));
              routes.get("/", request -> new RouteReply(303, RouteReply.TEXT, new byte[0],
                  Map.of("Location", Console.PREFIX)));
              routes.get("/console", request -> new RouteReply(303, RouteReply.TEXT, new byte[0],
                  Map.of("Location", Console.PREFIX)));
            }
          });
      out.printf("onfs serving gRPC on %s:%d, HTTP /health/live, /health/ready and /metrics on %s:%d"
          + " (store %s, registry %s%s)%n",
          config.bindAddress(), server.grpcPort(), config.bindAddress(), server.httpPort(),
          storeName, config.demo() ? "bundled demo" : config.registry(), tlsSummary(config));
      if (controlPlane != null) {
        String base = (config.tls().enabled() && config.tls().httpTls() ? "https" : "http") + "://"
            + (config.bindAddress().equals("0.0.0.0") ? "localhost" : config.bindAddress()) + ":" + server.httpPort();
        out.printf("control plane API on %s/api/ (OpenAPI: /api/openapi.json)%n", base);
        out.printf("console on %s%s%n", base, Console.PREFIX);
      }
      if (config.demo()) {
        out.printf("demo: %d sample rows written for user_id 1..%d; reader and writer 'test' with token 'test'%n",
            sampleRows, DemoData.SAMPLE_KEYS);
        out.printf("try:  java -jar onfs-server/target/onfs.jar get -t localhost:%d -e user -k 1,2,3 "
            + "-f user_stats:ctr,orders_30d,aov -f user_profile:city,segment -f user_flags:is_premium%n", server.grpcPort());
      }
      out.flush();
      return server;
    } catch (IOException e) {
      UncheckedIOException failure = new UncheckedIOException("cannot create the demo directory: " + e.getMessage(), e);
      closeAll(resources, failure);
      throw failure;
    } catch (RuntimeException e) {
      closeAll(resources, e);
      throw e;
    }
  }

  private static void closeAll(List<AutoCloseable> resources, RuntimeException e) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
    }
  }

  /** How the ports are secured, for the start-up line. */
  private static String tlsSummary(ServerConfig config) {
    if (!config.tls().enabled()) {
      return "";
    }
    String clients = switch (config.tls().clientAuth()) {
      case NONE -> "";
      case OPTIONAL -> ", client certificates checked when sent";
      case REQUIRE -> ", client certificates required";
    };
    return ", TLS on gRPC" + (config.tls().httpTls() ? " and HTTP" : " only") + clients;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
