package dev.onfs.deploy;

import dev.onfs.server.ServerConfig;
import dev.onfs.server.cli.consume.ConsumeConfig;

/**
 * The server's and the consumer's own defaults, read from {@link ServerConfig#OPTIONS} and {@link
 * ConsumeConfig.Option} so that the kit cannot drift from them.
 */
final class ServerDefaults {
  private ServerDefaults() {}

  static final int GRPC_PORT = intOption("grpc-port");
  static final int HTTP_PORT = intOption("http-port");
  static final String LIVENESS_PATH = "/health/live";
  static final String READINESS_PATH = "/health/ready";
  static final String METRICS_PATH = "/metrics";
  /** The HTTP port of {@code onfs consume}, from {@link ConsumeConfig.Option#HTTP_PORT}. */
  static final int CONSUMER_HTTP_PORT = Integer.parseInt(ConsumeConfig.Option.HTTP_PORT.defaultValue());

  private static int intOption(String name) {
    return ServerConfig.OPTIONS.stream()
        .filter(option -> option.name().equals(name))
        .map(option -> Integer.parseInt(option.defaultValue()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("ServerConfig has no option " + name));
  }
}
