package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.server.OnfsCommand;
import dev.onfs.server.OnfsServer;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.ServerLauncher;
import dev.onfs.server.tls.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onfs get} against a server with mutual TLS: --tls, --ca-file, --cert-file and --key-file. */
class TlsCliTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = OnfsCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void getReadsOverMutualTlsWithATokenOrWithTheCertificateAlone() {
    TestCertificates.Ca ca = TestCertificates.ca("cli ca");
    TestCertificates.Issued serverCert = ca.server("onfs");
    TestCertificates.Issued reader = ca.client("test");
    String caFile = ca.writeCertificate(dir.resolve("ca.pem")).toString();
    String certFile = reader.writeCertificate(dir.resolve("reader.pem")).toString();
    String keyFile = reader.writeKey(dir.resolve("reader-key.pem")).toString();
    ServerConfig config = ServerConfig.fromMap(Map.of("bind-address", "127.0.0.1", "grpc-port", "0", "http-port", "0",
        "shutdown-grace", "1s", "demo", "true",
        "tls-cert-file", serverCert.writeCertificate(dir.resolve("server.pem")).toString(),
        "tls-key-file", serverCert.writeKey(dir.resolve("server-key.pem")).toString(),
        "tls-client-ca-file", caFile,
        "tls-client-cert-identity", "true"));
    StringWriter banner = new StringWriter();
    try (OnfsServer server = ServerLauncher.launch(config, new PrintWriter(banner))) {
      assertThat(banner.toString()).contains("TLS on gRPC and HTTP, client certificates required");
      String target = "localhost:" + server.grpcPort();

      Run byCertificate = run("get", "-t", target, "--ca-file", caFile, "--cert-file", certFile, "--key-file", keyFile,
          "-e", "user", "-k", "1", "-f", "user_profile:city");
      assertThat(byCertificate.exit()).as(byCertificate.err()).isZero();
      assertThat(byCertificate.out()).contains("Bengaluru");

      Run withToken = run("get", "-t", target, "--tls", "--ca-file", caFile, "--cert-file", certFile,
          "--key-file", keyFile, "--caller-id", "test", "--token", "wrong", "-e", "user", "-k", "1",
          "-f", "user_profile:city");
      assertThat(withToken.exit()).isEqualTo(1);
      assertThat(withToken.err()).contains("UNAUTHENTICATED");

      Run noCertificate = run("get", "-t", target, "--ca-file", caFile, "-e", "user", "-k", "1",
          "-f", "user_profile:city");
      assertThat(noCertificate.exit()).isEqualTo(1);
      assertThat(noCertificate.err()).contains("the server requires a client certificate");

      Run plaintext = run("get", "-t", target, "-e", "user", "-k", "1", "-f", "user_profile:city");
      assertThat(plaintext.exit()).isEqualTo(1);
      assertThat(plaintext.err()).contains("connect with TLS");
    }
  }

  @Test
  void aCertificateWithoutItsKeyIsAUsageError() {
    Run run = run("get", "--cert-file", dir.resolve("c.pem").toString(), "-e", "user", "-k", "1",
        "-f", "user_profile:city");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--cert-file needs --key-file");

    Run missing = run("get", "--ca-file", dir.resolve("absent.pem").toString(), "-e", "user", "-k", "1",
        "-f", "user_profile:city");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("absent.pem does not exist or is not readable");
  }
}
