package dev.onfs.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Test access to a server's HTTP port, with generous timeouts; and a demo server to point it at. */
final class AdminHttp {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT)
      .build();

  private AdminHttp() {}

  /** A server as {@code onfs serve --demo} runs it, on loopback and free ports. */
  static OnfsServer launchDemo() {
    return ServerLauncher.launch(ServerConfig.fromMap(Map.of("bind-address", "127.0.0.1", "grpc-port", "0",
        "http-port", "0", "shutdown-grace", "2s", "demo", "true")), new PrintWriter(new StringWriter()));
  }

  static HttpResponse<String> get(int port, String path) {
    return send(port, "GET", path);
  }

  static HttpResponse<String> send(int port, String method, String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(TIMEOUT)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
