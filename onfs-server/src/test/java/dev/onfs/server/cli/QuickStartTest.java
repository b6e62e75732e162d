package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.server.OnfsCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README quick start: {@code onfs serve --demo}, then {@code onfs get} and {@code onfs put}. */
class QuickStartTest {
  @TempDir Path dir;

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

  @Test
  void serveDemoThenGetAndPutThroughTheCli() throws Exception {
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
    assertThat(serving).as("serve exited early: %s %s", banner, serveErr).isNotDone();
    assertThat(command.running).as("server did not start").isNotNull();
    try {
      assertThat(banner.toString()).contains("onfs serving gRPC").contains("sample rows").contains("onfs.jar get");
      String target = "127.0.0.1:" + grpcPort;

      String table = run("get", "-t", target, "-e", "user", "-k", "1,2,3",
          "-f", "user_stats:ctr,orders_30d,aov", "-f", "user_profile:city,segment", "-f", "user_flags:is_premium");
      String[] lines = table.strip().split("\n");
      assertThat(lines).hasSize(4);
      assertThat(lines[0].split("\\s+")).containsExactly("user_id", "user_stats.ctr", "user_stats.orders_30d",
          "user_stats.aov", "user_profile.city", "user_profile.segment", "user_flags.is_premium");
      assertThat(lines[1]).startsWith("1 ").contains("Bengaluru");
      assertThat(lines[2]).startsWith("2 ").contains("Mumbai");

      // A key never written reads as the registry defaults: the table shows them as "-", JSON as the values.
      String withMissing = run("get", "-t", target, "-e", "user", "-k", "1,nobody", "-f", "user_stats:ctr,orders_30d");
      lines = withMissing.strip().split("\n");
      assertThat(lines).hasSize(4);
      assertThat(lines[1].split("\\s+")).containsExactly("1", "0.5", "1");
      assertThat(lines[2].split("\\s+")).containsExactly("nobody", "-", "-");
      assertThat(lines[3]).isEqualTo(GetCommand.DEFAULT_LEGEND);
      assertThat(run("get", "-t", target, "-e", "user", "-k", "1", "-f", "user_stats:ctr")).doesNotContain(
          GetCommand.DEFAULT_LEGEND);
      String referenceJson = run("get", "-t", target, "-e", "user", "-k", "nobody", "-f", "user_stats:ctr", "-o", "json");
      assertThat(referenceJson).contains("\"columns\": [\"0\"]").doesNotContain("default_columns").doesNotContain("data_type");
      assertThat(run("get", "-t", target, "-e", "user", "-k", "1,nobody", "-f", "user_stats:ctr,orders_30d", "-o", "json",
          "--mark-defaults").replaceAll("\\s+", ""))
          .contains("{\"keys\":[\"1\"],\"columns\":[\"0.5\",\"1\"],\"default_columns\":[]}")
          .contains("{\"keys\":[\"nobody\"],\"columns\":[\"0\",\"0\"],\"default_columns\":[0,1]}");

      Path json = dir.resolve("put.json");
      Files.writeString(json, "{\"entityLabel\":\"user\",\"keysSchema\":[\"user_id\"],"
          + "\"featureGroupSchema\":[{\"label\":\"user_profile\",\"featureLabels\":[\"city\",\"segment\"]}],"
          + "\"data\":[{\"keyValues\":[\"99\"],\"featureValues\":[{\"values\":{\"stringValues\":[\"Pune\",\"vip\"]}}]}]}");
      assertThat(run("put", "-t", target, "--file", json.toString())).contains("Data Persisted Successfully (1 rows)");
      assertThat(run("get", "-t", target, "-e", "user", "-k", "99", "-f", "user_profile:city,segment", "-o", "json"))
          .contains("\"Pune\"").contains("\"vip\"");
    } finally {
      command.stop.countDown();
      assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void getReportsServerErrorsWithExitCodeOne() throws Exception {
    StringWriter err = new StringWriter();
    int port = freePort();
    int exit = OnfsCommand.commandLine().setErr(new PrintWriter(err)).execute(
        "get", "-t", "127.0.0.1:" + port, "--deadline", "2s", "-e", "user", "-k", "1", "-f", "user_profile:city");
    assertThat(exit).isEqualTo(1);
    // The address tried and why, not gRPC's "UNAVAILABLE: io exception".
    assertThat(err.toString().strip()).startsWith("onfs get: cannot reach onfs at 127.0.0.1:" + port + ": connection refused");
  }

  @Test
  void serveReportsBadOptionsInOneLine() {
    StringWriter err = new StringWriter();
    int exit = OnfsCommand.commandLine().setErr(new PrintWriter(err)).execute("serve", "--set", "grpc-port=http");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("onfs serve: option 'grpc-port' must be an integer, got 'http'");
  }
}
