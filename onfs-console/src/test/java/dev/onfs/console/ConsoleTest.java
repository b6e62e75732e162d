package dev.onfs.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.controlplane.ControlPlane;
import dev.onfs.controlplane.rest.ApiRequest;
import dev.onfs.controlplane.rest.ApiResponse;
import dev.onfs.controlplane.users.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console against a real control plane (directory storage), request by request: sessions,
 * form tokens and origins, headers, role refusals, a registration whose token is shown once, and
 * escaping. The browser flows are in the server's {@code ConsoleBrowserIT}.
 */
class ConsoleTest {
  private static final String ORIGIN = "http://console.test";
  private static final String ADMIN_PASSWORD = "first-root-password";
  private static final String OTHER_PASSWORD = "second-root-pass-1";
  private static final String EDITOR_PASSWORD = "a-writing-password";

  @TempDir Path dir;

  private ControlPlane cp;
  private Console console;

  @BeforeEach
  void start() {
    cp = ControlPlane.builder().directory(dir.resolve("state"), dir.resolve("registry.yaml"))
        .sessionSecret(new byte[32]).build();
    cp.bootstrapAdmin("admin", ADMIN_PASSWORD.toCharArray());
    String s = cp.login("admin", ADMIN_PASSWORD.toCharArray(), null).token();
    cp.createUser(s, "other", Role.ADMIN, OTHER_PASSWORD.toCharArray());
    cp.createUser(s, "editor", Role.EDITOR, EDITOR_PASSWORD.toCharArray());
    console = new Console(cp, (entity, group, key) -> Map.of(), Freshness.none(), new byte[32], Duration.ofHours(12));
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  @Test
  void signingInSetsALockedDownCookieAndEveryAnswerCarriesTheHeaders() {
    ApiResponse page = get("/console/login", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().get("Content-Security-Policy")).contains("script-src 'self'")
        .contains("frame-ancestors 'none'").doesNotContain("unsafe");
    assertThat(page.headers()).containsEntry("X-Content-Type-Options", "nosniff").containsEntry("X-Frame-Options", "DENY");
    assertThat(page.text()).contains("<label for=\"name\">").contains("<label for=\"password\">");

    ApiResponse wrong = post("/console/login", null, "name=admin&password=nope", ORIGIN);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.text()).contains("wrong user name or password");

    ApiResponse secure = console.handle(new ApiRequest("POST", "/console/login", headers(null, ORIGIN.replace("http", "https")),
        Map.of(), form("name=admin&password=" + ADMIN_PASSWORD), null, true));
    assertThat(secure.status()).isEqualTo(303);
    assertThat(secure.headers().get("Set-Cookie")).contains("; Secure").contains("HttpOnly").contains("SameSite=Strict")
        .contains("Path=/console");
    assertThat(post("/console/login", null, "name=admin&password=" + ADMIN_PASSWORD, ORIGIN).headers().get("Set-Cookie"))
        .doesNotContain("Secure");

    ApiResponse css = get("/console/static/console.css", null);
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.contentType()).startsWith("text/css");
    assertThat(get("/console/static/../console.css", null).status()).isEqualTo(404);
  }

  @Test
  void withoutASessionPagesLeadToTheSignInPage() {
    ApiResponse catalog = get("/console/catalog", null);
    assertThat(catalog.status()).isEqualTo(303);
    assertThat(catalog.headers()).containsEntry("Location", "/console/login");
    assertThat(get("/console/catalog", "not-a-session").headers()).containsEntry("Location", "/console/login");
    String session = signIn("admin", ADMIN_PASSWORD);
    assertThat(get("/console/catalog", session).status()).isEqualTo(200);
    assertThat(post("/console/logout", session, "csrf=" + enc(csrf(session)), ORIGIN).status()).isEqualTo(303);
    assertThat(get("/console/catalog", session).headers()).containsEntry("Location", "/console/login");
  }

  @Test
  void aFormNeedsTheSessionsTokenAndThisOrigin() {
    String session = signIn("admin", ADMIN_PASSWORD);
    String token = csrf(session);
    String user = "&name=newbie&role=viewer&password=" + enc("a-long-password");
    assertThat(post("/console/users", session, "csrf=" + enc(token) + user, "http://evil.test").status()).isEqualTo(403);
    assertThat(post("/console/users", session, "csrf=" + enc(token) + user, null).status()).isEqualTo(403);
    assertThat(post("/console/users", session, user.substring(1), ORIGIN).status()).isEqualTo(403);
    // Another session's token does not pass.
    String other = signIn("other", OTHER_PASSWORD);
    assertThat(post("/console/users", session, "csrf=" + enc(csrf(other)) + user, ORIGIN).status()).isEqualTo(403);
    assertThat(get("/console/users", session).text()).doesNotContain("newbie");
    // A Referer of this origin stands in for a missing Origin header.
    ApiResponse created = console.handle(new ApiRequest("POST", "/console/users",
        name -> switch (name) {
          case "Cookie" -> "onfs_console=" + session;
          case "Host" -> "console.test";
          case "Referer" -> ORIGIN + "/console/users";
          case "Content-Type" -> "application/x-www-form-urlencoded";
          default -> null;
        }, Map.of(), form("csrf=" + enc(token) + user), null, false));
    assertThat(created.status()).isEqualTo(303);
    assertThat(get("/console/users", session).text()).contains("newbie");
  }

  @Test
  void theControlPlaneDecidesWhatAUserMayDo() {
    String editor = signIn("editor", EDITOR_PASSWORD);
    ApiResponse users = get("/console/users", editor);
    assertThat(users.status()).isEqualTo(403);
    assertThat(users.text()).contains("may not view users");
    assertThat(get("/console/catalog", editor).text()).doesNotContain("/console/users\"");
    ApiResponse registration = post("/console/callers", editor, "csrf=" + enc(csrf(editor)) + "&kind=job&id=job1", ORIGIN);
    assertThat(registration.status()).isEqualTo(403);
    assertThat(registration.text()).contains("may not submit registration");
    assertThat(get("/console/audit", editor).status()).isEqualTo(403);
  }

  @Test
  void aRegisteredJobsTokenIsShownOnceToTheApprovingAdmin() {
    String admin = signIn("admin", ADMIN_PASSWORD);
    ApiResponse submitted = post("/console/callers", admin, "csrf=" + enc(csrf(admin)) + "&kind=job&id=nightly_job", ORIGIN);
    assertThat(submitted.status()).isEqualTo(303);
    String location = submitted.headers().get("Location");
    assertThat(location).matches("/console/requests/\\d+\\?done=submitted");
    String request = location.substring(0, location.indexOf('?'));
    ApiResponse mine = get(request, admin);
    assertThat(mine.text()).contains("register-job").contains("PENDING").contains("writer:nightly_job");
    // Four eyes: the requester's own approval is refused, with the control plane's reason.
    ApiResponse own = post(request + "/approve", admin, "csrf=" + enc(csrf(admin)), ORIGIN);
    assertThat(own.status()).isEqualTo(403);

    String other = signIn("other", OTHER_PASSWORD);
    ApiResponse approved = post(request + "/approve", other, "csrf=" + enc(csrf(other)), ORIGIN);
    assertThat(approved.status()).isEqualTo(200);
    Matcher token = Pattern.compile("<code class=\"token\" id=\"token\">([A-Za-z0-9_-]{43})</code>").matcher(approved.text());
    assertThat(token.find()).as(approved.text()).isTrue();
    assertThat(cp.writerView("nightly_job", token.group(1))).isNotNull();
    assertThat(get(request, other).text()).contains("APPROVED").doesNotContain(token.group(1));
    assertThat(get("/console/callers", other).text()).contains("nightly_job");
  }

  @Test
  void aRequestTheRegistryOutgrewCanStillBeReadAndRejected() {
    String admin = signIn("admin", ADMIN_PASSWORD);
    post("/console/callers", admin, "csrf=" + enc(csrf(admin)) + "&kind=job&id=twice", ORIGIN);
    post("/console/callers", admin, "csrf=" + enc(csrf(admin)) + "&kind=job&id=twice", ORIGIN);
    String other = signIn("other", OTHER_PASSWORD);
    assertThat(post("/console/requests/1/approve", other, "csrf=" + enc(csrf(other)), ORIGIN).status()).isEqualTo(200);
    ApiResponse second = get("/console/requests/2", other);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.text()).contains("The compatibility check against the current registry fails")
        .contains("twice").contains("id=\"reject\"");
  }

  @Test
  void aReasonHoldingMarkupShowsAsText() {
    String admin = signIn("admin", ADMIN_PASSWORD);
    post("/console/callers", admin, "csrf=" + enc(csrf(admin)) + "&kind=client&id=ranker", ORIGIN);
    String other = signIn("other", OTHER_PASSWORD);
    ApiResponse rejected = post("/console/requests/1/reject", other,
        "csrf=" + enc(csrf(other)) + "&reason=" + enc("<script>alert(1)</script> & \"no\""), ORIGIN);
    assertThat(rejected.status()).isEqualTo(303);
    String page = get("/console/requests/1", other).text();
    assertThat(page).contains("id=\"reason\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"no\"").doesNotContain("<script>alert");
    ApiResponse search = get("/console/catalog", other, Map.of("q", "\"><script>x()</script>"));
    assertThat(search.text()).doesNotContain("<script>x()").contains("&lt;script&gt;x()");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private String signIn(String user, String password) {
    ApiResponse r = post("/console/login", null, "name=" + user + "&password=" + enc(password), ORIGIN);
    assertThat(r.status()).as(r.text()).isEqualTo(303);
    String cookie = r.headers().get("Set-Cookie");
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  /** The form token of a session, as the pages carry it. */
  private String csrf(String session) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(get("/console/catalog", session).text());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private ApiResponse get(String path, String session) {
    return get(path, session, Map.of());
  }

  private ApiResponse get(String path, String session, Map<String, String> query) {
    return console.handle(new ApiRequest("GET", path, headers(session, null), query, new byte[0], null, false));
  }

  private ApiResponse post(String path, String session, String body, String origin) {
    return console.handle(new ApiRequest("POST", path, headers(session, origin), Map.of(), form(body), null, false));
  }

  private static java.util.function.Function<String, String> headers(String session, String origin) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.put("Host", "console.test");
    h.put("Content-Type", "application/x-www-form-urlencoded");
    if (session != null) {
      h.put("Cookie", "onfs_console=" + session);
    }
    if (origin != null) {
      h.put("Origin", origin);
    }
    return h::get;
  }

  private static byte[] form(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
