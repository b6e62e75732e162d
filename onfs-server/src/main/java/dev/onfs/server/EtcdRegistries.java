package dev.onfs.server;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.Secrets;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.registry.etcd.EtcdFeatureRegistry;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import org.jspecify.annotations.Nullable;

/**
 * Opens the etcd-backed registry named by {@code etcd-endpoints} and {@code app-name}, with the
 * {@code etcd-*} user, password and TLS settings; shared by {@code serve} and {@code consume} so both
 * read the registry the same way.
 */
public final class EtcdRegistries {
  private EtcdRegistries() {}

  /**
   * How to authenticate to etcd and secure the connection, as the {@code etcd-*} options give it.
   * Empty strings count as unset. TLS is on with any {@code etcd-tls-*} file or an
   * {@code https://} endpoint.
   */
  public record Access(@Nullable String user, @Nullable String password, @Nullable String passwordFile,
      @Nullable String tlsCaFile, @Nullable String tlsCertFile, @Nullable String tlsKeyFile) {
    /** No user, plaintext unless an endpoint says https://. */
    public static final Access NONE = new Access(null, null, null, null, null, null);

    /** Never prints the password. */
    @Override
    public String toString() {
      return "Access[user=" + user + ", password=" + Secrets.mask(blankToNull(password)) + ", passwordFile="
          + passwordFile + ", tlsCaFile=" + tlsCaFile + ", tlsCertFile=" + tlsCertFile + ", tlsKeyFile="
          + tlsKeyFile + "]";
    }
  }

  static FeatureRegistry open(ServerConfig config) {
    return open(config.etcdEndpoints(), config.appName(), config.etcdAccess());
  }

  /**
   * A watching registry over {@code /config/<appName>} in etcd.
   *
   * @param etcdEndpoints comma-separated endpoints; null or blank is an {@link ErrorCode#INVALID_ARGUMENT}
   */
  public static FeatureRegistry open(@Nullable String etcdEndpoints, String appName, Access access) {
    return EtcdFeatureRegistry.start(config(etcdEndpoints, appName, access));
  }

  /** The registry client settings these options describe; errors name the option. */
  public static EtcdRegistryConfig config(@Nullable String etcdEndpoints, String appName, Access access) {
    if (etcdEndpoints == null || etcdEndpoints.isBlank()) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "option 'etcd-endpoints' is required when registry=etcd");
    }
    EtcdRegistryConfig.Builder builder = EtcdRegistryConfig.builder(etcdEndpoints).appName(appName);
    String user = blankToNull(access.user());
    String password = Secrets.password("etcd-password", blankToNull(access.password()), access.passwordFile());
    if (user == null && password != null) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "option 'etcd-password' is set without 'etcd-user'");
    }
    if (user != null) {
      if (password == null) {
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT,
            "option 'etcd-user' is set without 'etcd-password' or 'etcd-password-file'");
      }
      builder.credentials(user, password);
    }
    builder.tls(ClientTls.fromSettings("etcd-", null, access.tlsCaFile(), access.tlsCertFile(), access.tlsKeyFile()));
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, java.util.Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
    }
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
