package dev.onfs.server.tls;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;

/**
 * The server's certificate and key, and the client CA, loaded from PEM files and shared by the gRPC
 * and HTTP ports. One daemon thread re-reads the files every {@link TlsConfig#reloadPeriod()}; when
 * their content changed, the new material is checked (the key must belong to the certificate) and
 * swapped in, so new connections see it without a restart. Connections already open keep theirs. A
 * change that does not load (a half-written file, a key that does not match yet) is logged and
 * retried at the next check; the old material stays in use meanwhile.
 */
public final class TlsKeyMaterial implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(TlsKeyMaterial.class.getName());

  private final TlsConfig config;
  private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
  private final @Nullable AdvancedTlsX509TrustManager trustManager;
  private final ScheduledExecutorService watcher;
  private byte[][] loadedContents;

  private TlsKeyMaterial(TlsConfig config) {
    this.config = config;
    this.loadedContents = readAll();
    try {
      this.trustManager = config.clientCaFile() == null ? null : AdvancedTlsX509TrustManager.newBuilder()
          // Client certificates carry no host name to check; the chain and validity are checked.
          .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the client certificate trust manager", e);
    }
    install(loadedContents);
    this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "onfs-tls-reload");
      thread.setDaemon(true);
      return thread;
    });
    long period = config.reloadPeriod().toMillis();
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Loads the files {@code config} names and starts watching them.
   *
   * @throws OnfsException INVALID_ARGUMENT naming the file when one cannot be read or parsed, or the
   *     key does not belong to the certificate
   */
  public static TlsKeyMaterial load(TlsConfig config) {
    requireNonNull(config, "config is null");
    if (!config.enabled()) {
      throw new IllegalArgumentException("TLS is not configured");
    }
    try {
      return new TlsKeyMaterial(config);
    } catch (IllegalArgumentException e) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, java.util.Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
    }
  }

  /** Credentials for the gRPC server: this material, and the client authentication the config asks for. */
  public ServerCredentials grpcCredentials() {
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder().keyManager(keyManager);
    if (trustManager != null) {
      builder.trustManager(trustManager);
    }
    return builder.clientAuth(switch (config.clientAuth()) {
      case NONE -> TlsServerCredentials.ClientAuth.NONE;
      case OPTIONAL -> TlsServerCredentials.ClientAuth.OPTIONAL;
      case REQUIRE -> TlsServerCredentials.ClientAuth.REQUIRE;
    }).build();
  }

  /** A Jetty TLS setup over this material, with the same client authentication as gRPC. */
  public SslContextFactory.Server httpSslContextFactory() {
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keyManager},
          trustManager == null ? null : new TrustManager[] {trustManager}, null);
    } catch (NoSuchAlgorithmException | KeyManagementException e) {
      throw new IllegalStateException("cannot create the HTTP port's TLS context", e);
    }
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setSslContext(context);
    factory.setNeedClientAuth(config.clientAuth() == TlsConfig.ClientAuth.REQUIRE);
    factory.setWantClientAuth(config.clientAuth() == TlsConfig.ClientAuth.OPTIONAL);
    return factory;
  }

  /** Stops watching the files. */
  @Override
  public void close() {
    watcher.shutdownNow();
  }

  /** Checks the files once; public to the package for tests that do not want to wait for the period. */
  synchronized void reloadIfChanged() {
    byte[][] contents;
    try {
      contents = readAll();
    } catch (IllegalArgumentException e) {
      LOG.warning("TLS files not reloaded, keeping the current ones: " + e.getMessage());
      return;
    }
    if (Arrays.deepEquals(contents, loadedContents)) {
      return;
    }
    try {
      install(contents);
      loadedContents = contents;
      LOG.info("TLS certificate reloaded from " + config.certFile());
    } catch (IllegalArgumentException e) {
      LOG.warning("TLS files changed but do not load, keeping the current ones: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "TLS reload failed, keeping the current certificate", e);
    }
  }

  /** Validates, then swaps in, the certificate, key and client CA. */
  private void install(byte[][] contents) {
    String certFile = String.valueOf(config.certFile());
    String keyFile = String.valueOf(config.keyFile());
    X509Certificate[] chain = PemFiles.certificates(certFile, contents[0]);
    PrivateKey key = PemFiles.privateKey(keyFile, contents[1]);
    PemFiles.checkPair(certFile, chain[0], keyFile, key);
    X509Certificate[] clientCas = contents[2] == null ? null
        : PemFiles.certificates(String.valueOf(config.clientCaFile()), contents[2]);
    keyManager.updateIdentityCredentials(chain, key);
    if (trustManager != null && clientCas != null) {
      try {
        trustManager.updateTrustCredentials(clientCas);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(config.clientCaFile() + " cannot be used as a CA: " + e.getMessage(), e);
      }
    }
  }

  private byte[][] readAll() {
    return new byte[][] {
        read("tls-cert-file", requireNonNull(config.certFile())),
        read("tls-key-file", requireNonNull(config.keyFile())),
        config.clientCaFile() == null ? null : read("tls-client-ca-file", config.clientCaFile())};
  }

  private static byte[] read(String option, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e, e);
    }
  }
}
