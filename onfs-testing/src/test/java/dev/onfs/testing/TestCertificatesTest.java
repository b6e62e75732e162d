package dev.onfs.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {
  @TempDir Path dir;

  @Test
  void writesPemFilesAndKeyStores() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);

    X509Certificate server = readCertificate(certs.server().certificateFile());
    assertThat(server).isEqualTo(certs.server().certificate());
    server.verify(certs.ca().certificate().getPublicKey());
    assertThat(server.getSubjectAlternativeNames())
        .extracting(name -> (Object) name.get(1))
        .contains((Object) "localhost", (Object) "127.0.0.1");
    assertThat(Files.readString(certs.server().keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");

    KeyStore pkcs12 = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certs.server().pkcs12File())) {
      pkcs12.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
    }
    assertThat(pkcs12.getCertificate("server")).isEqualTo(server);
    KeyStore jks = KeyStore.getInstance("JKS");
    try (InputStream in = Files.newInputStream(certs.caTrustStoreJks())) {
      jks.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
    }
    assertThat(jks.getCertificate("ca")).isEqualTo(certs.ca().certificate());
  }

  @Test
  void expiredAndOtherCaCertificatesAreWhatTheySay() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    assertThatThrownBy(() -> certs.expiredServer().certificate().checkValidity())
        .isInstanceOf(CertificateExpiredException.class);
    certs.server().certificate().checkValidity();
    certs.otherCaServer().certificate().verify(certs.otherCa().certificate().getPublicKey());
    assertThatThrownBy(() -> certs.otherCaServer().certificate().verify(certs.ca().certificate().getPublicKey()))
        .isInstanceOf(java.security.SignatureException.class);
  }

  @Test
  void handshakeSucceedsWithTheCaAndFailsWithTheOtherCa() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    SSLContext serverContext = certs.sslContext(certs.ca(), certs.server());
    assertThat(handshake(serverContext, certs.sslContext(certs.ca(), null))).isEqualTo("pong");
    assertThatThrownBy(() -> handshake(serverContext, certs.sslContext(certs.otherCa(), null)))
        .isInstanceOf(SSLHandshakeException.class);
  }

  private static String handshake(SSLContext serverContext, SSLContext clientContext) throws Exception {
    try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.setSoTimeout(5000);
          socket.getInputStream().read();
          OutputStream out = socket.getOutputStream();
          out.write("pong".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          out.flush();
        } catch (Exception ignored) {
          // the client's failure is what the test checks
        }
      });
      String reply;
      try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
          .createSocket("127.0.0.1", listener.getLocalPort())) {
        socket.setSoTimeout(5000);
        var parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.getOutputStream().write('p');
        socket.getOutputStream().flush();
        reply = new String(socket.getInputStream().readNBytes(4), java.nio.charset.StandardCharsets.US_ASCII);
      }
      served.get(5, TimeUnit.SECONDS);
      return reply;
    }
  }

  private static X509Certificate readCertificate(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      List<? extends java.security.cert.Certificate> all =
          List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      return (X509Certificate) all.get(0);
    }
  }
}
