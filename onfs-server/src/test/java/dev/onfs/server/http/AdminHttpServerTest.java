package dev.onfs.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
