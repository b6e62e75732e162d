package dev.onfs.server.hostile;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input on the HTTP admin port (health and metrics), sent over a raw socket: each request
 * must get a 4xx answer or have its connection closed, and afterwards liveness ({@code /health/live},
 * or {@code /health} where that path does not exist) and {@code /metrics} must still answer 200 and
 * the stored data must be unchanged. See docs/testing.md.
 */
class HostileHttpInputIT {
  private static HostileServer server;
  private static HttpClient http;

  @BeforeAll
  static void startServer() throws Exception {
    server = new HostileServer();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** One hostile request, as the bytes that go on the wire. */
  record Case(String name, byte[] request) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedAndThePortKeepsServing(Case c) throws Exception {
    List<String> problems = new ArrayList<>();
    Answer answer = send(server.httpPort(), c.request());
    System.out.println(c + " -> " + answer);
    if (!answer.refused()) {
      problems.add("answered " + answer + ", expected a 4xx status or a closed connection");
    }
    int live = get("/health/live");
    if (live == 404) {
      live = get("/health"); // before /health/live existed
    }
    if (live != 200) {
      problems.add("liveness answered " + live + " afterwards");
    }
    int metrics = get("/metrics");
    if (metrics != 200) {
      problems.add("/metrics answered " + metrics + " afterwards");
    }
    problems.addAll(server.damage());
    if (!problems.isEmpty()) {
      fail(c + ": " + String.join("; ", problems));
    }
  }

  static Stream<Case> cases() {
    List<Case> all = new ArrayList<>();
    all.add(raw("garbage request line", "\u0001\u0002\u0003 garbage \u00FF\r\n\r\n"));
    all.add(raw("request line without a target", "GET\r\n\r\n"));
    all.add(new Case("random bytes", randomBytes(512)));
    all.add(raw("HTTP/0.9 request for /health", "GET /health\r\n"));
    all.add(raw("HTTP/0.9 request for /metrics", "GET /metrics\r\n"));
    all.add(raw("NUL byte in the request line", "GET /health\u0000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    all.add(raw("request line with an extra word", "GET /health HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n"));
    all.add(request("header of 64 KB", "GET", "/health", "X-Big: " + "a".repeat(64 * 1024)));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      many.append(i == 0 ? "" : "\r\n").append("X-H").append(i).append(": v");
    }
    all.add(request("10,000 headers", "GET", "/health", many.toString()));
    all.add(request("header line without a colon", "GET", "/health", "no colon here"));
    all.add(request("header name with a space", "GET", "/health", "Bad Header: x"));
    all.add(request("unknown method", "FOO", "/health"));
    all.add(request("lower-case method", "get", "/health"));
    for (String path : List.of("/metrics", "/health")) {
      for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
        all.add(request(method + " " + path, method, path, "Content-Length: 0"));
      }
    }
    all.add(request("POST /health/self", "POST", "/health/self", "Content-Length: 0"));
    all.add(request("POST /health/live", "POST", "/health/live", "Content-Length: 0"));
    all.add(request("POST /health/ready", "POST", "/health/ready", "Content-Length: 0"));
    all.add(request("TRACE /health", "TRACE", "/health"));
    all.add(request("path traversal /../../etc/passwd", "GET", "/../../etc/passwd"));
    all.add(request("path traversal under /health", "GET", "/health/../../etc/passwd"));
    all.add(request("path traversal under /metrics", "GET", "/metrics/../../etc/passwd"));
    all.add(request("encoded path traversal", "GET", "/%2e%2e/%2e%2e/etc/passwd"));
    all.add(request("/metrics%00", "GET", "/metrics%00"));
    all.add(request("/health%00", "GET", "/health%00"));
    all.add(request("unknown path sharing the /metrics prefix", "GET", "/metricsfoo"));
    all.add(request("URL of 100 KB", "GET", "/health?q=" + "a".repeat(100_000)));
    all.add(request("path of 100 KB", "GET", "/" + "a".repeat(100_000)));
    all.add(raw("Content-Length and Transfer-Encoding on POST /health",
        "POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0\r\n\r\nGET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    all.add(raw("Content-Length and Transfer-Encoding on GET /metrics",
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0\r\n\r\nGET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    all.add(raw("two different Content-Length headers",
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello"));
    all.add(request("negative Content-Length", "GET", "/health", "Content-Length: -5"));
    all.add(request("Content-Length that is not a number", "GET", "/health", "Content-Length: five"));
    all.add(raw("invalid chunk size",
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"));
    all.add(request("POST /metrics announcing 1 GB with Expect: 100-continue", "POST", "/metrics",
        "Content-Length: 1000000000\r\nExpect: 100-continue"));
    return all.stream();
  }

  private static Case raw(String name, String text) {
    return new Case(name, text.getBytes(ISO_8859_1));
  }

  /** A well-formed HTTP/1.1 request apart from what the case changes. */
  private static Case request(String name, String method, String target, String... headers) {
    StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1\r\nConnection: close\r\n");
    for (String header : headers) {
      sb.append(header).append("\r\n");
    }
    return raw(name, sb.append("\r\n").toString());
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  /** How the server answered a raw request. */
  record Answer(int status, String detail) {
    static final int CLOSED = -1;
    static final int NO_STATUS_LINE = -2;
    static final int NO_ANSWER = -3;

    boolean refused() {
      return status == CLOSED || (status >= 400 && status < 500);
    }

    @Override
    public String toString() {
      return switch (status) {
        case CLOSED -> "connection closed (" + detail + ")";
        case NO_STATUS_LINE -> "no status line: '" + detail + "'";
        case NO_ANSWER -> "nothing within the read timeout, connection still open";
        default -> detail;
      };
    }
  }

  /**
   * Sends {@code request}, closes the sending side (so a server waiting for more sees the end of the
   * stream), and reads the status line.
   */
  static Answer send(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      // Not a timing assertion: a server that neither answers nor closes is a failure, not a hang.
      socket.setSoTimeout(30_000);
      String sendError = null;
      try {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        // The server may answer and close before reading all of a large request: read what it sent.
        sendError = e.toString();
      }
      try {
        InputStream in = socket.getInputStream();
        String statusLine = readLine(in);
        while (statusLine != null && statusLine.matches("HTTP/\\S+ 1\\d\\d\\b.*")) {
          // An interim answer (100 Continue): skip its headers, the final answer follows.
          String header;
          do {
            header = readLine(in);
          } while (header != null && !header.isEmpty());
          statusLine = readLine(in);
        }
        if (statusLine == null) {
          return new Answer(Answer.CLOSED, sendError == null ? "no bytes" : sendError);
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].matches("\\d{3}")) {
          return new Answer(Integer.parseInt(parts[1]), statusLine);
        }
        return new Answer(Answer.NO_STATUS_LINE, statusLine);
      } catch (SocketTimeoutException e) {
        return new Answer(Answer.NO_ANSWER, "");
      } catch (IOException e) {
        return new Answer(Answer.CLOSED, e.toString());
      }
    }
  }

  /** One line without its line end (at most 200 bytes of it), or null at the end of the stream. */
  private static @Nullable String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (line.size() < 200) {
        line.write(b);
      }
    }
    if (b == -1 && line.size() == 0) {
      return null;
    }
    return line.toString(ISO_8859_1).strip();
  }

  private static int get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .timeout(Duration.ofSeconds(30))
        .GET()
        .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
