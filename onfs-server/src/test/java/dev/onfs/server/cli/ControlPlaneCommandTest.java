package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.server.OnfsCommand;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code onfs control-plane}: the API alone on a directory store, with the first admin bootstrapped. */
class ControlPlaneCommandTest {
  private static final String SECRET = "control-plane-session-secret=0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void runsTheApiAloneAndBootstrapsTheFirstAdmin() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.copy(Path.of("..", "examples", "registry", "demo-registry.yaml"), registry);
    CommandLine cli = OnfsCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream("s3cure-first-pass\n".getBytes(StandardCharsets.UTF_8)));
    CompletableFuture<Integer> running;
    ControlPlaneCommand command;
    try {
      running = CompletableFuture.supplyAsync(() -> cli.execute("control-plane", "--http-port", "0",
          "--bootstrap-admin", "root", "--set", SECRET, "--set", "control-plane-dir=" + dir.resolve("state"),
          "--set", "registry-file=" + registry, "--set", "bind-address=127.0.0.1"));
      command = cli.getSubcommands().get("control-plane").getCommand();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (command.running == null && !running.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      System.setIn(saved);
    }
    assertThat(command.running).as("did not start: %s %s", out, err).isNotNull();
    try {
      assertThat(out.toString()).contains("first admin 'root' created").contains("control plane API on http://");
      String api = "http://127.0.0.1:" + command.running.port() + "/api/";
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(api + "login"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"root\",\"password\":\"s3cure-first-pass\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
      HttpResponse<String> entities = http.send(HttpRequest.newBuilder(URI.create(api + "catalog/entities"))
          .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(entities.body()).contains("\"label\":\"user\"");
    } finally {
      command.stop.countDown();
      assertThat(running.get(30, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void refusesToStartWithoutASessionSecret() {
    StringWriter err = new StringWriter();
    int exit = OnfsCommand.commandLine().setErr(new PrintWriter(err)).execute("control-plane",
        "--set", "control-plane-dir=" + dir.resolve("state"), "--set", "registry-file=" + dir.resolve("r.yaml"));
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("control-plane-session-secret");
  }
}
