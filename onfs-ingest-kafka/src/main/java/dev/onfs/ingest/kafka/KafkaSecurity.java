package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.backend.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the Kafka clients (consumers, the dead-letter producer, {@link FeaturePusher}) authenticate and
 * encrypt: {@code security.protocol}, SASL PLAIN or SCRAM credentials, and TLS from PEM files.
 * {@link #clientProperties()} turns it into Kafka client properties. Immutable; build with
 * {@link #builder()}.
 *
 * <p>The protocol follows from the rest when it is not given: TLS settings make it {@code SSL}, and
 * {@code SASL_SSL} with a SASL user. Credentials without TLS need the protocol spelled out
 * ({@code SASL_PLAINTEXT}), so that a password is never sent unencrypted by accident.
 */
public final class KafkaSecurity {
  /** Protocols {@code security.protocol} accepts. */
  public static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  /** SASL mechanisms configured from a user and password; others go through raw client properties. */
  public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  private static final KafkaSecurity NONE = new Builder().build();

  private final String protocol;
  private final @Nullable String mechanism;
  private final @Nullable String username;
  private final @Nullable String password;
  private final @Nullable ClientTls tls;

  private KafkaSecurity(Builder b) {
    this.tls = b.tls;
    this.username = b.username;
    this.password = b.password;
    this.mechanism = b.mechanism;
    String derived = tls != null ? (username != null ? "SASL_SSL" : "SSL") : "PLAINTEXT";
    this.protocol = b.protocol != null ? b.protocol : derived;
    boolean sasl = protocol.startsWith("SASL_");
    boolean encrypted = protocol.equals("SSL") || protocol.equals("SASL_SSL");
    if (username != null && b.protocol == null && tls == null) {
      throw invalid("SASL credentials without TLS: set security-protocol to SASL_SSL (with TLS settings, or the"
          + " JDK's CAs) or, to send them unencrypted, SASL_PLAINTEXT");
    }
    if (username != null && !sasl) {
      throw invalid("sasl-username is set but security-protocol is " + protocol + "; use SASL_SSL or SASL_PLAINTEXT");
    }
    if (username != null && mechanism == null) {
      throw invalid("sasl-mechanism is required with sasl-username: one of " + String.join(", ", MECHANISMS));
    }
    if (mechanism != null && !sasl) {
      throw invalid("sasl-mechanism is set but security-protocol is " + protocol + "; use SASL_SSL or SASL_PLAINTEXT");
    }
    if (tls != null && !encrypted) {
      throw invalid("TLS settings are given but security-protocol is " + protocol + "; use SSL or SASL_SSL");
    }
  }

  /** Kafka's default: PLAINTEXT, no credentials. */
  public static KafkaSecurity none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
  public String protocol() {
    return protocol;
  }

  public @Nullable String mechanism() {
    return mechanism;
  }

  public @Nullable String username() {
    return username;
  }

  public @Nullable ClientTls tls() {
    return tls;
  }

  /**
   * The Kafka client properties: {@code security.protocol}; {@code sasl.mechanism} and
   * {@code sasl.jaas.config} for a user; a PEM trust store ({@code ssl.truststore.type=PEM},
   * {@code ssl.truststore.location}) for a CA file; a PEM key store with the certificate chain and key
   * for a client certificate. Reads and checks the PEM files.
   */
  public Map<String, String> clientProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("security.protocol", protocol);
    if (mechanism != null) {
      properties.put("sasl.mechanism", mechanism);
    }
    if (username != null && password != null && mechanism != null) {
      properties.put("sasl.jaas.config", jaasConfig(mechanism, username, password));
    }
    if (tls != null) {
      try {
        tls.sslContext(); // fails early, naming the file, rather than in Kafka's client threads
      } catch (OnfsException e) {
        throw new OnfsException(e.code(), "kafka: " + e.getMessage(), e);
      }
      if (tls.caFile() != null) {
        properties.put("ssl.truststore.type", "PEM");
        properties.put("ssl.truststore.location", tls.caFile().toString());
      }
      if (tls.certFile() != null && tls.keyFile() != null) {
        properties.put("ssl.keystore.type", "PEM");
        properties.put("ssl.keystore.certificate.chain", read(tls.certFile()));
        properties.put("ssl.keystore.key", read(tls.keyFile()));
      }
    }
    return properties;
  }

  /**
   * A JAAS line for PLAIN or SCRAM. Values are quoted, with {@code \} and {@code "} escaped as the
   * JAAS parser reads them, so any password works.
   */
  static String jaasConfig(String mechanism, String username, String password) {
    String module = mechanism.startsWith("SCRAM-")
        ? "org.apache.kafka.common.security.scram.ScramLoginModule"
        : "org.apache.kafka.common.security.plain.PlainLoginModule";
    return module + " required username=" + quote(username) + " password=" + quote(password) + ";";
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw invalid("cannot read " + file + ": " + e);
    }
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "KafkaSecurity[protocol=" + protocol + ", mechanism=" + mechanism + ", username=" + username
        + ", password=" + Secrets.mask(password) + ", tls=" + (tls == null ? "off" : tls) + "]";
  }

  private static OnfsException invalid(String message) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, "kafka: " + message);
  }

  /** Builds {@link KafkaSecurity}; checks that protocol, SASL and TLS settings fit together in {@link #build()}. */
  public static final class Builder {
    private @Nullable String protocol;
    private @Nullable String mechanism;
    private @Nullable String username;
    private @Nullable String password;
    private @Nullable ClientTls tls;

    private Builder() {}

    /** PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (any case); null or blank derives it. */
    public Builder protocol(@Nullable String protocol) {
      if (protocol == null || protocol.isBlank()) {
        this.protocol = null;
        return this;
      }
      String upper = protocol.trim().toUpperCase(Locale.ROOT);
      if (!PROTOCOLS.contains(upper)) {
        throw invalid("security-protocol must be one of " + String.join(", ", PROTOCOLS) + ", got '" + protocol + "'");
      }
      this.protocol = upper;
      return this;
    }

    /** PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (any case); null or blank for none. */
    public Builder mechanism(@Nullable String mechanism) {
      if (mechanism == null || mechanism.isBlank()) {
        this.mechanism = null;
        return this;
      }
      String upper = mechanism.trim().toUpperCase(Locale.ROOT);
      if (!MECHANISMS.contains(upper)) {
        throw invalid("sasl-mechanism must be one of " + String.join(", ", MECHANISMS) + ", got '" + mechanism
            + "' (other mechanisms: set sasl.mechanism and sasl.jaas.config as Kafka properties)");
      }
      this.mechanism = upper;
      return this;
    }

    /** The SASL user and password (PLAIN or SCRAM). */
    public Builder credentials(String username, String password) {
      requireNonNull(username, "username is null");
      requireNonNull(password, "password is null");
      if (username.isBlank()) {
        throw invalid("sasl-username is blank");
      }
      this.username = username;
      this.password = password;
      return this;
    }

    /** TLS settings: CA file (else the JDK's CAs) and an optional client certificate. */
    public Builder tls(@Nullable ClientTls tls) {
      this.tls = tls;
      return this;
    }

    public KafkaSecurity build() {
      return new KafkaSecurity(this);
    }
  }
}
