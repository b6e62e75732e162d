package dev.onfs.registry.etcd;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the registry lives in etcd and how to reach it.
 *
 * @param endpoints etcd client URLs, e.g. {@code http://127.0.0.1:2379}
 * @param appName the application name: the tree is under {@code /config/<appName>}
 * @param user etcd user, or null without authentication
 * @param password etcd password, or null
 * @param connectTimeout how long a request may wait for a connection
 * @param settleDelay how long the watcher waits after a change for more changes before it rebuilds
 *     the snapshot (control planes write one key at a time)
 */
public record EtcdRegistryConfig(
    List<String> endpoints,
    String appName,
    @Nullable String user,
    @Nullable String password,
    Duration connectTimeout,
    Duration settleDelay) {
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
  }

  /** The tree's root key, {@code /config/<appName>}. */
  public String basePath() {
    return "/config/" + appName;
  }

  /** Endpoints given as one comma-separated string, the reference's {@code ETCD_SERVER} form. */
  public static Builder builder(String endpoints) {
    List<String> list = new ArrayList<>();
    for (String endpoint : endpoints.split(",")) {
      String trimmed = endpoint.trim();
      if (!trimmed.isEmpty()) {
        list.add(trimmed.contains("://") ? trimmed : "http://" + trimmed);
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

    public EtcdRegistryConfig build() {
      return new EtcdRegistryConfig(endpoints, appName, user, password, connectTimeout, settleDelay);
    }
  }
}
