package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onfs.server.OnfsCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve --demo} hosts the control plane: an editor submits a new feature over HTTP, the admin
 * approves it, and the running server serves it after a persist, without a restart (the directory
 * store publishes the registry file the demo's file registry reloads).
 */
class DemoControlPlaneTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CREDENTIALS =
      Pattern.compile("user 'admin' password (\\S+), user 'editor' password (\\S+)");

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = OnfsCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    assertThat(exit).as("exit code of onfs %s; stderr: %s", String.join(" ", args), err).isZero();
    return out.toString();
  }

  private HttpResponse<String> post(String url, String session, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Cookie", "onfs_session=" + session);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String login(String api, String user, String password) throws Exception {
    HttpResponse<String> r = post(api + "login", null, "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  @Test
  void anEditorsApprovedFeatureIsServedWithoutARestart() throws Exception {
    int grpcPort = freePort();
    int httpPort = freePort();
    CommandLine serve = OnfsCommand.commandLine();
    StringWriter banner = new StringWriter();
    serve.setOut(new PrintWriter(banner, true));
    StringWriter serveErr = new StringWriter();
    serve.setErr(new PrintWriter(serveErr, true));
    CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(() -> serve.execute(
        "serve", "--demo", "--grpc-port", Integer.toString(grpcPort), "--http-port", Integer.toString(httpPort),
        "--set", "bind-address=127.0.0.1", "--set", "shutdown-grace=1s"));
    ServeCommand command = serve.getSubcommands().get("serve").getCommand();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (command.running == null && !serving.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(command.running).as("server did not start: %s %s", banner, serveErr).isNotNull();
    try {
      String api = "http://127.0.0.1:" + httpPort + "/api/";
      assertThat(banner.toString()).contains("control plane API on http://127.0.0.1:" + httpPort + "/api/");
      Matcher credentials = CREDENTIALS.matcher(banner.toString());
      assertThat(credentials.find()).as(banner.toString()).isTrue();
      String admin = login(api, "admin", credentials.group(1));
      String editor = login(api, "editor", credentials.group(2));

      // A breaking edit is refused, naming the change.
      HttpResponse<String> breaking = post(api + "requests", editor, "{\"kind\":\"edit-feature-group\",\"payload\":"
          + "{\"entity\":\"user\",\"feature-group\":\"user_stats\",\"data-type\":\"FP64\"}}");
      assertThat(breaking.statusCode()).isEqualTo(422);
      assertThat(breaking.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
      assertThat(breaking.body()).contains("FP32 -> FP64");

      HttpResponse<String> submitted = post(api + "requests", editor, "{\"kind\":\"add-features\",\"payload\":"
          + "{\"entity\":\"user\",\"feature-group\":\"user_stats\",\"features\":[{\"label\":\"clicks\","
          + "\"default-value\":\"0\"}]}}");
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
      long id = JSON.readTree(submitted.body()).path("id").asLong();
      // Four eyes in the demo too: the editor may not approve, the admin may.
      assertThat(post(api + "requests/" + id + "/approve", editor, "{}").statusCode()).isEqualTo(403);
      HttpResponse<String> approved = post(api + "requests/" + id + "/approve", admin, "{}");
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
      JsonNode result = JSON.readTree(approved.body());
      assertThat(result.path("request").path("status").asText()).isEqualTo("APPROVED");

      String target = "127.0.0.1:" + grpcPort;
      Path json = dir.resolve("put.json");
      Files.writeString(json, "{\"entityLabel\":\"user\",\"keysSchema\":[\"user_id\"],"
          + "\"featureGroupSchema\":[{\"label\":\"user_stats\",\"featureLabels\":[\"ctr\",\"orders_30d\",\"aov\",\"clicks\"]}],"
          + "\"data\":[{\"keyValues\":[\"77\"],\"featureValues\":[{\"values\":{\"fp32Values\":[0.5,3,12.5,42]}}]}]}");
      // The file registry polls every second: wait until the new version is served.
      String got = "";
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < until) {
        StringWriter out = new StringWriter();
        int putExit = OnfsCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
            .execute("put", "-t", target, "--file", json.toString());
        if (putExit == 0) {
          got = run("get", "-t", target, "-e", "user", "-k", "77", "-f", "user_stats:clicks", "-o", "json");
          break;
        }
        Thread.sleep(200);
      }
      assertThat(got).contains("42");
    } finally {
      command.stop.countDown();
      assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
    }
  }
}
