package dev.onfs.client;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link OnfsClient}. Each setter validates its argument; {@link #build()} checks that a
 * target (or channel) and credentials are present.
 */
public final class OnfsClientBuilder {
  static final int DEFAULT_BATCH_SIZE = 50;
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);
  static final int DEFAULT_MAX_RETRIES = 2;
  static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(50);
  static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

  @Nullable String target;
  @Nullable ManagedChannel channel;
  boolean plaintext;
  @Nullable Path trustedCa;
  @Nullable Path clientCertificate;
  @Nullable Path clientKey;
  @Nullable String callerId;
  @Nullable String authToken;
  Duration deadline = DEFAULT_DEADLINE;
  int batchSize = DEFAULT_BATCH_SIZE;
  int maxRetries = DEFAULT_MAX_RETRIES;
  Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
  int maxInboundMessageBytes = DEFAULT_MAX_INBOUND_MESSAGE_BYTES;
  OnfsClientListener listener = OnfsClientListener.none();

  OnfsClientBuilder() {}

  /** The server as {@code host:port} (any gRPC target string, e.g. {@code dns:///onfs:8089}). */
  public OnfsClientBuilder target(String target) {
    requireNonNull(target, "target is null");
    if (target.isBlank()) {
      throw new IllegalArgumentException("target is blank");
    }
    this.target = target;
    return this;
  }

  /**
   * Uses an existing channel (e.g. in-process, or one with custom TLS) instead of {@link #target};
   * the client does not shut it down.
   */
  public OnfsClientBuilder channel(ManagedChannel channel) {
    this.channel = requireNonNull(channel, "channel is null");
    return this;
  }

  /** Connects without TLS. */
  public OnfsClientBuilder plaintext() {
    this.plaintext = true;
    return this;
  }

  /** Connects with TLS verified against the JDK's default trust store (the default). */
  public OnfsClientBuilder tls() {
    this.plaintext = false;
    return this;
  }

  /**
   * Trusts servers whose certificate chains to the CA certificates in this PEM file, instead of the
   * JDK's default trust store. Implies {@link #tls()}; the server's host name is still checked.
   */
  public OnfsClientBuilder trustedCa(Path caFile) {
    this.trustedCa = readable(caFile, "caFile");
    this.plaintext = false;
    return this;
  }

  /**
   * Presents this certificate (PEM chain, leaf first) and its PKCS#8 PEM private key to servers that
   * ask for one (mutual TLS). Implies {@link #tls()}. A server with certificate identity on
   * authenticates the caller by the certificate's subject CN, so {@link #credentials} may be left out.
   */
  public OnfsClientBuilder clientCertificate(Path certFile, Path keyFile) {
    this.clientCertificate = readable(certFile, "certFile");
    this.clientKey = readable(keyFile, "keyFile");
    this.plaintext = false;
    return this;
  }

  private static Path readable(Path file, String name) {
    requireNonNull(file, name + " is null");
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(name + " " + file + " does not exist or is not readable");
    }
    return file;
  }

  /** The reader id and token sent as {@code online-feature-store-caller-id} / {@code -auth-token}. */
  public OnfsClientBuilder credentials(String callerId, String authToken) {
    requireNonNull(callerId, "callerId is null");
    requireNonNull(authToken, "authToken is null");
    if (callerId.isBlank()) {
      throw new IllegalArgumentException("callerId is blank");
    }
    if (authToken.isEmpty()) {
      throw new IllegalArgumentException("authToken is empty");
    }
    this.callerId = callerId;
    this.authToken = authToken;
    return this;
  }

  /** Deadline of each RPC attempt; 5 s by default. */
  public OnfsClientBuilder deadline(Duration deadline) {
    requireNonNull(deadline, "deadline is null");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
    this.deadline = deadline;
    return this;
  }

  /** Key rows per retrieve RPC; larger key lists are split and sent in parallel. 50 by default. */
  public OnfsClientBuilder batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /**
   * Retries of a read after UNAVAILABLE or DEADLINE_EXCEEDED (writes are never retried); 2 by
   * default, 0 disables retries.
   */
  public OnfsClientBuilder maxRetries(int maxRetries) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
    }
    this.maxRetries = maxRetries;
    return this;
  }

  /** First retry delay, doubled on each further retry, with up to 50% random jitter; 50 ms by default. */
  public OnfsClientBuilder retryBackoff(Duration retryBackoff) {
    requireNonNull(retryBackoff, "retryBackoff is null");
    if (retryBackoff.isNegative()) {
      throw new IllegalArgumentException("retryBackoff must not be negative, got " + retryBackoff);
    }
    this.retryBackoff = retryBackoff;
    return this;
  }

  /** Largest response accepted; 64 MiB by default. */
  public OnfsClientBuilder maxInboundMessageBytes(int bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("maxInboundMessageBytes must be at least 1024, got " + bytes);
    }
    this.maxInboundMessageBytes = bytes;
    return this;
  }

  /** Receives one event per RPC attempt (client metrics). */
  public OnfsClientBuilder listener(OnfsClientListener listener) {
    this.listener = requireNonNull(listener, "listener is null");
    return this;
  }

  public OnfsClient build() {
    if (target == null && channel == null) {
      throw new IllegalStateException("target or channel must be set");
    }
    if (target != null && channel != null) {
      throw new IllegalStateException("set either target or channel, not both");
    }
    if ((callerId == null || authToken == null) && clientCertificate == null) {
      throw new IllegalStateException("credentials (caller id and auth token) or a client certificate must be set");
    }
    if (plaintext && (trustedCa != null || clientCertificate != null)) {
      throw new IllegalStateException("trustedCa and clientCertificate need TLS, but plaintext() was set after them");
    }
    if (channel != null && (trustedCa != null || clientCertificate != null)) {
      throw new IllegalStateException("trustedCa and clientCertificate apply to the client's own channel, not to channel()");
    }
    return new OnfsClient(this);
  }
}
