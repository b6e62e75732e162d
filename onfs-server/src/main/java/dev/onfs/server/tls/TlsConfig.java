package dev.onfs.server.tls;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * TLS settings of the gRPC and HTTP ports. Off when {@link #certFile()} is null.
 *
 * @param certFile the server's certificate chain (PEM), leaf first
 * @param keyFile its private key (PEM, unencrypted PKCS#8: {@code BEGIN PRIVATE KEY})
 * @param clientCaFile CA certificates (PEM) that client certificates must chain to; null: no client certificates
 * @param clientAuth whether clients must, may or need not present a certificate
 * @param httpTls whether the HTTP port uses TLS too (with the same certificate and client authentication)
 * @param clientCertIdentity whether a client certificate's subject CN may stand in for the caller token
 * @param reloadPeriod how often the files are checked for changes
 */
public record TlsConfig(
    @Nullable Path certFile,
    @Nullable Path keyFile,
    @Nullable Path clientCaFile,
    ClientAuth clientAuth,
    boolean httpTls,
    boolean clientCertIdentity,
    Duration reloadPeriod) {

  /** Whether a client certificate is asked for. */
  public enum ClientAuth {
    NONE, OPTIONAL, REQUIRE
  }

  /** Plaintext on both ports. */
  public static final TlsConfig DISABLED =
      new TlsConfig(null, null, null, ClientAuth.NONE, false, false, Duration.ofSeconds(5));

  public TlsConfig {
    requireNonNull(clientAuth, "clientAuth is null");
    requireNonNull(reloadPeriod, "reloadPeriod is null");
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(certFile == null
          ? "option 'tls-key-file' is set but 'tls-cert-file' is not; TLS needs both"
          : "option 'tls-cert-file' is set but 'tls-key-file' is not; TLS needs both");
    }
    if (certFile == null && clientCaFile != null) {
      throw new IllegalArgumentException("option 'tls-client-ca-file' needs TLS: set 'tls-cert-file' and 'tls-key-file'");
    }
    if (clientAuth != ClientAuth.NONE && clientCaFile == null) {
      throw new IllegalArgumentException("option 'tls-client-auth' is " + clientAuth.name().toLowerCase(java.util.Locale.ROOT)
          + " but 'tls-client-ca-file' is not set: client certificates need a CA to check them against");
    }
    if (clientCertIdentity && clientAuth == ClientAuth.NONE) {
      throw new IllegalArgumentException("option 'tls-client-cert-identity' needs client certificates: set"
          + " 'tls-client-ca-file' (and 'tls-client-auth' optional or require)");
    }
    if (reloadPeriod.isNegative() || reloadPeriod.isZero()) {
      throw new IllegalArgumentException("option 'tls-reload-period' must be positive, got " + reloadPeriod);
    }
  }

  /** Whether the ports use TLS at all. */
  public boolean enabled() {
    return certFile != null;
  }
}
