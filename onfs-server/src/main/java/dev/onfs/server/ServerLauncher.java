package dev.onfs.server;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;

/** Builds the registry, store and feature store a {@link ServerConfig} names, and starts serving. */
public final class ServerLauncher {
  private ServerLauncher() {}

  /** Starts a server and prints where it listens (and, in demo mode, a command to try). */
  public static OnfsServer launch(ServerConfig config, PrintWriter out) {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    throw new OnfsException(ErrorCode.INTERNAL, "serving is not wired to the core yet");
  }
}
