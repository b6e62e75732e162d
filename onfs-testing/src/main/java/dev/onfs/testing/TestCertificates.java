package dev.onfs.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
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
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.jspecify.annotations.Nullable;

/**
 * A throw-away PKI for TLS tests, written as files into one directory: a CA, a server certificate
 * for {@code localhost}, {@code 127.0.0.1} and {@code ::1} signed by it, a client certificate, an
 * expired server certificate, and a second CA with a server certificate of its own (for "wrong CA"
 * cases).
 *
 * <p>Every {@link Identity} is written as a PEM certificate, a PEM PKCS#8 key, and PKCS12 and JKS
 * key stores (password {@link #STORE_PASSWORD}) for servers that read key stores (Cassandra).
 * Keys are EC P-256: fast to make, and every server here accepts them.
 */
public final class TestCertificates {
  /** The password of every key store and trust store written here. */
  public static final String STORE_PASSWORD = "onfs-test-store";

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate with its key, as files. */
  public record Identity(String name, Path certificateFile, Path keyFile, Path pkcs12File, Path jksFile,
      X509Certificate certificate, PrivateKey privateKey) {
    public Identity {
      requireNonNull(name, "name is null");
      requireNonNull(certificateFile, "certificateFile is null");
      requireNonNull(keyFile, "keyFile is null");
      requireNonNull(pkcs12File, "pkcs12File is null");
      requireNonNull(jksFile, "jksFile is null");
      requireNonNull(certificate, "certificate is null");
      requireNonNull(privateKey, "privateKey is null");
    }
  }

  private final Path dir;
  private final Identity ca;
  private final Identity otherCa;
  private final Identity server;
  private final Identity client;
  private final Identity expiredServer;
  private final Identity otherCaServer;
  private final Path caTrustStorePkcs12;
  private final Path caTrustStoreJks;

  private TestCertificates(Path dir) throws GeneralSecurityException, IOException, OperatorCreationException {
    this.dir = dir;
    Instant now = Instant.now();
    Instant from = now.minus(Duration.ofDays(30));
    Instant until = now.plus(Duration.ofDays(30));
    this.ca = authority("ca", "OnFS Test CA", from, until);
    this.otherCa = authority("other-ca", "OnFS Other Test CA", from, until);
    this.server = leaf("server", "localhost", ca, now.minus(Duration.ofHours(1)), until, true);
    this.client = leaf("client", "onfs-client", ca, now.minus(Duration.ofHours(1)), until, false);
    this.expiredServer = leaf("expired-server", "localhost", ca, now.minus(Duration.ofDays(10)),
        now.minus(Duration.ofDays(1)), true);
    this.otherCaServer = leaf("other-ca-server", "localhost", otherCa, now.minus(Duration.ofHours(1)), until, true);
    this.caTrustStorePkcs12 = dir.resolve("ca-truststore.p12");
    this.caTrustStoreJks = dir.resolve("ca-truststore.jks");
    writeTrustStore(caTrustStorePkcs12, "PKCS12", ca.certificate());
    writeTrustStore(caTrustStoreJks, "JKS", ca.certificate());
  }

