package dev.onfs.server.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Certificates and private keys from PEM text, with errors that name the file and what to change. */
final class PemFiles {
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final Pattern ANY_BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");

  private PemFiles() {}

  /** Every certificate of a PEM file, in file order; at least one. */
  static X509Certificate[] certificates(String file, byte[] pem) {
    if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    try {
      List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem)).stream()
          .map(X509Certificate.class::cast)
          .toList();
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
      return certificates.toArray(new X509Certificate[0]);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /** The unencrypted PKCS#8 private key of a PEM file (RSA, EC or EdDSA). */
  static PrivateKey privateKey(String file, byte[] pem) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    Matcher matcher = PRIVATE_KEY.matcher(text);
    if (!matcher.find()) {
      Matcher other = ANY_BEGIN.matcher(text);
      String found = other.find() ? "a '" + other.group(1) + "' block" : "no PEM block";
      throw new IllegalArgumentException(file + " holds " + found + "; the key must be unencrypted PKCS#8"
          + " (-----BEGIN PRIVATE KEY-----), e.g. from: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException tryNext) {
        // the key's algorithm is in the DER; try the next factory
      }
    }
    throw new IllegalArgumentException(file + " holds a PKCS#8 key that is neither RSA, EC nor EdDSA");
  }

  /**
   * Fails unless {@code key} belongs to {@code certificate}: checked by signing, so a key file swapped
   * in before (or after) its certificate is not served with the wrong one.
   */
  static void checkPair(String certFile, X509Certificate certificate, String keyFile, PrivateKey key) {
    PublicKey publicKey = certificate.getPublicKey();
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException mismatch) {
      // a key of another algorithm than the certificate's: reported below
    }
    throw new IllegalArgumentException("the private key in " + keyFile + " does not belong to the certificate in "
        + certFile + " (" + certificate.getSubjectX500Principal().getName() + ")");
  }
}
