package dev.onfs.controlplane.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onfs.controlplane.ControlPlane;
import dev.onfs.controlplane.StoreConnection;
import dev.onfs.controlplane.rest.ApiRoute.Access;
import dev.onfs.controlplane.tokens.Pbkdf2TokenHasher;
import dev.onfs.controlplane.users.PasswordHasher;
import dev.onfs.controlplane.users.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over a control plane in a directory: routes, roles, input errors, the workflow, the reference's endpoints. */
class ControlPlaneApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "a-long-password";

  @TempDir
  Path dir;

  private ControlPlane cp;
  private ControlPlaneApi api;

  @BeforeEach
  void setUp() {
    cp = ControlPlane.builder()
        .directory(dir.resolve("state"), dir.resolve("registry.yaml"))
        .storeConnection(StoreConnection.withoutSchema(1, "scylla"))
        .sessionSecret("a session secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8))
        .tokenHasher(new Pbkdf2TokenHasher(Pbkdf2TokenHasher.MIN_ITERATIONS))
        .passwordHasher(new PasswordHasher(8 * 1024, 1))
        .build();
    api = new ControlPlaneApi(cp, Duration.ofHours(12));
    cp.bootstrapAdmin("root", PASSWORD.toCharArray());
    String root = cp.login("root", PASSWORD.toCharArray(), null).token();
    cp.createUser(root, "ada", Role.ADMIN, PASSWORD.toCharArray());
    cp.createUser(root, "ed", Role.EDITOR, PASSWORD.toCharArray());
    cp.createUser(root, "vi", Role.VIEWER, PASSWORD.toCharArray());
    cp.createUser(root, "target", Role.VIEWER, PASSWORD.toCharArray());
  }

  @AfterEach
  void tearDown() {
    cp.close();
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private ApiResponse call(String method, String path, @Nullable String session, @Nullable String body) {
    return call(method, path, session, body, Map.of(), false);
  }

  private ApiResponse call(String method, String path, @Nullable String session, @Nullable String body,
      Map<String, String> query, boolean secure) {
    Map<String, String> headers = new HashMap<>();
    if (session != null) {
      headers.put("cookie", "other=1; " + ControlPlaneApi.COOKIE + "=" + session);
    }
    return api.handle(new ApiRequest(method, path, h -> headers.get(h.toLowerCase(Locale.ROOT)), query,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "10.0.0.9", secure));
  }

  private String login(String user) {
    ApiResponse r = call("POST", "/api/login", null, "{\"name\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    String cookie = r.headers().get("Set-Cookie");
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  private static JsonNode json(ApiResponse r) {
    try {
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError(r.text(), e);
    }
  }

  private JsonNode ok(ApiResponse r) {
    assertThat(r.status()).as(r.text()).isBetween(200, 299);
    return json(r);
  }

  private static void problem(ApiResponse r, int status, @Nullable String field) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    JsonNode p = json(r);
    assertThat(p.path("status").asInt()).isEqualTo(status);
    assertThat(p.path("detail").asText()).isNotBlank();
    if (field != null) {
      assertThat(p.path("field").asText()).as(r.text()).isEqualTo(field);
    }
  }

  private long submit(String session, String change) {
    return ok(call("POST", "/api/requests", session, change)).path("id").asLong();
  }

  private JsonNode approve(String admin, long id) {
    return ok(call("POST", "/api/requests/" + id + "/approve", admin, "{\"comment\":\"ok\"}"));
  }

  static final String STORE = "{\"kind\":\"register-store\",\"payload\":{\"db-type\":\"scylla\",\"conf-id\":1,"
      + "\"table\":\"user_features\",\"primary-keys\":[\"user_id\"],\"table-ttl-seconds\":0}}";
  static final String JOB = "{\"kind\":\"register-job\",\"payload\":{\"job-id\":\"user_daily_job\"}}";
  static final String CLIENT = "{\"kind\":\"register-client\",\"payload\":{\"client-id\":\"ranker\"}}";
  static final String ENTITY = "{\"kind\":\"create-entity\",\"payload\":{\"entity\":\"user\","
      + "\"keys\":[{\"entity-label\":\"user_id\",\"column-label\":\"user_id\"}]}}";
  static final String GROUP = "{\"kind\":\"create-feature-group\",\"payload\":{\"entity\":\"user\","
      + "\"feature-group\":\"user_stats\",\"data-type\":\"FP32\",\"store-id\":\"1\",\"ttl-in-seconds\":86400,"
      + "\"job-id\":\"user_daily_job\",\"in-memory-cache-enabled\":false,\"distributed-cache-enabled\":false,"
      + "\"layout-version\":1,\"features\":[{\"label\":\"ctr\",\"default-value\":\"0.0\",\"string-length\":0,"
      + "\"vector-length\":0,\"source\":{\"storage-provider\":\"TABLE\",\"base-path\":\"ds.user_agg\","
      + "\"data-column\":\"ctr_7d\"}}]}}";

  /** Publishes a store, a job (returning its token), a client, an entity and a feature group. */
  private String publishGroup() {
    String root = login("root");
    String ada = login("ada");
    String ed = login("ed");
    approve(ada, submit(root, STORE));
    String token = approve(ada, submit(root, JOB)).path("token").asText();
    approve(ada, submit(root, CLIENT));
    approve(ada, submit(ed, ENTITY));
    approve(ada, submit(ed, GROUP));
    return token;
  }

  // ---- the document ------------------------------------------------------------------------------

  @Test
  void everyRouteIsInTheOpenApiDocumentWithItsRoleAndNothingElseIs() {
    JsonNode doc = ok(call("GET", "/api/openapi.json", null, null));
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
    }
    Set<String> routed = new TreeSet<>();
    for (ApiRoute route : api.routes()) {
      routed.add(route.method() + " " + route.path());
      JsonNode op = doc.path("paths").path(route.path()).path(route.method().toLowerCase(Locale.ROOT));
      String role = route.access() == Access.JOB_TOKEN ? "job token" : route.access().name().toLowerCase(Locale.ROOT);
      assertThat(op.path("x-onfs-role").asText()).as(route.toString()).isEqualTo(role);
    }
    assertThat(documented).isEqualTo(routed);
  }

  // ---- roles -------------------------------------------------------------------------------------

  /** A body and query that a caller with the right role gets past authorization with. */
  private Map<String, String> query(ApiRoute route) {
    if (route.path().endsWith("/catalog/features")) {
      return Map.of("entity", "user", "group", "user_stats");
    }
    return Map.of();
  }

  private String bodyFor(ApiRoute route, long pendingId) {
    String p = route.path();
    if (p.equals("/api/plan") || p.equals("/api/requests")) {
      return "{\"kind\":\"add-features\",\"payload\":{\"entity\":\"user\",\"feature-group\":\"user_stats\","
          + "\"features\":[{\"label\":\"aov\",\"default-value\":\"1\",\"string-length\":0,\"vector-length\":0}]}}";
    }
    if (p.equals("/api/users")) {
      return "{\"name\":\"new" + pendingId + "\",\"role\":\"viewer\",\"password\":\"" + PASSWORD + "\"}";
    }
    if (p.endsWith("/role")) {
      return "{\"role\":\"editor\"}";
    }
    if (p.endsWith("/reject")) {
      return "{\"reason\":\"no\"}";
    }
    if (p.endsWith("get-online-features-mapping")) {
      return "{\"offline-feature-list\":[\"TABLE|ds.user_agg|ctr_7d\"]}";
    }
    return "{}";
  }

  @Test
  void everyRoleOnEveryEndpoint() {
    publishGroup();
    Map<String, @Nullable Role> callers = new LinkedHashMap<>();
    callers.put("anonymous", null);
    callers.put("vi", Role.VIEWER);
    callers.put("ed", Role.EDITOR);
    callers.put("ada", Role.ADMIN);
    int checked = 0;
    for (ApiRoute route : api.routes()) {
      if (route.path().equals("/api/login") || route.access() == Access.JOB_TOKEN) {
        continue; // covered below: they take credentials, not a session
      }
      for (Map.Entry<String, @Nullable Role> caller : callers.entrySet()) {
        // A fresh pending request for each call, so approve, reject and withdraw have one to act on: the
        // caller's own where only the requester may act (withdraw, read), else ed's (approval needs another admin).
        boolean own = (route.path().endsWith("/withdraw") || route.method().equals("GET"))
            && caller.getValue() != null && caller.getValue().compareTo(Role.EDITOR) >= 0;
        long pending = submit(login(own ? caller.getKey() : "ed"), bodyFor(new ApiRoute("POST", "/api/requests", Access.EDITOR), 0)
            .replace("aov", "f" + checked));
        String path = route.path().replace("{id}", Long.toString(pending)).replace("{name}", "target");
        String session = caller.getValue() == null ? null : login(caller.getKey());
        ApiResponse r = call(route.method(), path, session, bodyFor(route, checked), query(route), false);
        String what = caller.getKey() + " " + route.method() + " " + path + ": " + r.text();
        Role needed = switch (route.access()) {
          case VIEWER -> Role.VIEWER;
          case EDITOR -> Role.EDITOR;
          case ADMIN -> Role.ADMIN;
          default -> null;
        };
        if (needed == null) {
          assertThat(r.status()).as(what).isEqualTo(200);
        } else if (caller.getValue() == null) {
          assertThat(r.status()).as(what).isEqualTo(401);
        } else if (caller.getValue().compareTo(needed) < 0
            || (route.path().equals("/api/requests/{id}") && caller.getValue() == Role.VIEWER)) {
          // (a viewer reads only its own requests, and this one is ed's)
          assertThat(r.status()).as(what).isEqualTo(403);
        } else {
          assertThat(r.status()).as(what).isBetween(200, 299);
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(4 * (api.routes().size() - 2));
  }

  @Test
  void registrationsNeedAnAdminEvenThroughTheEditorRoute() {
    problem(call("POST", "/api/requests", login("ed"), JOB), 403, null);
    problem(call("POST", "/api/requests", login("vi"), ENTITY), 403, null);
  }

  @Test
  void editorsSeeTheirOwnRequestsAndAdminsEveryone() {
    publishGroup();
    String ed = login("ed");
    String vi = login("vi");
    assertThat(ok(call("GET", "/api/requests", ed, null))).allSatisfy(r -> assertThat(r.path("requester").asText()).isEqualTo("ed"));
    assertThat(ok(call("GET", "/api/requests", ed, null))).hasSize(2);
    assertThat(ok(call("GET", "/api/requests", login("ada"), null))).hasSize(5);
    assertThat(ok(call("GET", "/api/requests", vi, null))).isEmpty();
    problem(call("GET", "/api/requests", ed, null, Map.of("scope", "all"), false), 403, "scope");
    problem(call("GET", "/api/requests/1", ed, null), 403, "id");
    problem(call("GET", "/api/requests", ed, null, Map.of("status", "DONE"), false), 400, "status");
    assertThat(ok(call("GET", "/api/requests", ed, null, Map.of("status", "approved"), false))).hasSize(2);
  }

  // ---- login -------------------------------------------------------------------------------------

  @Test
  void loginSetsAStrictHttpOnlyCookieSecureOverTls() {
    String body = "{\"name\":\"ed\",\"password\":\"" + PASSWORD + "\"}";
    ApiResponse plain = call("POST", "/api/login", null, body);
    assertThat(plain.headers().get("Set-Cookie")).startsWith("onfs_session=").contains("; HttpOnly; SameSite=Strict")
        .doesNotContain("Secure");
    ApiResponse tls = call("POST", "/api/login", null, body, Map.of(), true);
    assertThat(tls.headers().get("Set-Cookie")).endsWith("; HttpOnly; SameSite=Strict; Secure");
    assertThat(json(plain).path("role").asText()).isEqualTo("editor");

    problem(call("POST", "/api/login", null, "{\"name\":\"ed\",\"password\":\"wrong-password\"}"), 401, null);
    problem(call("POST", "/api/login", null, "{\"name\":\"ed\"}"), 400, "password");

    String session = login("ed");
    ok(call("POST", "/api/logout", session, null));
    problem(call("GET", "/api/me", session, null), 401, null);
  }

  @Test
  void aBearerTokenWorksLikeTheCookie() {
    String token = json(call("POST", "/api/login", null, "{\"name\":\"vi\",\"password\":\"" + PASSWORD + "\"}"))
        .path("token").asText();
    ApiResponse r = api.handle(new ApiRequest("GET", "/api/me", h -> h.equalsIgnoreCase("Authorization")
        ? "Bearer " + token : null, Map.of(), new byte[0], null, false));
    assertThat(json(r).path("user").asText()).isEqualTo("vi");
  }

  // ---- bad input ---------------------------------------------------------------------------------

  @Test
  void badInputIsAProblemNamingTheFieldAndNothingIsStored() {
    publishGroup();
    String ed = login("ed");
    int before = ok(call("GET", "/api/requests", login("ada"), null)).size();
    String groupsBefore = call("GET", "/api/catalog/groups", ed, null).text();

    problem(call("POST", "/api/requests", ed, "{\"kind\":"), 400, "body");
    problem(call("POST", "/api/requests", ed, "[1]"), 400, "body");
    problem(call("POST", "/api/requests", ed, "{\"kind\":\"a\",\"kind\":\"b\"}"), 400, "body");
    problem(call("POST", "/api/requests", ed, "{\"kind\":\"drop-table\",\"payload\":{}}"), 400, "kind");
    problem(call("POST", "/api/requests", ed, "{\"kind\":\"add-features\"}"), 400, "payload");
    problem(call("POST", "/api/requests", ed, "{\"kind\":\"add-features\",\"payload\":{},\"extra\":1}"), 400, "extra");
    problem(call("POST", "/api/requests", ed, "{\"kind\":\"add-features\",\"payload\":{\"entity\":\"user\","
        + "\"feature-group\":\"user_stats\",\"features\":[{\"label\":\"x\",\"colour\":\"red\"}]}}"), 400, "features[0].colour");
    problem(call("POST", "/api/requests", ed, "{\"kind\":\"add-features\",\"payload\":{\"entity\":\"user\","
        + "\"feature-group\":\"user_stats\",\"features\":[{\"label\":\"a|b\",\"default-value\":\"1\"}]}}"), 400,
        "features[0].label");
    problem(call("POST", "/api/requests", ed, GROUP.replace("\"FP32\"", "\"FP33\"").replace("user_stats", "g2")), 400,
        "data-type");
    problem(call("POST", "/api/requests", ed, GROUP.replace("\"ttl-in-seconds\":86400", "\"ttl-in-seconds\":\"soon\"")
        .replace("user_stats", "g3")), 400, "ttl-in-seconds");
    problem(call("POST", "/api/requests", ed, "{\"kind\":\"add-features\",\"payload\":{\"feature-group\":\"user_stats\","
        + "\"features\":[{\"label\":\"x\",\"default-value\":\"1\"}]}}"), 400, "entity");
    problem(call("POST", "/api/requests/abc/withdraw", ed, "{}"), 400, "id");
    problem(call("POST", "/api/requests/999/withdraw", ed, "{}"), 404, "request-id");

    StringBuilder big = new StringBuilder("{\"kind\":\"add-features\",\"payload\":{\"pad\":\"");
    big.append("x".repeat(ControlPlaneApi.MAX_BODY_BYTES));
    big.append("\"}}");
    problem(call("POST", "/api/requests", ed, big.toString()), 413, "body");

    problem(call("DELETE", "/api/requests", ed, null), 405, null);
    assertThat(call("DELETE", "/api/requests", ed, null).headers().get("Allow")).isEqualTo("GET, POST");
    problem(call("GET", "/api/nothing", ed, null), 404, null);

    assertThat(ok(call("GET", "/api/requests", login("ada"), null))).hasSize(before);
    assertThat(call("GET", "/api/catalog/groups", ed, null).text()).isEqualTo(groupsBefore);
  }

  @Test
  void aBreakingEditIsRefusedNamingTheChangeAndAPlanShowsIt() {
    publishGroup();
    String ed = login("ed");
    String breaking = "{\"kind\":\"edit-feature-group\",\"payload\":{\"entity\":\"user\",\"feature-group\":\"user_stats\","
        + "\"data-type\":\"FP64\"}}";
    JsonNode plan = ok(call("POST", "/api/plan", ed, breaking));
    assertThat(plan.path("class").asText()).isEqualTo("BREAKING");
    ApiResponse refused = call("POST", "/api/requests", ed, breaking);
    problem(refused, 422, null);
    assertThat(json(refused).path("reason").asText()).isEqualTo("BREAKING_CHANGE");
    assertThat(json(refused).path("detail").asText()).contains("FP32 -> FP64").contains("user_stats");
  }

  @Test
  void aStaleRequestIsRefusedOnApprovalAndStaysPending() {
    publishGroup();
    String ed = login("ed");
    String ada = login("ada");
    long first = submit(ed, "{\"kind\":\"add-features\",\"payload\":{\"entity\":\"user\",\"feature-group\":\"user_stats\","
        + "\"features\":[{\"label\":\"a\",\"default-value\":\"1\"}]}}");
    long second = submit(ed, "{\"kind\":\"add-features\",\"payload\":{\"entity\":\"user\",\"feature-group\":\"user_stats\","
        + "\"features\":[{\"label\":\"b\",\"default-value\":\"1\"}]}}");
    approve(ada, first);
    ApiResponse stale = call("POST", "/api/requests/" + second + "/approve", ada, "{}");
    problem(stale, 409, null);
    assertThat(json(stale).path("reason").asText()).isEqualTo("STALE");
    assertThat(ok(call("GET", "/api/requests/" + second, ed, null)).path("status").asText()).isEqualTo("PENDING");
  }

  // ---- the workflow and catalog ------------------------------------------------------------------

  @Test
  void catalogAndLineageShowWhatWasApproved() {
    publishGroup();
    String vi = login("vi");
    assertThat(ok(call("GET", "/api/catalog/entities", vi, null)).get(0).path("label").asText()).isEqualTo("user");
    JsonNode group = ok(call("GET", "/api/catalog/groups", vi, null, Map.of("entity", "user"), false)).get(0);
    assertThat(group.path("label").asText()).isEqualTo("user_stats");
    assertThat(group.path("versions").path("1").get(0).asText()).isEqualTo("ctr");
    JsonNode feature = ok(call("GET", "/api/catalog/features", vi, null, Map.of("entity", "user", "group", "user_stats"),
        false)).get(0);
    assertThat(feature.path("source").path("data-column").asText()).isEqualTo("ctr_7d");
    assertThat(ok(call("GET", "/api/catalog/stores", vi, null)).get(0).path("table").asText()).isEqualTo("user_features");
    assertThat(ok(call("GET", "/api/catalog/jobs", vi, null)).toString()).isEqualTo("[\"user_daily_job\"]");
    assertThat(ok(call("GET", "/api/catalog/clients", vi, null)).toString()).isEqualTo("[\"ranker\"]");
    JsonNode lineage = ok(call("GET", "/api/catalog/lineage", vi, null)).get(0);
    assertThat(lineage.path("job-id").asText()).isEqualTo("user_daily_job");
    assertThat(lineage.path("feature-group").asText()).isEqualTo("user_stats");
    assertThat(lineage.path("table").asText()).isEqualTo("user_features");
    assertThat(lineage.path("clients").toString()).isEqualTo("[\"ranker\"]");
    problem(call("GET", "/api/catalog/features", vi, null, Map.of("entity", "user"), false), 400, "group");
    problem(call("GET", "/api/catalog/groups", vi, null, Map.of("entity", "item"), false), 404, "entity");
  }

  @Test
  void theReferencesSourceMappingEndpointsAnswerInItsShape() {
    String token = publishGroup();
    String path = "/api/v1/online-feature-store/get-source-mapping";
    JsonNode mapping = ok(call("POST", path, null, "{}", Map.of("jobId", "user_daily_job", "jobToken", token), false));
    assertThat(mapping.path("keys").toString()).isEqualTo("{\"user\":[\"user_id\"]}");
    JsonNode data = mapping.path("data").get(0);
    assertThat(data.path("storage-provider").asText()).isEqualTo("TABLE");
    JsonNode base = data.path("base-path").get(0);
    assertThat(base.path("source-base-path").asText()).isEqualTo("ds.user_agg");
    assertThat(base.path("data-paths").get(0).toString()).isEqualTo("{\"entity-label\":\"user\","
        + "\"feature-group-label\":\"user_stats\",\"feature-label\":\"ctr\",\"source-data-column\":\"ctr_7d\","
        + "\"default-value\":\"0.0\",\"data-type\":\"DataTypeFP32\"}");

    ApiResponse wrong = call("POST", path, null, null, Map.of("jobId", "user_daily_job", "jobToken", "guess"), false);
    problem(wrong, 401, "jobToken");
    assertThat(json(wrong).path("error").asText()).isNotBlank();
    problem(call("POST", path, null, null, Map.of("jobId", "user_daily_job"), false), 400, "jobToken");

    JsonNode online = ok(call("POST", "/api/v1/online-feature-store/get-online-features-mapping", login("vi"),
        "{\"offline-feature-list\":[\"TABLE|ds.user_agg|ctr_7d\",\"PARENT|TABLE|ds.user_agg|ctr_7d\",\"TABLE|x|y\"]}"));
    assertThat(online.toString()).isEqualTo("{\"error\":\"\",\"data\":{\"TABLE|ds.user_agg|ctr_7d\":\"user:user_stats:ctr\","
        + "\"PARENT|TABLE|ds.user_agg|ctr_7d\":\"parent:user:user_stats:ctr\"}}");
  }

  @Test
  void usersAreManagedByAdmins() {
    String ada = login("ada");
    JsonNode created = json(call("POST", "/api/users", ada, "{\"name\":\"newbie\",\"role\":\"editor\",\"password\":\""
        + PASSWORD + "\"}"));
    assertThat(created.path("role").asText()).isEqualTo("editor");
    problem(call("POST", "/api/users", ada, "{\"name\":\"newbie\",\"role\":\"editor\",\"password\":\"" + PASSWORD + "\"}"),
        409, "name");
    problem(call("POST", "/api/users", ada, "{\"name\":\"x\",\"role\":\"owner\",\"password\":\"" + PASSWORD + "\"}"), 400,
        "role");
    problem(call("POST", "/api/users", ada, "{\"name\":\"x y\",\"role\":\"viewer\",\"password\":\"" + PASSWORD + "\"}"),
        400, "name");
    String newbie = login("newbie");
    ok(call("POST", "/api/users/newbie/role", ada, "{\"role\":\"viewer\"}"));
    problem(call("GET", "/api/me", newbie, null), 401, null);
    ok(call("POST", "/api/users/newbie/deactivate", ada, null));
    problem(call("POST", "/api/login", null, "{\"name\":\"newbie\",\"password\":\"" + PASSWORD + "\"}"), 401, null);
    assertThat(ok(call("GET", "/api/users", ada, null))).anySatisfy(u -> {
      assertThat(u.path("name").asText()).isEqualTo("newbie");
      assertThat(u.path("active").asBoolean()).isFalse();
      assertThat(u.has("password-hash")).isFalse();
    });
  }

}
