package dev.onfs.controlplane.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onfs.controlplane.ControlPlane;
import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.Session;
import dev.onfs.controlplane.approval.ApprovalResult;
import dev.onfs.controlplane.compat.Change;
import dev.onfs.controlplane.compat.Plan;
import dev.onfs.controlplane.compat.SourceChange;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.request.Payload;
import dev.onfs.controlplane.request.RequestKind;
import dev.onfs.controlplane.request.RequestStatus;
import dev.onfs.controlplane.rest.ApiRoute.Access;
import dev.onfs.controlplane.storage.RegistryView;
import dev.onfs.controlplane.users.Principal;
import dev.onfs.controlplane.users.Role;
import dev.onfs.controlplane.users.UserInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's REST API over a {@link ControlPlane}: JSON in and out (kebab-case, like the
 * stored records), refusals as RFC 9457 {@code application/problem+json} naming the field at fault,
 * and the reference's two integration endpoints at their exact paths. Independent of any HTTP server:
 * a server hands each request under {@link #PREFIX} to {@link #handle} and sends the answer back.
 * Every route's role is checked by the facade ({@code AccessPolicy}); {@link #routes()} lists them
 * with the access they need, and the OpenAPI document served at {@code /api/openapi.json} describes
 * the same routes.
 */
public final class ControlPlaneApi {
  /** Every path of the API starts with this. */
  public static final String PREFIX = "/api/";
  /** Largest request body accepted. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;
  /** The session cookie. */
  public static final String COOKIE = "onfs_session";

  private static final Logger LOG = Logger.getLogger(ControlPlaneApi.class.getName());
  private static final String V1 = "/api/v1/online-feature-store";
  private static final List<String> MAPPING_PREFIXES = List.of("PARENT", "PCTR_CALIBRATION", "PCVR_CALIBRATION");

  private static final ObjectMapper JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final ControlPlane cp;
  private final Duration sessionTtl;
  private final List<Route> routes = new ArrayList<>();
  private final byte[] openApi;

  /** A route with its handler. */
  private record Route(ApiRoute route, Handler handler) {}

  @FunctionalInterface
  private interface Handler {
    ApiResponse handle(Call call) throws IOException;
  }

  /** One request being answered. */
  private static final class Call {
    final ApiRequest request;
    final Map<String, String> params;
    @Nullable JsonNode body;

    Call(ApiRequest request, Map<String, String> params) {
      this.request = request;
      this.params = params;
    }

    String param(String name) {
      return requireNonNull(params.get(name));
    }
  }

  /**
   * @param cp the control plane
   * @param sessionTtl the sessions' lifetime, for the cookie's {@code Max-Age}
   */
  public ControlPlaneApi(ControlPlane cp, Duration sessionTtl) {
    this.cp = requireNonNull(cp, "cp is null");
    this.sessionTtl = requireNonNull(sessionTtl, "sessionTtl is null");
    this.openApi = readOpenApi();
    route("GET", "/api/openapi.json", Access.ANONYMOUS, c -> new ApiResponse(200, ApiResponse.JSON, Map.of(), openApi));
    route("POST", "/api/login", Access.ANONYMOUS, this::login);
    route("POST", "/api/logout", Access.VIEWER, this::logout);
    route("GET", "/api/me", Access.VIEWER, c -> {
      Principal p = cp.whoAmI(session(c));
      return ok(object().put("user", p.name()).put("role", p.role().text()));
    });
    route("POST", "/api/plan", Access.EDITOR, c -> ok(plan(cp.plan(session(c), payload(c)))));
    route("POST", "/api/requests", Access.EDITOR, c -> reply(201, request(cp.submit(session(c), payload(c)))));
    route("GET", "/api/requests", Access.VIEWER, this::listRequests);
    route("GET", "/api/requests/{id}", Access.VIEWER, this::getRequest);
    route("POST", "/api/requests/{id}/approve", Access.ADMIN, this::approve);
    route("POST", "/api/requests/{id}/reject", Access.ADMIN,
        c -> ok(request(cp.reject(session(c), requestId(c), requiredText(c, "reason")))));
    route("POST", "/api/requests/{id}/withdraw", Access.EDITOR,
        c -> ok(request(cp.withdraw(session(c), requestId(c), optionalText(c, "reason")))));
    route("GET", "/api/users", Access.ADMIN, c -> {
      ArrayNode users = JSON.createArrayNode();
      cp.users(session(c)).forEach(u -> users.add(user(u)));
      return ok(users);
    });
    route("POST", "/api/users", Access.ADMIN, c -> {
      String session = session(c);
      char[] password = requiredText(c, "password").toCharArray();
      try {
        return reply(201, user(cp.createUser(session, requiredText(c, "name"), role(c), password)));
      } finally {
        Arrays.fill(password, '\0');
      }
    });
    route("POST", "/api/users/{name}/role", Access.ADMIN, c -> ok(user(cp.setRole(session(c), c.param("name"), role(c)))));
    route("POST", "/api/users/{name}/deactivate", Access.ADMIN,
        c -> ok(user(cp.setActive(session(c), c.param("name"), false))));
    route("POST", "/api/users/{name}/activate", Access.ADMIN,
        c -> ok(user(cp.setActive(session(c), c.param("name"), true))));
    route("GET", "/api/catalog/entities", Access.VIEWER, c -> ok(Catalog.entities(cp.registryView(session(c)))));
    route("GET", "/api/catalog/groups", Access.VIEWER,
        c -> ok(Catalog.groups(cp.registryView(session(c)), c.request.query().get("entity"))));
    route("GET", "/api/catalog/features", Access.VIEWER, c -> {
      RegistryView view = cp.registryView(session(c));
      return ok(Catalog.features(view, requiredQuery(c, "entity"), requiredQuery(c, "group")));
    });
    route("GET", "/api/catalog/stores", Access.VIEWER, c -> ok(Catalog.stores(cp.registryView(session(c)))));
    route("GET", "/api/catalog/jobs", Access.VIEWER,
        c -> ok(JSON.valueToTree(cp.registryView(session(c)).snapshot().writers().keySet())));
    route("GET", "/api/catalog/clients", Access.VIEWER,
        c -> ok(JSON.valueToTree(cp.registryView(session(c)).snapshot().readers().keySet())));
    route("GET", "/api/catalog/lineage", Access.VIEWER, c -> ok(Catalog.lineage(cp.registryView(session(c)))));
    route("POST", V1 + "/get-source-mapping", Access.JOB_TOKEN,
        c -> ok(Catalog.sourceMapping(cp.writerView(requiredQuery(c, "jobId"), requiredQuery(c, "jobToken")),
            requiredQuery(c, "jobId"))));
    route("POST", V1 + "/get-online-features-mapping", Access.VIEWER, this::onlineFeaturesMapping);
  }

  private void route(String method, String path, Access access, Handler handler) {
    routes.add(new Route(new ApiRoute(method, path, access), handler));
  }

  /** Every route, in a stable order. */
  public List<ApiRoute> routes() {
    return routes.stream().map(Route::route).toList();
  }

  /** Answers one request; never throws. */
  public ApiResponse handle(ApiRequest request) {
    requireNonNull(request, "request is null");
    boolean pathKnown = false;
    Set<String> allowed = new TreeSet<>();
    for (Route r : routes) {
      Map<String, String> params = r.route().match(request.path());
      if (params == null) {
        continue;
      }
      pathKnown = true;
      boolean get = r.route().method().equals("GET");
      if (r.route().method().equals(request.method()) || (get && request.method().equals("HEAD"))) {
        return call(r, new Call(request, params));
      }
      allowed.add(r.route().method());
    }
    if (pathKnown) {
      return new ApiResponse(405, ApiResponse.PROBLEM, Map.of("Allow", String.join(", ", allowed)),
          problemBody(405, "Method Not Allowed", "method " + request.method() + " is not allowed on "
              + request.path(), null, null, request.path()));
    }
    return problem(404, "Not Found", "no API endpoint " + request.path(), null, null, request.path());
  }

  private ApiResponse call(Route r, Call c) {
    try {
      if (c.request.body().length > MAX_BODY_BYTES) {
        return problem(413, "Content Too Large", "the request body exceeds " + MAX_BODY_BYTES + " bytes", "body",
            null, c.request.path());
      }
      requireRole(r.route().access(), c);
      return r.handler().handle(c);
    } catch (ControlPlaneException e) {
      return problem(status(e.reason()), title(e.reason()), e.getMessage(), e.field(), e.reason(), c.request.path());
    } catch (BadInput e) {
      return problem(400, "Bad Request", e.getMessage(), e.field, Reason.INVALID, c.request.path());
    } catch (RuntimeException | IOException e) {
      LOG.log(Level.WARNING, c.request.method() + " " + c.request.path() + " failed", e);
      return problem(500, "Internal Server Error", "internal error", null, null, c.request.path());
    }
  }

  /**
   * Checks the route's role before the input is read, so a caller without the role learns nothing
   * about its input's validity. The facade checks the operation's role again.
   */
  private void requireRole(Access access, Call c) {
    Role needed = switch (access) {
      case ANONYMOUS, JOB_TOKEN -> null;
      case VIEWER -> Role.VIEWER;
      case EDITOR -> Role.EDITOR;
      case ADMIN -> Role.ADMIN;
    };
    if (needed == null) {
      return;
    }
    Principal p = cp.whoAmI(session(c));
    if (p.role().compareTo(needed) < 0) {
      throw new ControlPlaneException(Reason.FORBIDDEN, null, "user '" + p.name() + "' (role " + p.role().text()
          + ") may not call " + c.request.method() + " " + c.request.path() + "; that needs role " + needed.text()
          + (needed == Role.ADMIN ? "" : " or higher"));
    }
  }

  // ---- handlers ----------------------------------------------------------------------------------

  private ApiResponse login(Call c) throws IOException {
    String name = requiredText(c, "name");
    char[] password = requiredText(c, "password").toCharArray();
    Session s;
    try {
      s = cp.login(name, password, c.request.remoteAddress());
    } finally {
      Arrays.fill(password, '\0');
    }
    String cookie = COOKIE + "=" + s.token() + "; Path=/api; Max-Age=" + sessionTtl.toSeconds()
        + "; HttpOnly; SameSite=Strict" + (c.request.secure() ? "; Secure" : "");
    // The token is in the body too, for clients without a cookie jar (the CLI sends it as a bearer token).
    ObjectNode body = object().put("user", s.user()).put("role", s.role().text())
        .put("expires-at", s.expiresAt().toString()).put("token", s.token());
    return new ApiResponse(200, ApiResponse.JSON, Map.of("Set-Cookie", cookie), bytes(body));
  }

  private ApiResponse logout(Call c) {
    cp.logout(session(c), c.request.remoteAddress());
    String cookie = COOKIE + "=; Path=/api; Max-Age=0; HttpOnly; SameSite=Strict" + (c.request.secure() ? "; Secure" : "");
    return new ApiResponse(200, ApiResponse.JSON, Map.of("Set-Cookie", cookie), bytes(object().put("logged-out", true)));
  }

  private ApiResponse listRequests(Call c) {
    String session = session(c);
    Principal me = cp.whoAmI(session);
    String scope = c.request.query().getOrDefault("scope", me.role() == Role.ADMIN ? "all" : "mine");
    if (!scope.equals("all") && !scope.equals("mine")) {
      throw new BadInput("scope", "scope must be 'mine' or 'all', was '" + scope + "'");
    }
    if (scope.equals("all") && me.role() != Role.ADMIN) {
      throw new ControlPlaneException(Reason.FORBIDDEN, "scope", "only admins list every user's requests");
    }
    String statusText = c.request.query().get("status");
    RequestStatus status = null;
    if (statusText != null) {
      try {
        status = RequestStatus.valueOf(statusText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadInput("status", "unknown status '" + statusText + "'; one of "
            + Arrays.toString(RequestStatus.values()));
      }
    }
    ArrayNode list = JSON.createArrayNode();
    for (ChangeRequest r : cp.requests(session, status)) {
      if (scope.equals("all") || r.requester().equals(me.name())) {
        list.add(request(r));
      }
    }
    return ok(list);
  }

  private ApiResponse getRequest(Call c) {
    String session = session(c);
    Principal me = cp.whoAmI(session);
    ChangeRequest r = cp.request(session, requestId(c));
    if (me.role() != Role.ADMIN && !r.requester().equals(me.name())) {
      throw new ControlPlaneException(Reason.FORBIDDEN, "id", "request " + r.id() + " is another user's");
    }
    return ok(request(r));
  }

  private ApiResponse approve(Call c) throws IOException {
    ApprovalResult result = cp.approve(session(c), requestId(c), optionalText(c, "comment"));
    ObjectNode body = object();
    body.set("request", request(result.request()));
    body.set("plan", plan(result.plan()));
    if (result.token() != null) {
      // Shown once, to the approving admin, to hand over to the job or client.
      body.put("token", result.token().token());
      body.put("token-for", result.token().caller().toString());
    }
    return ok(body);
  }

  private ApiResponse onlineFeaturesMapping(Call c) throws IOException {
    RegistryView view = cp.registryView(session(c));
    JsonNode list = body(c).get("offline-feature-list");
    if (list == null || !list.isArray()) {
      throw new BadInput("offline-feature-list", "offline-feature-list must be a list of '<provider>|<base-path>|<column>'");
    }
    Map<String, String> bySource = new LinkedHashMap<>();
    view.sources().forEach((feature, source) -> {
      String[] parts = source.split("\\|", -1);
      if (parts.length >= 3) {
        bySource.putIfAbsent(parts[0] + "|" + parts[1] + "|" + parts[2], feature.replace('|', ':'));
      }
    });
    ObjectNode data = object();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isTextual()) {
        throw new BadInput("offline-feature-list[" + i + "]", "each entry must be a string");
      }
      String input = item.asText();
      String prefix = null;
      String source = input;
      for (String p : MAPPING_PREFIXES) {
        if (input.startsWith(p + "|")) {
          prefix = p.toLowerCase(Locale.ROOT);
          source = input.substring(p.length() + 1);
        }
      }
      String online = bySource.get(source);
      if (online != null) {
        data.put(input, prefix == null ? online : prefix + ":" + online);
      }
    }
    ObjectNode body = object().put("error", "");
    body.set("data", data);
    return ok(body);
  }

  // ---- input -------------------------------------------------------------------------------------

  /** An input error found by the API itself (not the facade). */
  private static final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final @Nullable String field;

    BadInput(@Nullable String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }

  private static String session(Call c) {
    String auth = c.request.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    String cookies = c.request.header("Cookie");
    if (cookies != null) {
      for (String cookie : cookies.split(";")) {
        String kv = cookie.trim();
        if (kv.startsWith(COOKIE + "=")) {
          return kv.substring(COOKIE.length() + 1);
        }
      }
    }
    throw new ControlPlaneException(Reason.UNAUTHENTICATED, null, "log in first: no session cookie or bearer token");
  }

  private static JsonNode body(Call c) {
    if (c.body == null) {
      if (c.request.body().length == 0) {
        c.body = JSON.createObjectNode();
      } else {
        try {
          c.body = JSON.readTree(c.request.body());
        } catch (JsonProcessingException e) {
          throw new BadInput("body", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (!c.body.isObject()) {
          throw new BadInput("body", "the body must be a JSON object");
        }
      }
    }
    return c.body;
  }

  private static String requiredText(Call c, String field) {
    JsonNode node = body(c).get(field);
    if (node == null || node.isNull()) {
      throw new BadInput(field, field + " is required");
    }
    if (!node.isTextual()) {
      throw new BadInput(field, field + " must be a string");
    }
    return node.asText();
  }

  private static @Nullable String optionalText(Call c, String field) {
    JsonNode node = body(c).get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new BadInput(field, field + " must be a string");
    }
    return node.asText();
  }

  private static String requiredQuery(Call c, String name) {
    String value = c.request.query().get(name);
    if (value == null || value.isEmpty()) {
      throw new BadInput(name, "query parameter " + name + " is required");
    }
    return value;
  }

  private static Role role(Call c) {
    String text = requiredText(c, "role");
    try {
      return Role.fromText(text);
    } catch (IllegalArgumentException e) {
      throw new BadInput("role", "unknown role '" + text + "'; one of viewer, editor, admin");
    }
  }

  private static long requestId(Call c) {
    String text = c.param("id");
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadInput("id", "request id must be a positive number, was '" + text + "'");
  }

  /** The payload of {@code {"kind": "...", "payload": {...}}}, with Jackson's errors turned into field names. */
  private static Payload payload(Call c) {
    String kindText = requiredText(c, "kind");
    RequestKind kind;
    try {
      kind = RequestKind.fromText(kindText);
    } catch (IllegalArgumentException e) {
      List<String> kinds = Arrays.stream(RequestKind.values()).map(RequestKind::text).toList();
      throw new BadInput("kind", "unknown request kind '" + kindText + "'; one of " + kinds);
    }
    for (var it = body(c).fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals("kind") && !name.equals("payload")) {
        throw new BadInput(name, "unknown field '" + name + "'; a change is {\"kind\": ..., \"payload\": {...}}");
      }
    }
    JsonNode node = body(c).get("payload");
    if (node == null || !node.isObject()) {
      throw new BadInput("payload", "payload must be an object");
    }
    try {
      return JSON.treeToValue(node, kind.payloadType());
    } catch (JsonMappingException e) {
      throw new BadInput(fieldPath(e), "payload of kind " + kind.text() + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new BadInput("payload", e.getOriginalMessage());
    }
  }

  private static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "payload" : path.toString();
  }

  // ---- output ------------------------------------------------------------------------------------

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static ObjectMapper json() {
    return JSON;
  }

  private static ApiResponse ok(JsonNode body) {
    return reply(200, body);
  }

  private static ApiResponse reply(int status, JsonNode body) {
    return new ApiResponse(status, ApiResponse.JSON, Map.of(), bytes(body));
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode request(ChangeRequest r) {
    ObjectNode node = object();
    node.put("id", r.id());
    node.put("kind", r.kind().text());
    node.put("requester", r.requester());
    node.put("submitted-at", r.submittedAt().toString());
    node.put("status", r.status().name());
    node.put("reviewer", r.reviewer());
    node.put("reviewed-at", r.reviewedAt() == null ? null : r.reviewedAt().toString());
    node.put("reason", r.reason());
    node.put("outcome", r.outcome());
    node.set("payload", JSON.valueToTree(r.payload()));
    return node;
  }

  private static ObjectNode plan(Plan p) {
    ObjectNode node = object();
    node.put("kind", p.payload().kind().text());
    node.put("class", p.changeClass().name());
    ArrayNode changes = node.putArray("changes");
    for (Change change : p.changes()) {
      changes.addObject().put("class", change.changeClass().name()).put("description", change.description());
    }
    ArrayNode warnings = node.putArray("warnings");
    p.warnings().forEach(warnings::add);
    ArrayNode schema = node.putArray("schema-steps");
    p.schemaSteps().forEach(step -> schema.add(step.toString()));
    ArrayNode sources = node.putArray("source-changes");
    for (SourceChange change : p.sourceChanges()) {
      sources.add(change.toString());
    }
    node.put("outcome", p.outcome());
    return node;
  }

  private static ObjectNode user(UserInfo u) {
    return object().put("name", u.name()).put("role", u.role().text()).put("active", u.active())
        .put("created-at", u.createdAt().toString()).put("updated-at", u.updatedAt().toString());
  }

  private static int status(Reason reason) {
    return switch (reason) {
      case INVALID -> 400;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, STALE, CONFLICT, INVALID_STATE -> 409;
      case NO_CHANGE, BREAKING_CHANGE -> 422;
      case FORBIDDEN -> 403;
      case UNAUTHENTICATED -> 401;
      case RATE_LIMITED -> 429;
      case UNAVAILABLE -> 503;
    };
  }

  private static String title(Reason reason) {
    return reason.name().charAt(0) + reason.name().substring(1).toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static ApiResponse problem(int status, String title, @Nullable String detail, @Nullable String field,
      @Nullable Reason reason, String path) {
    return new ApiResponse(status, ApiResponse.PROBLEM, Map.of(), problemBody(status, title, detail, field, reason, path));
  }

  private static byte[] problemBody(int status, String title, @Nullable String detail, @Nullable String field,
      @Nullable Reason reason, String path) {
    ObjectNode node = object().put("type", "about:blank").put("title", title).put("status", status)
        .put("detail", detail == null ? title : detail).put("instance", path);
    if (field != null) {
      node.put("field", field);
    }
    if (reason != null) {
      node.put("reason", reason.name());
    }
    if (path.startsWith(V1 + "/")) {
      // The reference's clients read errors from "error".
      node.put("error", detail == null ? title : detail);
    }
    return bytes(node);
  }

  private static byte[] readOpenApi() {
    try (InputStream in = ControlPlaneApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
