package dev.onfs.server.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for TLS tests, made on the fly: a CA, and server or client certificates it signs
 * (EC P-256), written as the PEM files the server and client read.
 */
public final class TestCertificates {
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  /** A certificate and its key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    /** Writes the certificate as PEM. */
    public Path writeCertificate(Path file) {
      return write(file, pem("CERTIFICATE", encoded(certificate)));
    }

    /** Writes the key as unencrypted PKCS#8 PEM. */
    public Path writeKey(Path file) {
      return write(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    public String subject() {
      return certificate.getSubjectX500Principal().getName();
    }
  }

  /** A certificate authority. */
  public static final class Ca {
    private final Issued self;
    private final KeyPair keys;

    private Ca(Issued self, KeyPair keys) {
      this.self = self;
      this.keys = keys;
    }

    /** Writes the CA certificate as PEM, for trust stores. */
    public Path writeCertificate(Path file) {
      return self.writeCertificate(file);
    }

    /** A server certificate for {@code localhost} and {@code 127.0.0.1}, valid for a day. */
    public Issued server(String commonName) {
      return issue(commonName, KeyPurposeId.id_kp_serverAuth, Instant.now().minus(Duration.ofHours(1)),
          Instant.now().plus(Duration.ofDays(1)));
    }

    /** A server certificate that expired an hour ago. */
    public Issued expiredServer(String commonName) {
      return issue(commonName, KeyPurposeId.id_kp_serverAuth, Instant.now().minus(Duration.ofDays(2)),
          Instant.now().minus(Duration.ofHours(1)));
    }

    /** A client certificate with this subject CN, valid for a day. */
    public Issued client(String commonName) {
      return issue(commonName, KeyPurposeId.id_kp_clientAuth, Instant.now().minus(Duration.ofHours(1)),
          Instant.now().plus(Duration.ofDays(1)));
    }

    /** An SSL context that trusts this CA only. */
    public SSLContext trustingContext() {
      try {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", self.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private Issued issue(String commonName, KeyPurposeId purpose, Instant notBefore, Instant notAfter) {
      KeyPair leaf = keyPair();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(self.certificate(),
          BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
          new X500Name("CN=" + commonName + ",O=onfs tests"), leaf.getPublic());
      try {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Issued(sign(builder, keys.getPrivate()), leaf.getPrivate());
    }
  }

  private TestCertificates() {}

  /** A new CA, valid for a day. */
  public static Ca ca(String commonName) {
    KeyPair keys = keyPair();
    X500Name name = new X500Name("CN=" + commonName + ",O=onfs tests");
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
        BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(Instant.now().minus(Duration.ofDays(3))),
        Date.from(Instant.now().plus(Duration.ofDays(1))), name, keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Ca(new Issued(sign(builder, keys.getPrivate()), keys.getPrivate()), keys);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static Path write(Path file, String text) {
    try {
      // Replaced in one step, as a secret mount does: a reader never sees half a file.
      Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
      Files.writeString(temporary, text, StandardCharsets.US_ASCII);
      return Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
