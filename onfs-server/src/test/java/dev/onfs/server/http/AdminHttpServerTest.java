package dev.onfs.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminHttpServerTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static HttpResponse<String> get(AdminHttpServer server, String pathAndQuery) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
        .timeout(Duration.ofSeconds(5)).header("X-Probe", "p1").build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void handlersSeeTheRequestAndFailuresBecome500() throws Exception {
    HttpRoutes routes = new HttpRoutes()
        .get("/echo", request -> RouteReply.text(200,
            request.method() + " " + request.path() + " " + request.queryParameter("q") + " " + request.header("x-probe")))
        .get("/fail", request -> {
          throw new IllegalStateException("boom");
        });
    try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, AdminHttpServer.Limits.DEFAULT, routes)) {
      assertThat(get(server, "/echo?q=a%20b").body()).isEqualTo("GET /echo a b p1");
      HttpResponse<String> failed = get(server, "/fail");
      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.body()).isEqualTo("internal error\n");
    }
  }

  @Test
  void prefixRoutesTakeAnyMethodWithBoundedBodiesAndSetHeaders() throws Exception {
    HttpRoutes routes = new HttpRoutes()
        .get("/api/exact", request -> RouteReply.text(200, "exact"))
        .prefix("/api/", request -> {
          byte[] body = request.body(8);
          return new RouteReply(200, RouteReply.TEXT, (request.method() + " " + request.path() + " "
              + request.queryParameters() + " " + (body.length > 8 ? "too large" : new String(body)) + " "
              + request.remoteAddress()).getBytes(StandardCharsets.UTF_8),
              Map.of("Set-Cookie", "s=1; HttpOnly"));
        });
    try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, AdminHttpServer.Limits.DEFAULT, routes)) {
      assertThat(get(server, "/api/exact").body()).isEqualTo("exact");
      HttpResponse<String> got = get(server, "/api/x/1?a=b");
      assertThat(got.body()).isEqualTo("GET /api/x/1 {a=b}  127.0.0.1");
      assertThat(got.headers().firstValue("Set-Cookie")).hasValue("s=1; HttpOnly");
      assertThat(post(server, "/api/y", "12345678").body()).isEqualTo("POST /api/y {} 12345678 127.0.0.1");
      assertThat(post(server, "/api/y", "123456789").body()).isEqualTo("POST /api/y {} too large 127.0.0.1");
      assertThat(get(server, "/other").statusCode()).isEqualTo(404);
    }
  }

  private static HttpResponse<String> post(AdminHttpServer server, String path, String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTakenPortFailsNamingIt() {
    try (AdminHttpServer first = AdminHttpServer.start("127.0.0.1", 0, AdminHttpServer.Limits.DEFAULT, new HttpRoutes())) {
      assertThatThrownBy(() -> AdminHttpServer.start("127.0.0.1", first.port(), AdminHttpServer.Limits.DEFAULT,
          new HttpRoutes())).hasMessageStartingWith("cannot listen on HTTP port 127.0.0.1:" + first.port());
    }
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> new AdminHttpServer.Limits(2, Duration.ofSeconds(1), 8192, 10))
        .hasMessage("maxThreads must be at least 4, got 2");
    assertThatThrownBy(() -> new AdminHttpServer.Limits(16, Duration.ZERO, 8192, 10))
        .hasMessage("idleTimeout must be positive, got PT0S");
  }
}
