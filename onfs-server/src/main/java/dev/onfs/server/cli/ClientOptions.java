package dev.onfs.server.cli;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.OnfsException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How {@code get} and {@code put} reach a server. */
public final class ClientOptions {
  @Spec(Spec.Target.MIXEE) CommandLine.Model.CommandSpec command;

  @Option(names = {"-t", "--target"}, defaultValue = "${env:ONFS_TARGET:-localhost:8089}",
      description = "server host:port (default: ${DEFAULT-VALUE}, env ONFS_TARGET)")
  String target;

  @Option(names = "--caller-id", defaultValue = "${env:ONFS_CALLER_ID}",
      description = "caller id sent as online-feature-store-caller-id (default: test, or none with --cert-file;"
          + " env ONFS_CALLER_ID)")
  @Nullable String callerId;

  @Option(names = "--token", defaultValue = "${env:ONFS_AUTH_TOKEN}",
      description = "auth token sent as online-feature-store-auth-token (default: test, or none with --cert-file;"
          + " env ONFS_AUTH_TOKEN)")
  @Nullable String token;

  @Option(names = "--tls", description = "connect with TLS (default: plaintext; --ca-file and --cert-file imply it)")
  boolean tls;

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "CA certificates (PEM) to check the server's certificate against, instead of the JDK's")
  @Nullable Path caFile;

  @Option(names = "--cert-file", paramLabel = "PEM",
      description = "client certificate (PEM) for mutual TLS; with it and no --token, the certificate identifies the"
          + " caller")
  @Nullable Path certFile;

  @Option(names = "--key-file", paramLabel = "PEM", description = "private key of --cert-file (PEM, PKCS#8)")
  @Nullable Path keyFile;

  @Option(names = "--deadline", defaultValue = "5s", description = "deadline per call, e.g. 500ms or 5s (default: ${DEFAULT-VALUE})")
  String deadline;

  OnfsClient connect() {
    if ((certFile == null) != (keyFile == null)) {
      throw new CommandLine.ParameterException(command.commandLine(), certFile == null
          ? "--key-file needs --cert-file" : "--cert-file needs --key-file");
    }
    try {
      return build();
    } catch (IllegalArgumentException e) {
      // A TLS file that does not exist or cannot be read: named by the builder.
      throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
    }
  }

  private OnfsClient build() {
    var builder = OnfsClient.builder().target(target).deadline(parseDuration(deadline));
    if (certFile == null || token != null) {
      // Without a client certificate the demo's reader is the default.
      builder.credentials(callerId == null ? "test" : callerId, token == null ? "test" : token);
    }
    if (tls || caFile != null || certFile != null) {
      builder.tls();
      if (caFile != null) {
        builder.trustedCa(caFile);
      }
      if (certFile != null) {
        builder.clientCertificate(certFile, java.util.Objects.requireNonNull(keyFile)); // connect() checked both
      }
    } else {
      builder.plaintext();
    }
    return builder.build();
  }

  /**
   * What to print for a failed call. gRPC says only {@code UNAVAILABLE: io exception} when the server
   * cannot be reached; the user needs the address tried and why it failed.
   */
  String describe(OnfsException failure) {
    Throwable cause = failure.getCause();
    if (!(cause instanceof StatusRuntimeException status) || status.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      return failure.getMessage();
    }
    for (Throwable c = status.getStatus().getCause(); c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return "cannot reach onfs at " + target + ": connection refused (is the server running? --target or ONFS_TARGET"
            + " names it)";
      }
      if (c instanceof UnknownHostException) {
        return "cannot reach onfs at " + target + ": unknown host";
      }
      if (c instanceof NoRouteToHostException || c instanceof SocketTimeoutException) {
        return "cannot reach onfs at " + target + ": " + c.getMessage();
      }
    }
    String message = failure.getMessage();
    return message.startsWith("UNAVAILABLE: io exception") || message.startsWith("UNAVAILABLE: Unable to resolve")
        ? "cannot reach onfs at " + target + ": " + message.substring("UNAVAILABLE: ".length())
        : message;
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
