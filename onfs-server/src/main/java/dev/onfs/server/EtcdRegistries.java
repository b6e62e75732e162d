package dev.onfs.server;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.registry.etcd.EtcdFeatureRegistry;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import org.jspecify.annotations.Nullable;

/**
 * Opens the etcd-backed registry named by {@code etcd-endpoints} and {@code app-name}; shared by
 * {@code serve} and {@code consume} so both read the registry the same way.
 */
public final class EtcdRegistries {
  private EtcdRegistries() {}

  static FeatureRegistry open(ServerConfig config) {
    return open(config.etcdEndpoints(), config.appName());
  }

  /**
   * A watching registry over {@code /config/<appName>} in etcd.
   *
   * @param etcdEndpoints comma-separated endpoints; null or blank is an {@link ErrorCode#INVALID_ARGUMENT}
   */
  public static FeatureRegistry open(@Nullable String etcdEndpoints, String appName) {
    if (etcdEndpoints == null || etcdEndpoints.isBlank()) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "option 'etcd-endpoints' is required when registry=etcd");
    }
    return EtcdFeatureRegistry.start(EtcdRegistryConfig.builder(etcdEndpoints).appName(appName).build());
  }
}
