package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.TlsProbe;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Checks, before consuming, that the brokers answer with the configured security. Kafka's clients
 * retry a broker that drops them forever and fail an authentication only inside {@code poll}; this
 * turns both into one startup error that names the setting to fix.
 */
public final class KafkaConnectivity {
  private KafkaConnectivity() {}

  /**
   * Asks the cluster for its brokers with {@code settings}' client properties.
   *
   * @throws OnfsException STORE_UNAVAILABLE naming the TLS, credential or protocol problem, or that no
   *     broker answered within {@code timeout}
   */
  public static void check(ConsumerSettings settings, Duration timeout) {
    requireNonNull(settings, "settings is null");
    requireNonNull(timeout, "timeout is null");
    Map<String, String> client = settings.clientProperties();
    Properties properties = new Properties();
    properties.putAll(client);
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    properties.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.clientId() + "-check");
    int millis = Math.toIntExact(Math.max(1000, timeout.toMillis()));
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(millis));
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(millis));
    String protocol = client.getOrDefault("security.protocol", "PLAINTEXT");
    String where = "kafka at " + settings.bootstrapServers() + " (security.protocol " + protocol + ")";
    try (Admin admin = Admin.create(properties)) {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes().get(millis + 1000L,
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "interrupted while checking " + where, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof SslAuthenticationException tls) {
        String detail = String.valueOf(tls.getMessage());
        for (Throwable t = tls.getCause(); t != null; t = t.getCause()) {
          if (t instanceof javax.net.ssl.SSLException ssl) {
            detail = TlsProbe.describe(ssl);
            break;
          }
        }
        throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, where + ": TLS handshake failed: " + detail
            + "; check tls-ca-file, tls-cert-file and tls-key-file", e);
      }
      if (cause instanceof SaslAuthenticationException denied) {
        throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, where + ": authentication failed for user '"
            + settings.security().username() + "' (" + client.get("sasl.mechanism") + "): " + denied.getMessage()
            + "; check sasl-username, sasl-password and sasl-mechanism", e);
      }
      throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, where + ": no broker answered within " + millis
          + " ms (" + cause.getMessage() + ")" + diagnose(settings.bootstrapServers(), protocol), e);
    }
  }

  /** A listener that drops the client usually speaks another protocol: one TLS handshake tells which. */
  private static String diagnose(String bootstrapServers, String protocol) {
    String first = bootstrapServers.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    if (colon <= 0) {
      return "";
    }
    boolean clientTls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
    TlsProbe.Result probe;
    try {
      probe = TlsProbe.handshake(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)),
          SSLContext.getDefault());
    } catch (GeneralSecurityException | NumberFormatException e) {
      return "";
    }
    return switch (probe.outcome()) {
      case TRUSTED, REJECTED -> clientTls ? "" : "; " + first + " speaks TLS: set security-protocol SSL or SASL_SSL";
      case NOT_TLS -> clientTls
          ? "; " + first + " does not speak TLS: set security-protocol PLAINTEXT or SASL_PLAINTEXT"
          : "; check security-protocol: a SASL listener drops clients that do not authenticate";
      case UNREACHABLE -> "";
    };
  }
}
