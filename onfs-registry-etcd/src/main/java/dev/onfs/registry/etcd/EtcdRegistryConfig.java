package dev.onfs.registry.etcd;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.Secrets;
import dev.onfs.core.registry.internal.RegistryChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the registry lives in etcd and how to reach it.
 *
 * @param endpoints etcd client URLs, e.g. {@code http://127.0.0.1:2379}; all {@code https://} when
 *     {@code tls} is set
 * @param appName the application name: the tree is under {@code /config/<appName>}
 * @param user etcd user, or null without authentication
 * @param password etcd password, or null
 * @param connectTimeout how long a request may wait for a connection
 * @param settleDelay how long the watcher waits after a change for more changes before it rebuilds
 *     the snapshot (control planes write one key at a time)
 * @param tls TLS to etcd, or null for plaintext {@code http://} endpoints
 */
public record EtcdRegistryConfig(
    List<String> endpoints,
    String appName,
    @Nullable String user,
    @Nullable String password,
    Duration connectTimeout,
    Duration settleDelay,
    @Nullable ClientTls tls) {
  /** The reference quick start's application name. */
  public static final String DEFAULT_APP_NAME = "onfs";

  public EtcdRegistryConfig {
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints is null"));
    requireNonNull(appName, "appName is null");
    requireNonNull(connectTimeout, "connectTimeout is null");
    requireNonNull(settleDelay, "settleDelay is null");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints is empty");
    }
    RegistryChecks.label(appName, "etcd app name");
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("give both user and password, or neither");
    }
    for (String endpoint : endpoints) {
      boolean https = endpoint.startsWith("https://");
      if (tls != null && !https) {
        throw new IllegalArgumentException("etcd endpoint " + endpoint + " is not https:// but TLS is configured");
      }
      if (tls == null && https) {
        throw new IllegalArgumentException("etcd endpoint " + endpoint + " is https:// but TLS is not configured");
      }
    }
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "EtcdRegistryConfig[endpoints=" + endpoints + ", appName=" + appName + ", user=" + user + ", password="
        + Secrets.mask(password) + ", connectTimeout=" + connectTimeout + ", settleDelay=" + settleDelay + ", tls="
        + (tls == null ? "off" : tls) + "]";
  }

  /** The tree's root key, {@code /config/<appName>}. */
  public String basePath() {
    return "/config/" + appName;
  }

  /**
   * Endpoints given as one comma-separated string, the reference's {@code ETCD_SERVER} form. An
   * endpoint without a scheme gets {@code https://} when TLS is configured, else {@code http://}; an
   * {@code https://} endpoint without TLS settings trusts the JDK's default CAs.
   */
  public static Builder builder(String endpoints) {
    List<String> list = new ArrayList<>();
    for (String endpoint : endpoints.split(",")) {
      String trimmed = endpoint.trim();
      if (!trimmed.isEmpty()) {
        list.add(trimmed);
      }
    }
    return new Builder(list);
  }

  /** Builds a config; only the endpoints are required. */
  public static final class Builder {
    private final List<String> endpoints;
    private String appName = DEFAULT_APP_NAME;
    private @Nullable String user;
    private @Nullable String password;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration settleDelay = Duration.ofMillis(100);
    private @Nullable ClientTls tls;

    private Builder(List<String> endpoints) {
      this.endpoints = endpoints;
    }

    public Builder appName(String appName) {
      this.appName = RegistryChecks.label(requireNonNull(appName, "appName is null"), "etcd app name");
      return this;
    }

    public Builder credentials(String user, String password) {
      this.user = requireNonNull(user, "user is null");
      this.password = requireNonNull(password, "password is null");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    public Builder settleDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("settleDelay must not be negative: " + delay);
      }
      this.settleDelay = delay;
      return this;
    }

    /** TLS to etcd; null (the default) for plaintext unless an endpoint says {@code https://}. */
    public Builder tls(@Nullable ClientTls tls) {
      this.tls = tls;
      return this;
    }

    public EtcdRegistryConfig build() {
      ClientTls effective = tls;
      if (effective == null && endpoints.stream().anyMatch(e -> e.startsWith("https://"))) {
        effective = ClientTls.systemTrust();
      }
      List<String> urls = new ArrayList<>();
      for (String endpoint : endpoints) {
        urls.add(endpoint.contains("://") ? endpoint : (effective == null ? "http://" : "https://") + endpoint);
      }
      return new EtcdRegistryConfig(urls, appName, user, password, connectTimeout, settleDelay, effective);
    }
  }
}
