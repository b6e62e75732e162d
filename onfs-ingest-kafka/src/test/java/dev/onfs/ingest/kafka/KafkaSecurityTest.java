package dev.onfs.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {
  @TempDir Path dir;

  @Test
  void jaasConfigKeepsAnyPasswordIntactThroughKafkasParser() {
    String password = "p\"a\\ss; w=rd\"";
    String jaas = KafkaSecurity.jaasConfig("SCRAM-SHA-512", "us\"er", password);
    java.util.List<AppConfigurationEntry> entries = JaasContext.loadClientContext(
        Map.of(SaslConfigs.SASL_JAAS_CONFIG, new Password(jaas))).configurationEntries();
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
    Map<String, ?> options = entries.get(0).getOptions();
    assertThat(options.get("username")).isEqualTo("us\"er");
    assertThat(options.get("password")).isEqualTo(password);
    assertThat(KafkaSecurity.jaasConfig("PLAIN", "u", "p")).startsWith("org.apache.kafka.common.security.plain.PlainLoginModule");
  }

  @Test
  void tlsAndCredentialsBecomeClientProperties() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    KafkaSecurity security = KafkaSecurity.builder().mechanism("scram-sha-256").credentials("onfs", "s3cret")
        .tls(new ClientTls(certs.caFile(), certs.client().certificateFile(), certs.client().keyFile())).build();
    Map<String, String> properties = security.clientProperties();
    assertThat(properties)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.location", certs.caFile().toString())
        .containsEntry("ssl.keystore.type", "PEM")
        .containsEntry("ssl.keystore.certificate.chain", Files.readString(certs.client().certificateFile()))
        .containsEntry("ssl.keystore.key", Files.readString(certs.client().keyFile()));
    assertThat(security.toString()).doesNotContain("s3cret");
    assertThat(KafkaSecurity.builder().tls(ClientTls.systemTrust()).build().clientProperties())
        .containsExactly(Map.entry("security.protocol", "SSL"));
    assertThat(KafkaSecurity.none().clientProperties()).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
  }

  @Test
  void settingsThatDoNotFitTogetherFailNamingThem() {
    assertThatThrownBy(() -> KafkaSecurity.builder().mechanism("PLAIN").credentials("u", "p").build())
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("SASL credentials without TLS");
    assertThatThrownBy(() -> KafkaSecurity.builder().protocol("SSL").mechanism("PLAIN").credentials("u", "p").build())
        .hasMessageContaining("sasl-username is set but security-protocol is SSL");
    assertThatThrownBy(() -> KafkaSecurity.builder().protocol("SASL_SSL").credentials("u", "p").build())
        .hasMessageContaining("sasl-mechanism is required");
    assertThatThrownBy(() -> KafkaSecurity.builder().protocol("PLAINTEXT").tls(ClientTls.systemTrust()).build())
        .hasMessageContaining("TLS settings are given but security-protocol is PLAINTEXT");
    assertThatThrownBy(() -> KafkaSecurity.builder().protocol("TLS"))
        .hasMessageContaining("security-protocol must be one of");
    assertThatThrownBy(() -> KafkaSecurity.builder().mechanism("GSSAPI"))
        .hasMessageContaining("sasl-mechanism must be one of");
    assertThat(KafkaSecurity.builder().protocol("sasl_plaintext").mechanism("PLAIN").credentials("u", "p").build()
        .protocol()).isEqualTo("SASL_PLAINTEXT");
  }
}
