package dev.onfs.registry.etcd;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.TlsProbe;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/** jetcd plumbing shared by the client and the watching registry; translates driver errors. */
final class EtcdConnections {
  private EtcdConnections() {}

  /** A key's value and the revision it was last modified at. */
  record Versioned(String value, long modRevision) {}

  /** Every key under a prefix, and the store revision the read saw. */
  record Tree(TreeMap<String, Versioned> keys, long revision) {
    TreeMap<String, String> values() {
      TreeMap<String, String> values = new TreeMap<>();
      keys.forEach((k, v) -> values.put(k, v.value()));
      return values;
    }
  }

  static Client client(EtcdRegistryConfig config) {
    ClientBuilder builder = Client.builder()
        .endpoints(config.endpoints().toArray(String[]::new))
        .connectTimeout(config.connectTimeout())
        .retryMaxDuration(config.connectTimeout());
    if (config.user() != null && config.password() != null) {
      builder.user(bytes(config.user())).password(bytes(config.password()));
    }
    ClientTls tls = config.tls();
    if (tls != null) {
      TrustManagerFactory trust;
      KeyManagerFactory keys;
      try {
        trust = tls.trustManagerFactory();
        keys = tls.keyManagerFactory();
      } catch (OnfsException e) {
        throw new OnfsException(e.code(), "etcd: " + e.getMessage(), e);
      }
      try {
        builder.sslContext(ssl -> {
          ssl.trustManager(trust);
          if (keys != null) {
            ssl.keyManager(keys);
          }
        });
      } catch (SSLException e) {
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "etcd: cannot build a TLS context: " + e.getMessage(), e);
      }
    }
    return builder.build();
  }

  static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  /** Reads every key under {@code <base>/}. */
  static Tree readTree(Client client, EtcdRegistryConfig config) {
    String base = config.basePath();
    // The trailing slash keeps other apps whose names start with this one out of the read.
    GetResponse response = await(client.getKVClient().get(bytes(base + "/"),
        GetOption.builder().isPrefix(true).build()), config, "read " + base);
    TreeMap<String, Versioned> keys = new TreeMap<>();
    for (KeyValue kv : response.getKvs()) {
      String key = kv.getKey().toString(StandardCharsets.UTF_8);
      if (key.startsWith(base + "/")) {
        keys.put(key, new Versioned(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision()));
      }
    }
    return new Tree(keys, response.getHeader().getRevision());
  }

  /** Waits for an etcd call; failures become REGISTRY_UNAVAILABLE (retryable). */
  static <T> T await(java.util.concurrent.CompletableFuture<T> future, EtcdRegistryConfig config, String what) {
    try {
      return future.get(config.connectTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnfsException(ErrorCode.REGISTRY_UNAVAILABLE, "interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new OnfsException(ErrorCode.REGISTRY_UNAVAILABLE, "etcd at " + config.endpoints()
          + ": cannot " + what + ": " + describe(cause, config), cause);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new OnfsException(ErrorCode.REGISTRY_UNAVAILABLE, "etcd at " + config.endpoints()
          + ": timed out trying to " + what + diagnose(config), e);
    }
  }

  /**
   * What went wrong, in the terms of the settings that fix it: gRPC reports a failed TLS handshake
   * as "UNAVAILABLE: io exception" and refused credentials as "UNAUTHENTICATED".
   */
  static String describe(Throwable cause, EtcdRegistryConfig config) {
    String tls = tlsFailure(cause);
    if (tls != null) {
      return tls;
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("UNAUTHENTICATED") || message.contains("authentication failed")
          || message.contains("invalid auth token") || message.contains("user name is empty")
          || message.contains("permission denied")) {
        return "authentication failed for user " + (config.user() == null ? "(none)" : "'" + config.user() + "'")
            + ": " + message + "; check the etcd user and password";
      }
    }
    return cause.getMessage() + diagnose(config);
  }

  private static @Nullable String tlsFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException tls) {
        return "TLS handshake failed: " + TlsProbe.describe(tls) + "; check the TLS CA file, client certificate and key";
      }
    }
    return null;
  }

  /**
   * Why no call got through, found by one TLS handshake per endpoint: jetcd keeps retrying a failed
   * handshake until the deadline, so the timeout alone says nothing. Empty when nothing was found.
   */
  static String diagnose(EtcdRegistryConfig config) {
    SSLContext context;
    try {
      context = config.tls() == null ? SSLContext.getDefault() : config.tls().sslContext();
    } catch (GeneralSecurityException | OnfsException e) {
      return "";
    }
    for (String endpoint : config.endpoints()) {
      URI uri = URI.create(endpoint);
      if (uri.getHost() == null || uri.getPort() < 0) {
        continue;
      }
      TlsProbe.Result probe = TlsProbe.handshake(uri.getHost(), uri.getPort(), context);
      if (config.tls() == null && (probe.outcome() == TlsProbe.Outcome.TRUSTED
          || probe.outcome() == TlsProbe.Outcome.REJECTED)) {
        return "; " + endpoint + " speaks TLS: use https:// endpoints and a TLS CA file";
      }
      if (config.tls() != null && probe.failure() != null) {
        return "; " + endpoint + ": TLS handshake failed: " + TlsProbe.describe(probe.failure())
            + "; check the TLS CA file, client certificate and key";
      }
      if (config.tls() != null && probe.outcome() == TlsProbe.Outcome.NOT_TLS) {
        return "; " + endpoint + " does not speak TLS: use http:// endpoints without TLS settings";
      }
    }
    return "";
  }

}
