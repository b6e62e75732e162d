package dev.onfs.server;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.Secrets;
import dev.onfs.core.config.Option;
import dev.onfs.core.config.OptionType;
import dev.onfs.core.config.OptionValues;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.registry.etcd.EtcdFeatureRegistry;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Opens the etcd-backed registry named by {@code etcd-endpoints} and {@code app-name}, with the
 * {@code etcd-*} user, password and TLS settings; shared by {@code serve} and {@code consume} so both
 * read the registry the same way.
 */
public final class EtcdRegistries {
  private EtcdRegistries() {}

  public static final Option<String> ENDPOINTS = Option.of("etcd-endpoints", OptionType.text(), null,
      "comma-separated etcd endpoints (registry=etcd); without a scheme they get https:// when an etcd-tls-* option"
          + " is set, else http://");
  public static final Option<String> USER = Option.of("etcd-user", OptionType.text(), null,
      "etcd user (registry=etcd), with etcd-password or etcd-password-file");
  public static final Option<String> PASSWORD = Option.of("etcd-password", OptionType.verbatim(), null,
      "etcd password; prefer the environment or etcd-password-file to a flag").secret();
  public static final Option<String> PASSWORD_FILE = Option.of("etcd-password-file", OptionType.text(), null,
      "file holding the etcd password (a trailing line break is dropped)");
  public static final Option<String> TLS_CA_FILE = Option.of("etcd-tls-ca-file", OptionType.text(), null,
      "PEM CA certificates to trust for etcd; turns TLS on (an https:// endpoint alone trusts the JDK's CAs)");
  public static final Option<String> TLS_CERT_FILE = Option.of("etcd-tls-cert-file", OptionType.text(), null,
      "PEM client certificate for etcd (with etcd-tls-key-file), for an etcd that checks client certificates");
  public static final Option<String> TLS_KEY_FILE = Option.of("etcd-tls-key-file", OptionType.text(), null,
      "unencrypted PKCS#8 PEM key of etcd-tls-cert-file");
  public static final Option<String> APP_NAME = Option.of("app-name", OptionType.text(),
      EtcdRegistryConfig.DEFAULT_APP_NAME, "application name: the etcd tree lives under /config/<app-name>");

  /** Every option of the etcd registry, as {@code serve} and {@code consume} both take them. */
  public static final List<Option<?>> OPTIONS =
      List.of(ENDPOINTS, USER, PASSWORD, PASSWORD_FILE, TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE, APP_NAME);

  /**
   * How to authenticate to etcd and secure the connection, as the {@code etcd-*} options give it.
   * Empty strings count as unset. TLS is on with any {@code etcd-tls-*} file or an
   * {@code https://} endpoint.
   */
  public record Access(@Nullable String user, @Nullable String password, @Nullable String passwordFile,
      @Nullable String tlsCaFile, @Nullable String tlsCertFile, @Nullable String tlsKeyFile) {
    /** No user, plaintext unless an endpoint says https://. */
    public static final Access NONE = new Access(null, null, null, null, null, null);

    /** The {@code etcd-*} options among {@code values}; empty strings count as unset. */
    public static Access from(OptionValues values) {
      return new Access(blankToNull(values.get(USER)), blankToNull(values.get(PASSWORD)),
          blankToNull(values.get(PASSWORD_FILE)), blankToNull(values.get(TLS_CA_FILE)),
          blankToNull(values.get(TLS_CERT_FILE)), blankToNull(values.get(TLS_KEY_FILE)));
    }

    /** Never prints the password. */
    @Override
    public String toString() {
      return "Access[user=" + user + ", password=" + Secrets.mask(blankToNull(password)) + ", passwordFile="
          + passwordFile + ", tlsCaFile=" + tlsCaFile + ", tlsCertFile=" + tlsCertFile + ", tlsKeyFile="
          + tlsKeyFile + "]";
    }
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
    return config(etcdEndpoints, appName, access, null);
  }

  /**
   * As {@link #config(String, String, Access)}, waiting at most {@code connectTimeout} (null: the
   * client's default) for etcd; {@code onfs registry} and {@code onfs token} build their client here too.
   */
  public static EtcdRegistryConfig config(
      @Nullable String etcdEndpoints, String appName, Access access, java.time.@Nullable Duration connectTimeout) {
    if (etcdEndpoints == null || etcdEndpoints.isBlank()) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "option 'etcd-endpoints' is required when registry=etcd");
    }
    EtcdRegistryConfig.Builder builder = EtcdRegistryConfig.builder(etcdEndpoints).appName(appName);
    if (connectTimeout != null) {
      builder.connectTimeout(connectTimeout);
    }
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
