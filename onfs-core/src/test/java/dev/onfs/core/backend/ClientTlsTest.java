package dev.onfs.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.testing.TestCertificates;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTlsTest {
  @TempDir static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void certificates() {
    certs = TestCertificates.create(dir.resolve("certs"));
  }

  @Test
  void trustsTheCaFileAndPresentsTheClientCertificate() throws Exception {
    ClientTls tls = new ClientTls(certs.caFile(), certs.client().certificateFile(), certs.client().keyFile());
    assertThat(exchange(certs.server(), true, tls.sslContext())).startsWith("hello").contains("CN=onfs-client");
  }

  @Test
  void rejectsAServerSignedByAnotherCa() {
    ClientTls tls = new ClientTls(certs.otherCa().certificateFile(), null, null);
    assertThatThrownBy(() -> exchange(certs.server(), false, tls.sslContext())).isInstanceOf(SSLException.class);
  }

  @Test
  void rejectsAnExpiredServerCertificate() {
    ClientTls tls = new ClientTls(certs.caFile(), null, null);
    assertThatThrownBy(() -> exchange(certs.expiredServer(), false, tls.sslContext()))
        .isInstanceOf(SSLException.class)
        .hasRootCauseInstanceOf(java.security.cert.CertificateExpiredException.class);
  }

  @Test
  void systemTrustDoesNotTrustTheTestCa() {
    assertThatThrownBy(() -> exchange(certs.server(), false, ClientTls.systemTrust().sslContext()))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void keyOfAnotherCertificateIsRejectedNamingBothFiles() {
    ClientTls tls = new ClientTls(certs.caFile(), certs.client().certificateFile(), certs.server().keyFile());
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining(certs.server().keyFile().toString())
        .hasMessageContaining("does not hold the key of the certificate in " + certs.client().certificateFile());
  }

  @Test
  void pkcs1KeysAndNonPemFilesFailWithWhatToDo() throws Exception {
    Path pkcs1 = dir.resolve("rsa.pem");
    Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> new ClientTls(null, certs.client().certificateFile(), pkcs1).sslContext())
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a certificate");
    assertThatThrownBy(() -> new ClientTls(garbage, null, null).sslContext())
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("TLS CA file " + garbage + " is not a PEM file");
    assertThatThrownBy(() -> new ClientTls(dir.resolve("missing.pem"), null, null).sslContext())
        .hasMessageContaining("cannot be read");
    assertThatThrownBy(() -> new ClientTls(certs.client().keyFile(), null, null).sslContext())
        .hasMessageContaining("holds no PEM certificate");
  }

  @Test
  void settingsTurnTlsOnWithAFileOrTheFlag() {
    assertThat(ClientTls.fromSettings("", null, null, null, null)).isNull();
    assertThat(ClientTls.fromSettings("", "false", null, null, null)).isNull();
    assertThat(ClientTls.fromSettings("", "true", null, null, null)).isEqualTo(ClientTls.systemTrust());
    assertThat(ClientTls.fromSettings("", null, "/ca.pem", null, null))
        .isEqualTo(new ClientTls(Path.of("/ca.pem"), null, null));
    assertThatThrownBy(() -> ClientTls.fromSettings("etcd-", "false", "/ca.pem", null, null))
        .isInstanceOf(OnfsException.class)
        .hasMessage("etcd-tls is false but etcd-tls-ca-file is set")
        .satisfies(e -> assertThat(((OnfsException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThatThrownBy(() -> ClientTls.fromSettings("", null, null, "/c.pem", null))
        .hasMessage("tls-cert-file is set without tls-key-file");
    assertThatThrownBy(() -> ClientTls.fromSettings("", "yes", null, null, null))
        .hasMessage("tls must be true or false, got 'yes'");
  }

  /** One TLS exchange with an in-process server presenting {@code identity}; returns its greeting. */
  private static String exchange(TestCertificates.Identity identity, boolean needClientAuth, SSLContext client)
      throws Exception {
    SSLContext server = certs.sslContext(certs.ca(), identity);
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(needClientAuth);
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.setSoTimeout(5000);
          socket.startHandshake();
          String peer = needClientAuth
              ? ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
                  .getSubjectX500Principal().getName()
              : "anonymous";
          OutputStream out = socket.getOutputStream();
          out.write(("hello " + peer).getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (Exception ignored) {
          // the client's view is what the tests check
        }
      });
      String reply;
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
        socket.setSoTimeout(5000);
        var parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      }
      served.get(5, TimeUnit.SECONDS);
      return reply;
    }
  }
}
