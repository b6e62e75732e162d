package dev.onfs.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.client.OnfsClient;
import dev.onfs.client.OnfsClientBuilder;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.grpc.OnfsHeaders;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.retrieve.FeatureServiceGrpc;
import dev.onfs.server.OnfsServer;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.ServerLauncher;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS on a demo server's gRPC and HTTP ports, through the OnFS client and the JDK's
 * HTTP client, with certificates made for each run.
 */
class TransportSecurityTest {
  private static final RetrieveQuery QUERY = new RetrieveQuery("user",
      List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr"))), List.of("user_id"),
      List.of(RetrieveQuery.Keys.of("1")));

  private static TestCertificates.Ca ca;
  private static TestCertificates.Ca otherCa;

  @TempDir Path dir;

  @BeforeAll
  static void makeCas() {
    ca = TestCertificates.ca("onfs test ca");
    otherCa = TestCertificates.ca("someone else's ca");
  }

  private Path caFile() {
    return ca.writeCertificate(dir.resolve("ca.pem"));
  }

  /** Options for TLS with a server certificate from {@link #ca}, in {@link #dir}. */
  private Map<String, String> tls(TestCertificates.Issued server) {
    return Map.of(
        "tls-cert-file", server.writeCertificate(dir.resolve("server.pem")).toString(),
        "tls-key-file", server.writeKey(dir.resolve("server-key.pem")).toString());
  }

  private Map<String, String> mutualTls(String... more) {
    Map<String, String> options = new HashMap<>(tls(ca.server("onfs")));
    options.put("tls-client-ca-file", caFile().toString());
    for (int i = 0; i < more.length; i += 2) {
      options.put(more[i], more[i + 1]);
    }
    return options;
  }

