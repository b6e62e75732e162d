package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.controlplane.ControlPlane;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import dev.onfs.testing.EtcdServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The control plane hosted by {@code serve} reaches etcd with the same {@code etcd-*} user and
 * password as the registry: against an etcd with authentication on, its users can sign in.
 */
class ControlPlaneEtcdAccessIT {
  private static final String DEMO = Path.of("..", "examples", "registry", "demo-registry.yaml").toString();
  private static final String ROOT_PASSWORD = "r00t-pw";
  private static final String PASSWORD = "a-long-password-1";
  private static final String SECRET = "0123456789abcdef0123456789abcdef-session";

  @Test
  void theHostedControlPlaneUsesTheEtcdCredentials() throws Exception {
    try (EtcdServer etcd = EtcdServer.start(EtcdServer.Options.builder().rootPassword(ROOT_PASSWORD).build())) {
      String app = "cpauth" + ProcessHandle.current().pid();
      try (ControlPlane setup = ControlPlane.builder()
          .etcd(EtcdRegistryConfig.builder(etcd.endpoint()).appName(app).credentials("root", ROOT_PASSWORD).build())
          .sessionSecret(SECRET.getBytes(StandardCharsets.UTF_8)).build()) {
        setup.bootstrapAdmin("ada", PASSWORD.toCharArray());
      }
      ServerConfig config = ServerConfig.fromMap(Map.of("grpc-port", "0", "http-port", "0", "registry-file", DEMO,
          "control-plane", "true", "control-plane-store", "etcd", "control-plane-session-secret", SECRET,
          "etcd-endpoints", etcd.endpoint(), "app-name", app, "etcd-user", "root", "etcd-password", ROOT_PASSWORD));
      try (OnfsServer server = ServerLauncher.launch(config, new PrintWriter(new StringWriter()))) {
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/api/login"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ada\",\"password\":\"" + PASSWORD + "\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(login.body()).contains("token");
      }
    }
  }
}
