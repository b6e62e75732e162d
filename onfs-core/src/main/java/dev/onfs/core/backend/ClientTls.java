package dev.onfs.core.backend;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The client side of TLS to a backend, from PEM files: which CAs to trust (the JDK's default trust
 * store when {@code caFile} is null) and, for servers that ask for one, the client certificate and
 * its key.
 *
 * <p>The key file must be unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), the form Kafka
 * and most tools read; a PKCS#1 or SEC1 key ({@code BEGIN RSA/EC PRIVATE KEY}) fails with the
 * command that converts it. Files are read when a context is built, so a rotated certificate is
 * picked up by the next connection pool, not by the running one.
 *
 * @param caFile PEM file of one or more CA certificates to trust, or null for the JDK's trust store
 * @param certFile PEM file of the client certificate (then its chain), or null for none
 * @param keyFile PEM file of the client certificate's private key, or null for none
 */
public record ClientTls(@Nullable Path caFile, @Nullable Path certFile, @Nullable Path keyFile) {
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "DSA");

  public ClientTls {
    if ((certFile == null) != (keyFile == null)) {
      throw invalid("give both a client certificate file and its key file, or neither");
    }
  }

  /** TLS trusting the JDK's default CAs, without a client certificate. */
  public static ClientTls systemTrust() {
    return new ClientTls(null, null, null);
  }

  /**
   * Reads the TLS settings of one backend as the adapters name them: {@code <prefix>tls}
   * ({@code true}/{@code false}), {@code <prefix>tls-ca-file}, {@code <prefix>tls-cert-file},
   * {@code <prefix>tls-key-file}. TLS is on when {@code tls} is true or any file is given.
   *
   * @param prefix prepended to the setting names in messages, e.g. {@code ""} or {@code "etcd-"}
   * @return the TLS settings, or null when TLS is off
   */
  public static @Nullable ClientTls fromSettings(String prefix, @Nullable String tls, @Nullable String caFile,
      @Nullable String certFile, @Nullable String keyFile) {
    Boolean enabled = null;
    if (tls != null && !tls.isBlank()) {
      enabled = switch (tls.trim().toLowerCase(Locale.ROOT)) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> throw invalid(prefix + "tls must be true or false, got '" + tls + "'");
      };
    }
    Path ca = path(caFile);
    Path cert = path(certFile);
    Path key = path(keyFile);
    boolean anyFile = ca != null || cert != null || key != null;
    if (Boolean.FALSE.equals(enabled) && anyFile) {
      throw invalid(prefix + "tls is false but " + prefix + (ca != null ? "tls-ca-file" : cert != null
          ? "tls-cert-file" : "tls-key-file") + " is set");
    }
    if ((cert == null) != (key == null)) {
      throw invalid(prefix + (cert == null ? "tls-key-file" : "tls-cert-file") + " is set without "
          + prefix + (cert == null ? "tls-cert-file" : "tls-key-file"));
    }
    if (!Boolean.TRUE.equals(enabled) && !anyFile) {
      return null;
    }
    return new ClientTls(ca, cert, key);
  }

  /** A client TLS context from these files; fails with a message naming the file and what is wrong. */
  public SSLContext sslContext() {
    KeyManagerFactory keys = keyManagerFactory();
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trustManagerFactory().getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw invalid("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  /** Trust in the CAs of {@link #caFile()}, or the JDK's default trust store when it is null. */
  public TrustManagerFactory trustManagerFactory() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (caFile == null) {
        factory.init((KeyStore) null);
        return factory;
      }
      List<X509Certificate> cas = certificates(caFile, "TLS CA file");
      KeyStore store = emptyStore();
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException e) {
      throw invalid("TLS CA file " + caFile + " cannot be used: " + e.getMessage(), e);
    }
  }

  /** The client certificate and key, or null when none is configured. */
  public @Nullable KeyManagerFactory keyManagerFactory() {
    if (certFile == null || keyFile == null) {
      return null;
    }
    List<X509Certificate> chain = certificates(certFile, "TLS certificate file");
    PrivateKey key = privateKey(keyFile);
    checkPair(chain.get(0), key);
    try {
      // The store lives only in memory; its password only satisfies the API.
      char[] password = new char[0];
      KeyStore store = emptyStore();
      store.setKeyEntry("client", key, password, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory;
    } catch (GeneralSecurityException e) {
      throw invalid("TLS certificate " + certFile + " and key " + keyFile + " cannot be used: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ClientTls[caFile=" + (caFile == null ? "JDK default" : caFile) + ", certFile=" + certFile
        + ", keyFile=" + keyFile + "]";
  }

  private static List<X509Certificate> certificates(Path file, String what) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(file, what)) {
        if (block.type().equals("CERTIFICATE")) {
          out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (CertificateException e) {
      throw invalid(what + " " + file + " holds a certificate that cannot be parsed: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw invalid(what + " " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return out;
  }

  private static PrivateKey privateKey(Path file) {
    for (Block block : blocks(file, "TLS key file")) {
      switch (block.type()) {
        case "PRIVATE KEY" -> {
          PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(block.der());
          for (String algorithm : KEY_ALGORITHMS) {
            try {
              return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
              // not this algorithm; try the next
            }
          }
          throw invalid("TLS key file " + file + " holds a PKCS#8 key of an unsupported algorithm (RSA, EC, EdDSA or DSA)");
        }
        case "ENCRYPTED PRIVATE KEY" -> throw invalid("TLS key file " + file + " is encrypted; give it unencrypted"
            + " (openssl pkcs8 -in " + file + " -out key.pem) and keep it readable only by the service's user");
        case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" -> throw invalid("TLS key file " + file
            + " holds a " + block.type() + " (PKCS#1/SEC1); convert it to PKCS#8:"
            + " openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
        default -> {
          // other blocks (e.g. EC PARAMETERS) are skipped
        }
      }
    }
    throw invalid("TLS key file " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  /** Fails when the key does not belong to the certificate (a TLS server would only say "handshake failed"). */
  private void checkPair(X509Certificate certificate, PrivateKey key) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "EdDSA", "Ed25519" -> "Ed25519";
      case "Ed448" -> "Ed448";
      case "DSA" -> "SHA256withDSA";
      default -> null;
    };
    if (algorithm == null) {
      return;
    }
    byte[] probe = "onfs key check".getBytes(StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw invalid("TLS key file " + keyFile + " does not hold the key of the certificate in " + certFile
          + " (" + certificate.getSubjectX500Principal().getName() + ")");
    }
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file, String what) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw invalid(what + " " + file + " cannot be read: " + e, e);
    }
    List<Block> out = new ArrayList<>();
    Matcher matcher = PEM_BLOCK.matcher(text);
    while (matcher.find()) {
      try {
        out.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2).strip())));
      } catch (IllegalArgumentException e) {
        throw invalid(what + " " + file + " has a " + matcher.group(1) + " block that is not base64", e);
      }
    }
    if (out.isEmpty()) {
      throw invalid(what + " " + file + " is not a PEM file (no -----BEGIN ...----- block)");
    }
    return out;
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return store;
  }

  private static @Nullable Path path(@Nullable String value) {
    return value == null || value.isBlank() ? null : Path.of(value.trim());
  }

  private static OnfsException invalid(String message) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, message);
  }

  private static OnfsException invalid(String message, Throwable cause) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, message, cause);
  }
}
