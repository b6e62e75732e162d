package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.serving.RetrieveQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP port of a demo server: stalled clients, routing, and the health and metrics answers. */
class HttpPortIT {
  private static OnfsServer server;
  private static int port;

  @BeforeAll
  static void start() {
    server = AdminHttp.launchDemo();
    port = server.httpPort();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void oneStalledClientDoesNotHoldUpOthers() throws Exception {
    assertOthersAreServedWhile(1);
  }

  @Test
  void fiftyStalledClientsDoNotHoldUpOthers() throws Exception {
    assertOthersAreServedWhile(50);
  }

  /** Opens {@code stalled} connections that send half a request and then nothing; 20 clients still get answers. */
  private static void assertOthersAreServedWhile(int stalled) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(20);
    try {
      for (int i = 0; i < stalled; i++) {
        sockets.add(stall());
      }
      List<Future<List<Integer>>> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answers.add(clients.submit(() -> {
          HttpResponse<String> live = AdminHttp.get(port, "/health/live");
          HttpResponse<String> metrics = AdminHttp.get(port, "/metrics");
          assertThat(metrics.body()).contains("jvm_memory_used_bytes");
          return List.of(live.statusCode(), metrics.statusCode());
        }));
      }
      for (Future<List<Integer>> answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS)).containsExactly(200, 200);
      }
    } finally {
      clients.shutdownNow();
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  private static Socket stall() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    OutputStream out = socket.getOutputStream();
    out.write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  @Test
  void aStalledClientIsDisconnectedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = stall()) {
      socket.setSoTimeout(60_000); // the port's idle timeout is 10 s; this only bounds a broken server
      InputStream in = socket.getInputStream();
      try {
        // The port answers the half request with an error status and closes, or just closes.
        byte[] rest = in.readAllBytes();
        String answer = new String(rest, StandardCharsets.US_ASCII);
        assertThat(answer.isEmpty() || answer.startsWith("HTTP/1.1 4")).as(answer).isTrue();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server kept a stalled connection open for a minute", e);
      }
    }
  }

  @Test
  void oversizedHeadersAreRefused() {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      String request = "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(status).isEqualTo("HTTP/1.1 431");
    } catch (IOException e) {
      // Refusing may also reset the connection before the status is read.
      assertThat(e).isInstanceOf(java.net.SocketException.class);
    }
  }

  @Test
  void healthAnswersLivenessAndReadiness() {
    HttpResponse<String> live = AdminHttp.get(port, "/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(live.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(live.headers().firstValue("cache-control")).hasValue("no-store");

    HttpResponse<String> self = AdminHttp.get(port, "/health/self");
    assertThat(self.statusCode()).isEqualTo(200);
    assertThat(self.body()).isEqualTo("{\"message\":\"true\"}");

    for (String path : List.of("/health/ready", "/health")) {
      HttpResponse<String> ready = AdminHttp.get(port, path);
      assertThat(ready.statusCode()).as(path).isEqualTo(200);
      assertThat(ready.body()).as(path).startsWith("{\"status\":\"SERVING\",\"checks\":[")
          .contains("{\"name\":\"server\",\"state\":\"UP\",\"detail\":\"accepting calls\"}")
          .contains("{\"name\":\"registry\",\"state\":\"UP\",\"detail\":\"1 entity, revision ")
          .contains("{\"name\":\"store:memory\",\"state\":\"UP\",\"detail\":\"answered in ")
          .endsWith("\"quarantined\":[]}");
    }
  }

  @Test
  void onlyGetAndHeadOnKnownPaths() {
    HttpResponse<String> head = AdminHttp.send(port, "HEAD", "/metrics");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(Long.parseLong(head.headers().firstValue("content-length").orElseThrow())).isPositive();

    for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
      HttpResponse<String> refused = AdminHttp.send(port, method, "/health/live");
      assertThat(refused.statusCode()).as(method).isEqualTo(405);
      assertThat(refused.headers().firstValue("allow")).as(method).hasValue("GET, HEAD");
    }
    assertThat(AdminHttp.get(port, "/nothing").statusCode()).isEqualTo(404);
    assertThat(AdminHttp.get(port, "/health/").statusCode()).isEqualTo(404);
    assertThat(AdminHttp.send(port, "POST", "/nothing").statusCode()).isEqualTo(404);
    assertThat(AdminHttp.get(port, "/health/live").headers().firstValue("server")).isEmpty();
  }

  @Test
  void everyMeterHasHelpText() {
    try (OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
        .credentials("test", "test").build()) {
      client.retrieve(new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr"))),
          List.of("user_id"), List.of(RetrieveQuery.Keys.of("1"))));
    }
    String scrape = AdminHttp.get(port, "/metrics").body();
    Map<String, String> help = new HashMap<>();
    Matcher helpLine = Pattern.compile("(?m)^# HELP (\\S+) ?(.*)$").matcher(scrape);
    while (helpLine.find()) {
      help.put(helpLine.group(1), helpLine.group(2).trim());
    }
    List<String> types = new ArrayList<>();
    Matcher typeLine = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(scrape);
    while (typeLine.find()) {
      types.add(typeLine.group(1));
    }
    // The process's own meters, and the serving meters the demo's sample writes and one retrieve created.
    assertThat(types).contains("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
        "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds", "system_cpu_count",
        "onfs_persist_seconds", "onfs_near_cache_hit_ratio", "onfs_store_write_seconds", "onfs_rpc_seconds",
        "onfs_rpc_keys", "onfs_rpc_feature_group_seconds", "onfs_retrieve_seconds", "onfs_retrieve_values_total",
        "onfs_store_read_seconds");
    for (String type : types) {
      assertThat(help.get(type)).as("HELP of %s", type).isNotBlank();
    }
  }
}
