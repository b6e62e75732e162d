package dev.onfs.server.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP port (health, metrics, and later other components' routes) on Jetty, with bounds that keep
 * slow or many clients from starving the rest: a small thread pool, an idle timeout that drops a client
 * which stops sending mid-request, a cap on open connections and on request header size. A connection
 * waiting for bytes holds no thread, so a few stalled clients leave the port answering others.
 */
public final class AdminHttpServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AdminHttpServer.class.getName());
  // Jetty announces every start and stop at INFO; the server prints its own line. A level set in the
  // logging configuration wins. Held here so the logger (and its level) is not collected.
  private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");

  static {
    if (JETTY.getLevel() == null) {
      JETTY.setLevel(Level.WARNING);
    }
  }

  /**
   * Bounds of the port.
   *
   * @param maxThreads threads that run handlers (and Jetty's acceptor and selector)
   * @param idleTimeout how long a connection may send nothing, mid-request or between requests
   * @param maxRequestHeaderBytes largest request line plus headers; larger requests get 431
   * @param maxConnections open connections; beyond it the port stops accepting until some close
   */
  public record Limits(int maxThreads, Duration idleTimeout, int maxRequestHeaderBytes, int maxConnections) {
    /** 16 threads, 10 s idle, 8 KiB of headers, 256 connections: ample for probes and scrapes. */
    public static final Limits DEFAULT = new Limits(16, Duration.ofSeconds(10), 8 * 1024, 256);

    public Limits {
      requireNonNull(idleTimeout, "idleTimeout is null");
      if (maxThreads < 4) {
        throw new IllegalArgumentException("maxThreads must be at least 4, got " + maxThreads);
      }
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
      }
      if (maxRequestHeaderBytes < 1024) {
        throw new IllegalArgumentException("maxRequestHeaderBytes must be at least 1024, got " + maxRequestHeaderBytes);
      }
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
      }
    }
  }

  private final Server server;
  private final ServerConnector connector;

  private AdminHttpServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Listens on {@code bindAddress:port} ({@code 0} picks a free port) and answers {@code routes}.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static AdminHttpServer start(String bindAddress, int port, Limits limits, HttpRoutes routes) {
    return start(bindAddress, port, limits, routes, null);
  }

  /**
   * Like {@link #start(String, int, Limits, HttpRoutes)}, over TLS when {@code tls} is not null.
   *
   * @param tls the certificate, key and client authentication of the port; null for plain HTTP
   */
  public static AdminHttpServer start(String bindAddress, int port, Limits limits, HttpRoutes routes,
      SslContextFactory.@Nullable Server tls) {
    requireNonNull(bindAddress, "bindAddress is null");
    requireNonNull(limits, "limits is null");
    requireNonNull(routes, "routes is null");
    QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 2);
    threads.setName("onfs-http");
    threads.setDaemon(true);
    Server server = new Server(threads);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // One acceptor and one selector: the port serves probes and scrapes, not bulk traffic.
    ServerConnector connector;
    if (tls == null) {
      connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    } else {
      // No SNI host check: probes and scrapers address the port by IP or by service names the
      // certificate need not list.
      http.addCustomizer(new SecureRequestCustomizer(false));
      connector = new ServerConnector(server, 1, 1,
          new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
    }
    connector.setHost(bindAddress);
    connector.setPort(port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));

    ErrorHandler errors = new ErrorHandler();
    errors.setShowStacks(false);
    errors.setShowCauses(false);
    server.setErrorHandler(errors);
    server.setHandler(new RoutingHandler(routes.freeze()));
    // No graceful wait on stop: the answers are short, and idle keep-alive connections would only delay it.
    server.setStopTimeout(0);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      throw new UncheckedIOException("cannot listen on HTTP port " + bindAddress + ":" + port + ": " + e.getMessage(),
          e instanceof IOException io ? io : new IOException(e));
    }
    return new AdminHttpServer(server, connector);
  }

  /** The bound port. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Stops listening and closes open connections; idempotent. */
  @Override
  public void close() {
    stopQuietly(server);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "stopping the HTTP port failed", e);
    }
  }
}
