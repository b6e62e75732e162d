package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onfs.server.OnfsCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

  private int grpcPort;
  private int httpPort;
  private final StringWriter banner = new StringWriter();
  private ServeCommand command;
  private CompletableFuture<Integer> serving;

  @BeforeEach
  void serveDemo() throws Exception {
    grpcPort = freePort();
    httpPort = freePort();
    CommandLine serve = OnfsCommand.commandLine();
    serve.setOut(new PrintWriter(banner, true));
    StringWriter serveErr = new StringWriter();
    serve.setErr(new PrintWriter(serveErr, true));
    serving = CompletableFuture.supplyAsync(() -> serve.execute(
        "serve", "--demo", "--grpc-port", Integer.toString(grpcPort), "--http-port", Integer.toString(httpPort),
        "--set", "bind-address=127.0.0.1", "--set", "shutdown-grace=1s"));
    command = serve.getSubcommands().get("serve").getCommand();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (command.running == null && !serving.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(command.running).as("server did not start: %s %s", banner, serveErr).isNotNull();
  }

  @AfterEach
  void stop() throws Exception {
    command.stop.countDown();
    assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
  }

  /** Runs {@code onfs cp ...} with {@code stdin} as standard input; returns exit code, stdout and stderr. */
  private String[] cp(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      String[] all = new String[args.length + 3];
      all[0] = "cp";
      all[1] = "--url=http://127.0.0.1:" + httpPort;
      // One session file: the latest login (editor, then admin) is who the following commands run as.
      all[2] = "--session-file=" + dir.resolve("session");
      System.arraycopy(args, 0, all, 3, args.length);
      int exit = OnfsCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
      return new String[] {Integer.toString(exit), out.toString(), err.toString()};
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void theCliLogsInSubmitsListsAndApproves() throws Exception {
    Matcher credentials = CREDENTIALS.matcher(banner.toString());
    assertThat(credentials.find()).as(banner.toString()).isTrue();
    assertThat(cp(credentials.group(2) + "\n", "login", "-u", "editor")[1]).contains("logged in as editor (editor)");
    Path change = dir.resolve("change.yaml");
    Files.writeString(change, "kind: add-features\npayload:\n  entity: user\n  feature-group: user_stats\n"
        + "  features:\n    - label: views\n      default-value: '0'\n");
    String[] plan = cp("", "plan", "-f", change.toString());
    assertThat(plan[1]).as(plan[2]).startsWith("ADDITIVE");
    String[] submitted = cp("", "-o", "json", "submit", "-f", change.toString());
    long id = JSON.readTree(submitted[1]).path("id").asLong();
    assertThat(cp("", "requests")[1]).contains("#" + id + " PENDING").contains("add-features");
    String[] ownApproval = cp("", "approve", Long.toString(id));
    assertThat(ownApproval[0]).isEqualTo("1");
    assertThat(ownApproval[2]).contains("onfs cp: 403");

    assertThat(cp(credentials.group(1) + "\n", "login", "-u", "admin")[1]).contains("(admin)");
    assertThat(cp("", "approve", Long.toString(id))[1]).contains("approved #" + id + " APPROVED");
    String[] missing = cp("", "reject", "999", "--reason", "no");
    assertThat(missing[0]).isEqualTo("1");
    assertThat(missing[2]).contains("404").contains("(field request-id)");
    assertThat(cp("", "users")[1]).contains("editor").contains("admin");
    Files.writeString(change, "kind: add-features\npayload: {entity: user, feature-group: user_stats, features: [{label: 'a|b'}]}\n");
    String[] bad = cp("", "submit", "-f", change.toString());
    assertThat(bad[2]).contains("(field features[0].label)");
  }

  @Test
  void anEditorsApprovedFeatureIsServedWithoutARestart() throws Exception {
    String api = "http://127.0.0.1:" + httpPort + "/api/";
    assertThat(banner.toString()).contains("control plane API on http://127.0.0.1:" + httpPort + "/api/");
    Matcher credentials = CREDENTIALS.matcher(banner.toString());
    assertThat(credentials.find()).as(banner.toString()).isTrue();
    String admin = login(api, "admin", credentials.group(1));
    String editor = login(api, "editor", credentials.group(2));

    // The reference's push-client endpoint, with the job token the demo registry holds in clear.
    String mapping = api + "v1/online-feature-store/get-source-mapping?jobId=user_daily_job&jobToken=";
    assertThat(post(mapping + "jtok", null, "{}").statusCode()).isEqualTo(200);
    assertThat(post(mapping + "jtoX", null, "{}").statusCode()).isEqualTo(401);

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
  }
}
