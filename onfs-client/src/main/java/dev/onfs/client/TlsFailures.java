package dev.onfs.client;

import io.grpc.Status;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Says in words why a connection failed when TLS is the cause. gRPC reports these as UNAVAILABLE
 * "io exception" or "ssl exception"; the reason is buried in the cause chain.
 */
final class TlsFailures {
  private TlsFailures() {}

  /**
   * What went wrong and what to change, or null when the failure does not look like a TLS problem.
   *
   * @param plaintext whether the client connected without TLS
   */
  static @Nullable String explain(Status status, boolean plaintext) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    if (description.contains("first 5 bytes: 15030") || description.contains("first 5 bytes: 16030")) {
      return "the server answered with TLS; connect with TLS (tls(), or --tls on the command line)";
    }
    if (plaintext && status.getCode() == Status.Code.UNAVAILABLE && !refused(status)
        && (description.startsWith("Network closed for unknown reason") || description.startsWith("io exception"))) {
      // A TLS server drops a plaintext client without a word; the client cannot tell more.
      return "the server closed the connection at once; if it uses TLS, connect with TLS (tls(), or --tls on the"
          + " command line)";
    }
    for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateExpiredException expired) {
        return "the server's TLS certificate has expired (" + expired.getMessage() + ")";
      }
      if (cause instanceof CertificateNotYetValidException early) {
        return "the server's TLS certificate is not valid yet (" + early.getMessage() + ")";
      }
      String message = String.valueOf(cause.getMessage());
      String upper = message.toUpperCase(Locale.ROOT);
      if (message.contains("unable to find valid certification path")) {
        return "the server's TLS certificate is not signed by a trusted CA; trust the CA that signed it"
            + " (trustedCa(...), or --ca-file on the command line)";
      }
      if (message.contains("No subject alternative") || message.contains("No name matching")) {
        return "the server's TLS certificate does not name the host connected to (" + message + ")";
      }
      if (upper.contains("CERTIFICATE_REQUIRED")) {
        // Also when one is configured: it is sent only if its issuer is among the CAs the server accepts.
        return "the server requires a client certificate (mutual TLS) signed by its client CA, and none was sent;"
            + " set one (clientCertificate(...), or --cert-file and --key-file on the command line) signed by that CA";
      }
      if (upper.contains("UNKNOWN_CA") || upper.contains("BAD_CERTIFICATE")
          || upper.contains("CERTIFICATE_EXPIRED") || upper.contains("CERTIFICATE_UNKNOWN")) {
        return "the server refused the client certificate: it must be signed by the server's client CA and be"
            + " valid now";
      }
      if (upper.contains("NOT_SSL_RECORD") || message.contains("not an SSL/TLS record")) {
        return "the server does not speak TLS; connect in plaintext, or turn TLS on at the server";
      }
    }
    return null;
  }

  private static boolean refused(Status status) {
    for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.ConnectException || String.valueOf(cause.getMessage()).contains("refused")) {
        return true;
      }
    }
    return false;
  }
}
