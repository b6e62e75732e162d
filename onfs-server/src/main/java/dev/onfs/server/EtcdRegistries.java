package dev.onfs.server;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.registry.etcd.EtcdFeatureRegistry;
import dev.onfs.registry.etcd.EtcdRegistryConfig;

/** Opens the etcd-backed registry named by {@code etcd-endpoints} and {@code app-name}. */
final class EtcdRegistries {
  private EtcdRegistries() {}

  static FeatureRegistry open(ServerConfig config) {
    if (config.etcdEndpoints() == null) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "option 'etcd-endpoints' is required when registry=etcd");
    }
    return EtcdFeatureRegistry.start(EtcdRegistryConfig.builder(config.etcdEndpoints()).appName(config.appName()).build());
  }
}
