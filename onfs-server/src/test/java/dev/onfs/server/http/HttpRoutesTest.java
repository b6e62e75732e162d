package dev.onfs.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpRoutesTest {
  private static final RouteHandler OK = request -> RouteReply.text(200, "ok");

  @Test
  void getRoutesAnswerHeadAndListTheirMethods() {
    RouteHandler post = request -> RouteReply.text(201, "made");
    HttpRoutes.Table table = new HttpRoutes().get("/a", OK).add("POST", "/a", post).get("/b", OK).freeze();
    assertThat(table.find("GET", "/a")).isSameAs(OK);
    assertThat(table.find("HEAD", "/a")).isSameAs(OK);
    assertThat(table.find("POST", "/a")).isSameAs(post);
    assertThat(table.find("DELETE", "/a")).isNull();
    assertThat(table.find("GET", "/c")).isNull();
    assertThat(table.hasPath("/b")).isTrue();
    assertThat(table.hasPath("/c")).isFalse();
    assertThat(table.allowed("/a")).isEqualTo("GET, HEAD, POST");
    assertThat(table.allowed("/b")).isEqualTo("GET, HEAD");
  }

  @Test
  void routesAreCheckedWhenAdded() {
    HttpRoutes routes = new HttpRoutes().get("/a", OK);
    assertThatThrownBy(() -> routes.get("/a", OK)).hasMessage("route GET /a is already taken");
    assertThatThrownBy(() -> routes.get("a", OK)).hasMessageContaining("path must start with '/'");
    assertThatThrownBy(() -> routes.get("/a?x=1", OK)).hasMessageContaining("no query");
    assertThatThrownBy(() -> routes.add("get", "/b", OK)).hasMessageContaining("upper-case token");
    assertThat(routes.paths()).containsExactly("/a");
  }

  @Test
  void prefixesAreCheckedWhenAdded() {
    HttpRoutes routes = new HttpRoutes().prefix("/api/", OK);
    assertThat(routes.prefixes()).containsExactly("/api/");
    assertThatThrownBy(() -> routes.prefix("/api/", OK)).hasMessage("prefix /api/ is already taken");
    assertThatThrownBy(() -> routes.prefix("/api", OK)).hasMessage("prefix must start and end with '/', got '/api'");
  }

  @Test
  void repliesCheckTheirStatus() {
    assertThatThrownBy(() -> RouteReply.text(99, "")).hasMessage("status must be 100..599, got 99");
    assertThat(RouteReply.json(200, "{}").contentType()).isEqualTo("application/json");
  }
}