  /** Generates a fresh set under {@code target/onfs-servers/certs-<n>} of the calling module. */
  public static TestCertificates create() {
    try {
      Files.createDirectories(ServerFiles.root());
      return create(Files.createTempDirectory(ServerFiles.root(), "certs-"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for test certificates", e);
    }
  }

  /** Generates a fresh set into {@code dir} (created if missing). */
  public static TestCertificates create(Path dir) {
    requireNonNull(dir, "dir is null");
    try {
      Files.createDirectories(dir);
      return new TestCertificates(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write test certificates to " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate test certificates: " + e, e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** The CA that signed {@link #server()}, {@link #client()} and {@link #expiredServer()}. */
  public Identity ca() {
    return ca;
  }

  /** The CA certificate as PEM: what a client or server trusts. */
  public Path caFile() {
    return ca.certificateFile();
  }

  /** The CA certificate in a PKCS12 trust store ({@link #STORE_PASSWORD}). */
  public Path caTrustStorePkcs12() {
    return caTrustStorePkcs12;
  }

  /** The CA certificate in a JKS trust store ({@link #STORE_PASSWORD}). */
  public Path caTrustStoreJks() {
    return caTrustStoreJks;
  }

  /** A CA that signed only {@link #otherCaServer()}: trusting it instead of {@link #ca()} must fail. */
  public Identity otherCa() {
    return otherCa;
  }

  /** Server certificate (server and client auth) for {@code localhost}, {@code 127.0.0.1}, {@code ::1}. */
  public Identity server() {
    return server;
  }

  /** Client certificate {@code CN=onfs-client} (client auth). */
  public Identity client() {
    return client;
  }

  /** Like {@link #server()}, but its validity ended a day ago. */
  public Identity expiredServer() {
    return expiredServer;
  }

  /** Like {@link #server()}, but signed by {@link #otherCa()}. */
  public Identity otherCaServer() {
    return otherCaServer;
  }

  /**
   * A client context that trusts {@code trusted} and presents {@code identity} when the server asks
   * for a certificate (null presents none); for fixtures' readiness probes and tests.
   */
  public SSLContext sslContext(Identity trusted, @Nullable Identity identity) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", trusted.certificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (identity != null) {
        char[] password = STORE_PASSWORD.toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(identity.name(), identity.privateKey(), password, new Certificate[] {identity.certificate()});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context from the test certificates: " + e, e);
    }
  }

  /** A client context that trusts {@link #ca()} and presents {@link #client()}. */
  public SSLContext clientSslContext() {
    return sslContext(ca, client);
  }

  /**
   * For a fixture's readiness probe of its own server only: presents {@link #client()} and accepts
   * any server certificate, so that servers started with {@link #expiredServer()} or
   * {@link #otherCaServer()} on purpose can be seen to answer.
   */
  SSLContext probeSslContext() {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(client.name(), client.privateKey(), STORE_PASSWORD.toCharArray(),
          new Certificate[] {client.certificate()});
      kmf.init(keys, STORE_PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {new AnyServer()}, RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the probe TLS context: " + e, e);
    }
  }

  /** Accepts every server certificate: readiness probes only. */
  private static final class AnyServer extends javax.net.ssl.X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  @Override
  public String toString() {
    return "TestCertificates[" + dir + "]";
  }

  private Identity authority(String name, String commonName, Instant from, Instant until)
      throws GeneralSecurityException, IOException, OperatorCreationException {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + commonName + ",O=OnFS tests");
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(from),
        Date.from(until), subject, keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
    X509Certificate certificate = sign(builder, keys.getPrivate());
    return write(name, certificate, keys.getPrivate(), List.of(certificate));
  }

  private Identity leaf(String name, String commonName, Identity issuer, Instant from, Instant until, boolean isServer)
      throws GeneralSecurityException, IOException, OperatorCreationException {
    KeyPair keys = keyPair();
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    // Server certificates carry clientAuth too: etcd's gateway and Kafka's inter-broker link present them as clients.
    KeyPurposeId[] purposes = isServer
        ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
        : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
    GeneralNames names = isServer
        ? new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.iPAddress, "::1")})
        : new GeneralNames(new GeneralName(GeneralName.dNSName, commonName));
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(), Date.from(from),
        Date.from(until), new X500Name("CN=" + commonName + ",O=OnFS tests"), keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
        .addExtension(Extension.subjectAlternativeName, false, names)
        .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
        .addExtension(Extension.authorityKeyIdentifier, false,
            extensions.createAuthorityKeyIdentifier(issuer.certificate()));
    X509Certificate certificate = sign(builder, issuer.privateKey());
    return write(name, certificate, keys.getPrivate(), List.of(certificate, issuer.certificate()));
  }

  private Identity write(String name, X509Certificate certificate, PrivateKey key, List<X509Certificate> chain)
      throws GeneralSecurityException, IOException {
    Path certificateFile = dir.resolve(name + ".pem");
    Path keyFile = dir.resolve(name + "-key.pem");
    Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
    // PKCS#8, the form every client and server here reads.
    Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
    Path pkcs12 = dir.resolve(name + ".p12");
    Path jks = dir.resolve(name + ".jks");
    writeKeyStore(pkcs12, "PKCS12", name, key, chain);
    writeKeyStore(jks, "JKS", name, key, chain);
    return new Identity(name, certificateFile, keyFile, pkcs12, jks, certificate, key);
  }

  private static void writeKeyStore(Path file, String type, String alias, PrivateKey key, List<X509Certificate> chain)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type);
    store.load(null, null);
    store.setKeyEntry(alias, key, STORE_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, STORE_PASSWORD.toCharArray());
    }
  }

  private static void writeTrustStore(Path file, String type, X509Certificate ca)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type);
    store.load(null, null);
    store.setCertificateEntry("ca", ca);
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, STORE_PASSWORD.toCharArray());
    }
  }

  private static String pem(String type, byte[] der) throws IOException {
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject(type, der));
    }
    return text.toString();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }
}
