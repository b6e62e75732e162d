package dev.onfs.server.cli;

import dev.onfs.client.OnfsClient;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How {@code get} and {@code put} reach a server. */
public final class ClientOptions {
  @Option(names = {"-t", "--target"}, defaultValue = "${env:ONFS_TARGET:-localhost:8089}",
      description = "server host:port (default: ${DEFAULT-VALUE}, env ONFS_TARGET)")
  String target;

  @Option(names = "--caller-id", defaultValue = "${env:ONFS_CALLER_ID:-test}",
      description = "caller id sent as online-feature-store-caller-id (default: ${DEFAULT-VALUE}, env ONFS_CALLER_ID)")
  String callerId;

  @Option(names = "--token", defaultValue = "${env:ONFS_AUTH_TOKEN:-test}",
      description = "auth token sent as online-feature-store-auth-token (default: ${DEFAULT-VALUE}, env ONFS_AUTH_TOKEN)")
  String token;

  @Option(names = "--tls", description = "connect with TLS (default: plaintext)")
  boolean tls;

  @Option(names = "--deadline", defaultValue = "5s", description = "deadline per call, e.g. 500ms or 5s (default: ${DEFAULT-VALUE})")
  String deadline;

  OnfsClient connect() {
    var builder = OnfsClient.builder().target(target).credentials(callerId, token).deadline(parseDuration(deadline));
    return (tls ? builder.tls() : builder.plaintext()).build();
  }

  static Duration parseDuration(String text) {
    String value = text.trim();
    try {
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      if (value.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      return Duration.parse(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--deadline must look like 500ms or 5s, got '" + text + "'");
    }
  }
}
