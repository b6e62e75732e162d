package dev.onfs.server;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.grpc.CallLimitInterceptor;
import dev.onfs.grpc.CallerAuthInterceptor;
import dev.onfs.grpc.CallerTokens;
import dev.onfs.grpc.PersistGrpcService;
import dev.onfs.grpc.RetrieveGrpcService;
import dev.onfs.server.health.GrpcHealthFollower;
import dev.onfs.server.health.Readiness;
import dev.onfs.server.health.ReadinessReport;
import dev.onfs.server.http.AdminHttpServer;
import dev.onfs.server.http.HttpRoutes;
import dev.onfs.server.http.RouteReply;
import dev.onfs.server.logging.AccessLog;
import dev.onfs.server.metrics.GrpcMetricsInterceptor;
import dev.onfs.server.metrics.MicrometerAuthEvents;
import dev.onfs.server.metrics.RegistryLabels;
import dev.onfs.server.tls.TlsKeyMaterial;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A running server: the {@code retrieve} and {@code persist} gRPC services (behind caller
 * authentication), gRPC health (following {@link Readiness}) and reflection, and an HTTP port with
 * liveness, readiness and Prometheus {@code /metrics}. {@link #close()} drains in-flight calls for the
 * configured grace period.
 */
public final class OnfsServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(OnfsServer.class.getName());
  /** How often the gRPC health statuses are brought in line with readiness. */
  private static final Duration HEALTH_PERIOD = Duration.ofSeconds(1);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final ServerInterceptor NO_INTERCEPTOR = new ServerInterceptor() {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      return next.startCall(call, headers);
    }
  };

  private final ServerConfig config;
  private final Server grpc;
  private final List<String> grpcServices;
  private final HealthStatusManager health = new HealthStatusManager();
  private final Readiness readiness;
  private final PrometheusMeterRegistry meters;
  private final List<AutoCloseable> resources;
  private final @Nullable EventLoopGroup bossGroup;
  private final @Nullable EventLoopGroup workerGroup;
  private final @Nullable ExecutorService callExecutor;
  private final @Nullable TlsKeyMaterial tls;
  private @Nullable AdminHttpServer http;
  private @Nullable GrpcHealthFollower healthFollower;
  private boolean closed;

  private OnfsServer(ServerConfig config, OnlineFeatureStore store, Readiness readiness, CallerTokens tokens,
      PrometheusMeterRegistry meters, List<AutoCloseable> resources) {
    this.config = config;
    this.readiness = readiness;
    this.meters = meters;
    this.resources = new ArrayList<>(resources);
    Gauge.builder("onfs.ready", readiness, r -> r.check().ready() ? 1 : 0)
        .description("1 while /health/ready answers 200 (registry loaded, stores answering, not draining), else 0")
        .register(meters);
    // Loaded first: a file that does not load stops the start before anything listens.
    this.tls = config.tls().enabled() ? TlsKeyMaterial.load(config.tls()) : null;
    CallerAuthInterceptor auth = CallerAuthInterceptor.create(tokens, config.authReadersMayPersist(),
        new MicrometerAuthEvents(meters), config.tls().clientCertIdentity());
    // Inside auth (interceptors listed last run first): only authenticated calls take a slot.
    CallLimitInterceptor admission =
        new CallLimitInterceptor(config.maxConcurrentCalls(), config.maxConcurrentCallsPerCaller());
    NettyServerBuilder builder = NettyServerBuilder.forAddress(
        new InetSocketAddress(config.bindAddress(), config.grpcPort()),
        tls == null ? InsecureServerCredentials.create() : tls.grpcCredentials());
    if (config.grpcEventLoopThreads() > 0) {
      // A group of its own, sized by the operator, instead of the default one gRPC shares per JVM.
      boolean epoll = Epoll.isAvailable();
      IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
      this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("onfs-grpc-boss", true), io);
      this.workerGroup = new MultiThreadIoEventLoopGroup(
          config.grpcEventLoopThreads(), new DefaultThreadFactory("onfs-grpc-worker", true), io);
      builder.bossEventLoopGroup(bossGroup)
          .workerEventLoopGroup(workerGroup)
          .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
    } else {
      this.bossGroup = null;
      this.workerGroup = null;
    }
    if (config.grpcExecutor().equals(ServerConfig.EXECUTOR_DIRECT)) {
      // Reading, the call and writing the answer on one thread: on a small machine each hand-off to a pool
      // thread and back waits for a time slice. A call that blocks holds up the other calls of its loop.
      builder.directExecutor();
      this.callExecutor = null;
    } else {
      // A fixed pool rather than gRPC's default cached one, which starts a thread for every call that waits
      // (for a stalled store: thousands). Admission keeps its queue to about max-concurrent-calls calls.
      // Started up front: the server's thread count is the same idle and under load.
      ThreadPoolExecutor pool = new ThreadPoolExecutor(config.grpcCallThreads(), config.grpcCallThreads(), 0,
          TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), daemonThreads("onfs-grpc-call-"));
      pool.prestartAllCoreThreads();
      this.callExecutor = pool;
      builder.executor(pool);
    }
    AccessLog accessLog = config.logging().accessLog();
    // Inside auth: the access log learns the caller id authentication granted, never a refused one.
    ServerInterceptor callerRecorder = accessLog == null ? NO_INTERCEPTOR : accessLog.callerRecorder();
    ServerServiceDefinition retrieve =
        ServerInterceptors.intercept(new RetrieveGrpcService(store), callerRecorder, admission, auth);
    ServerServiceDefinition persist =
        ServerInterceptors.intercept(new PersistGrpcService(store), callerRecorder, admission, auth);
    this.grpcServices = List.of(retrieve.getServiceDescriptor().getName(), persist.getServiceDescriptor().getName());
    this.grpc = builder
        .maxInboundMessageSize(config.maxInboundMessageBytes())
        .addService(retrieve)
        .addService(persist)
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(reflectionV1Alpha())
        .intercept(new GrpcMetricsInterceptor(meters, new RegistryLabels(readiness.registry()::snapshot)))
        // Added last, so it runs first: refused calls are logged too.
        .intercept(accessLog == null ? NO_INTERCEPTOR : accessLog.interceptor())
        .build();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @SuppressWarnings("deprecation") // grpcurl and older tools still ask the v1alpha reflection service
  private static io.grpc.BindableService reflectionV1Alpha() {
    return ProtoReflectionService.newInstance();
  }

  /**
   * Starts serving. The server owns {@code readiness} and {@code resources} (store, registry, the feature
   * store itself) and closes them, in order, after draining.
   *
   * @param readiness what {@code /health/ready} and gRPC health report; its registry also decides which
   *     entity and feature-group labels become metric tags
   */
  public static OnfsServer start(ServerConfig config, OnlineFeatureStore store, Readiness readiness,
      CallerTokens tokens, PrometheusMeterRegistry meters, List<AutoCloseable> resources) {
    return start(config, store, readiness, tokens, meters, resources, routes -> {});
  }

  /** As above, with further HTTP routes (such as the control plane's API) added by {@code moreRoutes}. */
  public static OnfsServer start(ServerConfig config, OnlineFeatureStore store, Readiness readiness,
      CallerTokens tokens, PrometheusMeterRegistry meters, List<AutoCloseable> resources,
      Consumer<HttpRoutes> moreRoutes) {
    requireNonNull(config, "config is null");
    requireNonNull(moreRoutes, "moreRoutes is null");
    requireNonNull(store, "store is null");
    requireNonNull(readiness, "readiness is null");
    requireNonNull(tokens, "tokens is null");
    requireNonNull(meters, "meters is null");
    OnfsServer server = new OnfsServer(config, store, readiness, tokens, meters, resources);
    try {
      server.grpc.start();
    } catch (IOException e) {
      server.stopListening();
      throw new UncheckedIOException("cannot listen on gRPC port " + config.bindAddress() + ":" + config.grpcPort()
          + " (option 'grpc-port'): " + rootMessage(e), e);
    }
    try {
      HttpRoutes routes = server.routes();
      moreRoutes.accept(routes);
      try {
        server.http = AdminHttpServer.start(config.bindAddress(), config.httpPort(), AdminHttpServer.Limits.DEFAULT,
            routes,
            server.tls != null && config.tls().httpTls() ? server.tls.httpSslContextFactory() : null);
      } catch (UncheckedIOException e) {
        throw new UncheckedIOException("cannot listen on HTTP port " + config.bindAddress() + ":" + config.httpPort()
            + " (option 'http-port'): " + rootMessage(e), e.getCause());
      }
      server.healthFollower = GrpcHealthFollower.start(readiness, server.health, server.grpcServices, HEALTH_PERIOD);
    } catch (RuntimeException e) {
      server.stopListening();
      throw e;
    }
    return server;
  }

  /** The innermost message, e.g. "Address already in use" under gRPC's "Failed to bind to address". */
  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage()).replaceFirst("^bind\\(\\.\\.\\) failed: ", "");
  }

  /** The HTTP routes: liveness, readiness and metrics. */
  private HttpRoutes routes() {
    return new HttpRoutes()
        .get("/health/live", request -> readiness.isShuttingDown()
            ? RouteReply.json(503, "{\"status\":\"DOWN\"}") : RouteReply.json(200, "{\"status\":\"UP\"}"))
        // The reference's liveness answer.
        .get("/health/self", request -> readiness.isShuttingDown()
            ? RouteReply.json(503, "{\"message\":\"false\"}") : RouteReply.json(200, "{\"message\":\"true\"}"))
        .get("/health/ready", request -> ready())
        .get("/health", request -> ready())
        .get("/metrics", request -> new RouteReply(200, PROMETHEUS_TEXT,
            meters.scrape().getBytes(StandardCharsets.UTF_8)));
  }

  private RouteReply ready() {
    ReadinessReport report = readiness.check();
    return RouteReply.json(report.ready() ? 200 : 503, report.toJson());
  }

  public int grpcPort() {
    return grpc.getPort();
  }

  public int httpPort() {
    return requireNonNull(http, "http").port();
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /** Blocks until the server has shut down. */
  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  /**
   * Stops taking calls, reports NOT_SERVING, waits up to the grace period for in-flight calls, then
   * cancels what is left and closes the resources.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    readiness.markShuttingDown();
    if (healthFollower != null) {
      healthFollower.close();
    }
    health.enterTerminalState();
    grpc.shutdown();
    try {
      if (!grpc.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warning("in-flight calls did not finish within " + config.shutdownGrace() + "; cancelling them");
        grpc.shutdownNow();
        grpc.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      grpc.shutdownNow();
      Thread.currentThread().interrupt();
    }
    stopListening();
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing " + resource + " failed", e);
      }
    }
    meters.close();
  }

  /** Closes the HTTP port, the gRPC network threads and the readiness pings; for close and failed starts. */
  private void stopListening() {
    if (healthFollower != null) {
      healthFollower.close();
    }
    grpc.shutdownNow();
    if (http != null) {
      http.close();
    }
    if (tls != null) {
      tls.close();
    }
    if (callExecutor != null) {
      callExecutor.shutdown();
    }
    // The groups outlive the server's terminated channels only by their quiet period.
    for (EventLoopGroup group : java.util.Arrays.asList(workerGroup, bossGroup)) {
      if (group != null) {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
    readiness.close();
  }
}
