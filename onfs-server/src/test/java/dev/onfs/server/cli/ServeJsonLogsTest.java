package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onfs.client.OnfsClient;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.server.OnfsCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve --set log-format=json}: every line on standard error is a JSON object, each gRPC call
 * gives an access-log line with its caller, entity, groups, status and latency, and no token sent by
 * any caller (right, wrong or unknown) appears in any line.
 */
class ServeJsonLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READER_TOKEN = "reader-tok-5e1f0c7a";
  private static final String WRONG_TOKEN = "wrong-tok-93d2b8e4";
  private static final String PASTED_TOKEN = "pasted-tok-0b6a7c21";

  @TempDir Path dir;

  @Test
  void accessLogLinesAreJsonWithoutSecrets() throws Exception {
    String registry;
    try (InputStream demo = OnfsCommand.class.getResourceAsStream("/dev/onfs/server/demo/demo-registry.yaml")) {
      registry = new String(demo.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, registry.replace("    test: test\n", "    test: " + READER_TOKEN + "\n"));

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    CommandLine serve = OnfsCommand.commandLine();
    serve.setOut(new PrintWriter(new StringWriter(), true));
    StringWriter serveErr = new StringWriter();
    serve.setErr(new PrintWriter(serveErr, true));
    ServeCommand command = serve.getSubcommands().get("serve").getCommand();
    try {
      CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(() -> serve.execute("serve",
          "--registry-file", file.toString(), "--grpc-port", "0", "--http-port", "0",
          "--set", "log-format=json", "--set", "access-log-sample-rate=1", "--set", "shutdown-grace=1s"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (command.running == null && !serving.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(command.running).as("server did not start: %s", serveErr).isNotNull();
      String target = "127.0.0.1:" + command.running.grpcPort();
      RetrieveQuery query = new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("user_profile",
          List.of("city"))), List.of("user_id"), List.of(RetrieveQuery.Keys.of("1"), RetrieveQuery.Keys.of("2")));
      try (OnfsClient good = client(target, "test", READER_TOKEN);
          OnfsClient wrong = client(target, "test", WRONG_TOKEN);
          OnfsClient pasted = client(target, PASTED_TOKEN, PASTED_TOKEN)) {
        assertThat(good.retrieveDecoded(query).rows()).hasSize(2);
        assertThat(catchFailure(() -> wrong.retrieveDecoded(query))).isNotNull();
        assertThat(catchFailure(() -> pasted.retrieveDecoded(query))).isNotNull();
      }
      command.stop.countDown();
      assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
    } finally {
      command.stop.countDown();
      System.setErr(stderr);
      dev.onfs.server.logging.Logs.configure(dev.onfs.server.logging.LogFormat.TEXT);
    }

    String output = captured.toString(StandardCharsets.UTF_8);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line)); // fails on any line that is not one JSON object
      }
    }
    assertThat(output).doesNotContain(READER_TOKEN).doesNotContain(WRONG_TOKEN).doesNotContain(PASTED_TOKEN);
    List<JsonNode> access = lines.stream().filter(l -> "access".equals(l.path("type").asText())).toList();
    assertThat(access).as("access lines in %s", output).hasSize(3);
    for (JsonNode line : lines) {
      assertThat(line.path("ts").asText()).isNotEmpty();
      assertThat(line.path("level").asText()).isNotEmpty();
    }

    JsonNode ok = access.get(0);
    assertThat(ok.path("method").asText()).startsWith("retrieve.FeatureService/");
    assertThat(ok.path("caller").asText()).isEqualTo("test");
    assertThat(ok.path("entity").asText()).isEqualTo("user");
    assertThat(ok.path("feature_groups").get(0).asText()).isEqualTo("user_profile");
    assertThat(ok.path("rows").asInt()).isEqualTo(2);
    assertThat(ok.path("status").asText()).isEqualTo("OK");
    assertThat(ok.path("latency_ms").isNumber()).isTrue();
    assertThat(ok.path("sampled").asBoolean()).isTrue();
    assertThat(ok.path("request_id").asText()).isNotEmpty();
    for (JsonNode refused : access.subList(1, 3)) {
      assertThat(refused.path("status").asText()).isEqualTo("UNAUTHENTICATED");
      assertThat(refused.path("caller").isNull()).as("a refused caller id is not logged: %s", refused).isTrue();
      assertThat(refused.path("sampled").asBoolean()).isFalse();
    }
  }

  private static OnfsClient client(String target, String caller, String token) {
    return OnfsClient.builder().target(target).plaintext().credentials(caller, token).build();
  }

  private static Throwable catchFailure(Runnable call) {
    try {
      call.run();
      return null;
    } catch (OnfsException e) {
      return e;
    }
  }
}
