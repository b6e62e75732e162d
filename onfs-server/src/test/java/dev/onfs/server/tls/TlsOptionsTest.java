package dev.onfs.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tls-* options: defaults, what they imply, and the errors for settings and files that cannot work. */
class TlsOptionsTest {
  @TempDir Path dir;

  private static TlsConfig parse(String... pairs) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      options.put(pairs[i], pairs[i + 1]);
    }
    return ServerConfig.fromMap(options).tls();
  }

  private static void assertInvalid(String message, String... pairs) {
    assertThatThrownBy(() -> parse(pairs))
        .isInstanceOf(OnfsException.class)
        .satisfies(e -> assertThat(((OnfsException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }

  @Test
  void offByDefault() {
    TlsConfig tls = ServerConfig.defaults().tls();
    assertThat(tls.enabled()).isFalse();
    assertThat(tls.clientAuth()).isEqualTo(TlsConfig.ClientAuth.NONE);
    assertThat(tls.httpTls()).isTrue();
    assertThat(tls.clientCertIdentity()).isFalse();
    assertThat(tls.reloadPeriod()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aClientCaTurnsOnRequiredClientCertificatesUnlessToldOtherwise() {
    assertThat(parse("tls-cert-file", "c.pem", "tls-key-file", "k.pem").clientAuth())
        .isEqualTo(TlsConfig.ClientAuth.NONE);
    assertThat(parse("tls-cert-file", "c.pem", "tls-key-file", "k.pem", "tls-client-ca-file", "ca.pem").clientAuth())
        .isEqualTo(TlsConfig.ClientAuth.REQUIRE);
    assertThat(parse("tls-cert-file", "c.pem", "tls-key-file", "k.pem", "tls-client-ca-file", "ca.pem",
        "tls-client-auth", "optional").clientAuth()).isEqualTo(TlsConfig.ClientAuth.OPTIONAL);
  }

  @Test
  void settingsThatCannotWorkAreRefusedNamingTheOption() {
    assertInvalid("'tls-cert-file' is set but 'tls-key-file' is not", "tls-cert-file", "c.pem");
    assertInvalid("'tls-key-file' is set but 'tls-cert-file' is not", "tls-key-file", "k.pem");
    assertInvalid("'tls-client-ca-file' needs TLS", "tls-client-ca-file", "ca.pem");
    assertInvalid("'tls-client-auth' is require but 'tls-client-ca-file' is not set",
        "tls-cert-file", "c.pem", "tls-key-file", "k.pem", "tls-client-auth", "require");
    assertInvalid("option 'tls-client-auth' must be one of none, optional, require, got 'always'",
        "tls-cert-file", "c.pem", "tls-key-file", "k.pem", "tls-client-auth", "always");
    assertInvalid("'tls-client-cert-identity' needs client certificates",
        "tls-cert-file", "c.pem", "tls-key-file", "k.pem", "tls-client-cert-identity", "true");
    assertInvalid("option 'http-tls' must be true or false", "http-tls", "maybe");
  }

  @Test
  void filesThatDoNotLoadAreNamedAtStartup() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca("files ca");
    TestCertificates.Issued server = ca.server("onfs");
    TestCertificates.Issued other = ca.server("other");
    Path cert = server.writeCertificate(dir.resolve("server.pem"));
    Path key = server.writeKey(dir.resolve("server-key.pem"));
    Path otherKey = other.writeKey(dir.resolve("other-key.pem"));
    Path rsaStyle = Files.writeString(dir.resolve("pkcs1.pem"),
        "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");

    assertThatThrownBy(() -> load(dir.resolve("absent.pem"), key))
        .isInstanceOf(OnfsException.class).hasMessageContaining("cannot read tls-cert-file").hasMessageContaining("absent.pem");
    assertThatThrownBy(() -> load(key, key))
        .isInstanceOf(OnfsException.class).hasMessageContaining("server-key.pem holds no PEM certificate");
    assertThatThrownBy(() -> load(cert, rsaStyle))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("pkcs1.pem holds a 'EC PRIVATE KEY' block; the key must be unencrypted PKCS#8");
    assertThatThrownBy(() -> load(cert, otherKey))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("the private key in " + otherKey + " does not belong to the certificate in " + cert);
    load(cert, key).close();
  }

  private static TlsKeyMaterial load(Path cert, Path key) {
    return TlsKeyMaterial.load(new TlsConfig(cert, key, null, TlsConfig.ClientAuth.NONE, true, false,
        Duration.ofSeconds(5)));
  }
}