  private static OnfsServer launch(Map<String, String> tlsOptions) {
    Map<String, String> options = new HashMap<>(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
        "http-port", "0", "shutdown-grace", "1s", "demo", "true", "tls-reload-period", "100ms"));
    options.putAll(tlsOptions);
    return ServerLauncher.launch(ServerConfig.fromMap(options), new PrintWriter(new StringWriter()));
  }

  private static OnfsClientBuilder client(OnfsServer server) {
    return OnfsClient.builder().target("localhost:" + server.grpcPort()).maxRetries(0)
        .deadline(Duration.ofSeconds(10));
  }

  private static DecodedResult retrieve(OnfsClientBuilder builder) {
    try (OnfsClient client = builder.build()) {
      return client.retrieveDecoded(QUERY);
    }
  }

  @Test
  void aRetrieveOverTlsSucceedsWithTheServersCa() {
    try (OnfsServer server = launch(tls(ca.server("onfs")))) {
      DecodedResult result = retrieve(client(server).trustedCa(caFile()).credentials("test", "test"));
      assertThat(result.rows()).hasSize(1);
      assertThat(result.rows().get(0).columns()).hasSize(1).doesNotContainNull();
    }
  }

  @Test
  void aClientTrustingAnotherCaIsRefusedSayingTheCertificateIsNotTrusted() {
    try (OnfsServer server = launch(tls(ca.server("onfs")))) {
      Path untrusted = otherCa.writeCertificate(dir.resolve("other-ca.pem"));
      assertThatThrownBy(() -> retrieve(client(server).trustedCa(untrusted).credentials("test", "test")))
          .isInstanceOf(OnfsException.class)
          .hasMessageContaining("UNAVAILABLE")
          .hasMessageContaining("the server's TLS certificate is not signed by a trusted CA");
    }
  }

  @Test
  void anExpiredServerCertificateIsRefusedSayingItExpired() {
    try (OnfsServer server = launch(tls(ca.expiredServer("onfs")))) {
      assertThatThrownBy(() -> retrieve(client(server).trustedCa(caFile()).credentials("test", "test")))
          .isInstanceOf(OnfsException.class)
          .hasMessageContaining("UNAVAILABLE")
          .hasMessageContaining("the server's TLS certificate has expired");
    }
  }

  @Test
  void aPlaintextClientGetsNoAnswerFromTheTlsPort() {
    try (OnfsServer server = launch(tls(ca.server("onfs")))) {
      assertThatThrownBy(() -> retrieve(client(server).plaintext().credentials("test", "test")))
          .isInstanceOf(OnfsException.class)
          .hasMessageContaining("UNAVAILABLE")
          .hasMessageContaining("if it uses TLS, connect with TLS");
    }
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificate() {
    try (OnfsServer server = launch(mutualTls())) {
      assertThatThrownBy(() -> retrieve(client(server).trustedCa(caFile()).credentials("test", "test")))
          .isInstanceOf(OnfsException.class)
          .hasMessageContaining("UNAVAILABLE")
          .hasMessageContaining("the server requires a client certificate (mutual TLS)");
      // The same client with a certificate of the CA is let through, and its token still counts.
      TestCertificates.Issued reader = ca.client("any-name");
      DecodedResult result = retrieve(client(server).trustedCa(caFile()).credentials("test", "test")
          .clientCertificate(reader.writeCertificate(dir.resolve("c.pem")), reader.writeKey(dir.resolve("c-key.pem"))));
      assertThat(result.rows()).hasSize(1);
    }
  }

  @Test
  void mutualTlsRefusesAClientCertificateOfAnotherCa() {
    try (OnfsServer server = launch(mutualTls())) {
      TestCertificates.Issued stranger = otherCa.client("test");
      assertThatThrownBy(() -> retrieve(client(server).trustedCa(caFile()).credentials("test", "test")
          .clientCertificate(stranger.writeCertificate(dir.resolve("c.pem")),
              stranger.writeKey(dir.resolve("c-key.pem")))))
          .isInstanceOf(OnfsException.class)
          .hasMessageContaining("UNAVAILABLE")
          .hasMessageContaining("the server requires a client certificate (mutual TLS) signed by its client CA");
    }
  }

  @Test
  void aReaderIsAuthenticatedByItsCertificateAlone() {
    try (OnfsServer server = launch(mutualTls("tls-client-cert-identity", "true"))) {
      TestCertificates.Issued reader = ca.client("test");
      Path cert = reader.writeCertificate(dir.resolve("reader.pem"));
      Path key = reader.writeKey(dir.resolve("reader-key.pem"));
      assertThat(retrieve(client(server).trustedCa(caFile()).clientCertificate(cert, key)).rows()).hasSize(1);

      TestCertificates.Issued stranger = ca.client("stranger");
      assertThatThrownBy(() -> retrieve(client(server).trustedCa(caFile())
          .clientCertificate(stranger.writeCertificate(dir.resolve("s.pem")), stranger.writeKey(dir.resolve("s-key.pem")))))
          .isInstanceOf(OnfsException.class)
          .satisfies(e -> assertThat(((OnfsException) e).code()).isEqualTo(ErrorCode.UNAUTHENTICATED))
          .hasMessageContaining("client certificate subject CN 'stranger' is not a registered caller");
    }
  }

  @Test
  void aCallerIdHeaderMustNameTheCertificatesCaller() throws Exception {
    try (OnfsServer server = launch(mutualTls("tls-client-cert-identity", "true"))) {
      TestCertificates.Issued reader = ca.client("test");
      ManagedChannel channel = Grpc.newChannelBuilder("localhost:" + server.grpcPort(),
          TlsChannelCredentials.newBuilder()
              .trustManager(caFile().toFile())
              .keyManager(reader.writeCertificate(dir.resolve("r.pem")).toFile(),
                  reader.writeKey(dir.resolve("r-key.pem")).toFile())
              .build()).build();
      try {
        Metadata claimsAnother = new Metadata();
        claimsAnother.put(OnfsHeaders.CALLER_ID_KEY, "admin");
        var stub = FeatureServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(claimsAnother));
        assertThatThrownBy(() -> stub.retrieveFeatures(ProtoMapping.toProto(QUERY)))
            .isInstanceOf(StatusRuntimeException.class)
            .hasMessage("UNAUTHENTICATED: online-feature-store-caller-id 'admin' is not the client certificate's"
                + " subject CN 'test'");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void withoutCertificateIdentityACertificateAloneIsNotACredential() {
    try (OnfsServer server = launch(mutualTls())) {
      TestCertificates.Issued reader = ca.client("test");
      assertThatThrownBy(() -> retrieve(client(server).trustedCa(caFile())
          .clientCertificate(reader.writeCertificate(dir.resolve("r.pem")), reader.writeKey(dir.resolve("r-key.pem")))))
          .isInstanceOf(OnfsException.class)
          .hasMessageContaining("INVALID_ARGUMENT: mandatory metadata are missing");
    }
  }

  @Test
  void httpsHealthAnswersAClientTrustingTheCa() throws Exception {
    try (OnfsServer server = launch(tls(ca.server("onfs")))) {
      HttpResponse<String> live = https(ca.trustingContext(), server.httpPort(), "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).contains("UP");
      assertThatThrownBy(() -> https(otherCa.trustingContext(), server.httpPort(), "/health/live"))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void httpTlsFalseKeepsTheHttpPortPlain() throws Exception {
    Map<String, String> options = new HashMap<>(tls(ca.server("onfs")));
    options.put("http-tls", "false");
    try (OnfsServer server = launch(options)) {
      HttpResponse<String> live = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void replacedCertificateFilesServeNewConnectionsWithoutARestart() throws Exception {
    try (OnfsServer server = launch(tls(ca.server("first")))) {
      assertThat(peerSubject(server.grpcPort())).contains("CN=first");
      assertThat(peerSubject(server.httpPort())).contains("CN=first");

      TestCertificates.Issued second = ca.server("second");
      second.writeKey(dir.resolve("server-key.pem"));
      second.writeCertificate(dir.resolve("server.pem"));

      Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
      while (!peerSubject(server.grpcPort()).contains("CN=second") && Instant.now().isBefore(giveUp)) {
        Thread.sleep(50);
      }
      assertThat(peerSubject(server.grpcPort())).contains("CN=second");
      assertThat(peerSubject(server.httpPort())).contains("CN=second");
      assertThat(retrieve(client(server).trustedCa(caFile()).credentials("test", "test")).rows()).hasSize(1);
    }
  }

  /** The subject of the certificate a new TLS connection to the port is shown. */
  private static String peerSubject(int port) throws IOException {
    SSLContext context = ca.trustingContext();
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      parameters.setServerNames(List.of(new SNIHostName("localhost")));
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }

  private static HttpResponse<String> https(SSLContext context, int port, String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
