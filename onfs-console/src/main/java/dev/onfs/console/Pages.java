package dev.onfs.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.onfs.controlplane.ControlPlane;
import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.approval.ApprovalResult;
import dev.onfs.controlplane.compat.Plan;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.request.CreateFeatureGroup;
import dev.onfs.controlplane.request.FeatureSpec;
import dev.onfs.controlplane.request.Payload;
import dev.onfs.controlplane.request.RegisterClient;
import dev.onfs.controlplane.request.RegisterJob;
import dev.onfs.controlplane.request.RequestStatus;
import dev.onfs.controlplane.request.Target;
import dev.onfs.controlplane.rest.ApiRequest;
import dev.onfs.controlplane.rest.ApiResponse;
import dev.onfs.controlplane.storage.RegistryView;
import dev.onfs.controlplane.users.Principal;
import dev.onfs.controlplane.users.Role;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.types.DataType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The console's pages and forms: each reads or calls the control plane with the user's session. */
final class Pages {
  private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final Map<String, String> NOTICES = Map.of(
      "submitted", "Request submitted. An admin reviews it.",
      "approved", "Request approved and published.",
      "rejected", "Request rejected.",
      "withdrawn", "Request withdrawn.",
      "user-created", "User created.",
      "user-changed", "User changed.",
      "signed-out", "Signed out.");

  private final ControlPlane cp;
  private final SampleReads samples;
  private final Freshness freshness;

  Pages(ControlPlane cp, SampleReads samples, Freshness freshness) {
    this.cp = cp;
    this.samples = samples;
    this.freshness = freshness;
  }

  /** One request to a signed-in page. */
  record Ctx(String session, Principal user, Frame frame, ApiRequest request, Console console) {
    Ctx withError(RuntimeException e) {
      String field = e instanceof ControlPlaneException c ? c.field()
          : e instanceof Form.BadForm b ? b.field() : null;
      // Called for OnfsException and Form.BadForm, which always carry a message.
      return new Ctx(session, user, frame.withError(requireNonNull(e.getMessage()), field), request, console);
    }

    String param(String name) {
      String v = request.query().get(name);
      return v == null ? "" : v.trim();
    }

    boolean admin() {
      return user.role() == Role.ADMIN;
    }
  }

  static @Nullable String notice(@Nullable String done) {
    return done == null ? null : NOTICES.get(done);
  }

  ApiResponse get(Ctx c, String path) {
    return get(c, path, 200);
  }

  private ApiResponse get(Ctx c, String path, int status) {
    String[] parts = path.split("/", -1);
    try {
      return switch (parts[0]) {
        case "" -> Console.redirect(Console.PREFIX + "catalog");
        case "catalog" -> page(c, status, "catalog.jte", "Catalog", "catalog", catalog(c));
        case "groups" -> parts.length == 3 ? groupPage(c, status, parts[1], parts[2]) : notFound(c);
        case "stores" -> page(c, status, "stores.jte", "Stores", "stores", stores(c));
        case "callers" -> page(c, status, "callers.jte", "Jobs and clients", "callers", callers(c));
        case "requests" -> parts.length == 1 ? page(c, status, "requests.jte", "Requests", "requests", requests(c))
            : parts.length == 2 && parts[1].equals("new-group")
                ? page(c, status, "new-group.jte", "Request a feature group", "requests", newGroup(c, Map.of()))
                : parts.length == 2 && ID.matcher(parts[1]).matches()
                    ? page(c, status, "request.jte", "Request #" + parts[1], "requests", request(c, Long.parseLong(parts[1])))
                    : notFound(c);
        case "users" -> page(c, status, "users.jte", "Users", "users",
            new Views.Users(cp.users(c.session()), Arrays.stream(Role.values()).map(Role::text).toList()));
        case "audit" -> page(c, status, "audit.jte", "Audit log", "audit", audit(c));
        case "lineage" -> page(c, status, "lineage.jte", "Lineage", "lineage", Lineages.of(cp.registryView(c.session()), c.param("q")));
        default -> notFound(c);
      };
    } catch (OnfsException | Form.BadForm e) {
      if (status != 200) {
        throw e;
      }
      return c.console().render(Console.status(e), "error.jte", c.frame().titled("Not possible", parts[0])
          .withError(requireNonNull(e.getMessage()), null), null); // both always carry a message
    }
  }

  ApiResponse post(Ctx c, String path, Form form) {
    String[] parts = path.split("/", -1);
    String back = path;
    try {
      if (path.equals("requests/new-group")) {
        ChangeRequest r = cp.submit(c.session(), newGroupPayload(form));
        return Console.redirect(Console.PREFIX + "requests/" + r.id() + "?done=submitted");
      }
      if (parts.length == 3 && parts[0].equals("requests") && ID.matcher(parts[1]).matches()) {
        long id = Long.parseLong(parts[1]);
        back = "requests/" + id;
        switch (parts[2]) {
          case "approve" -> {
            ApprovalResult result = cp.approve(c.session(), id, blankToNull(form.get("comment")));
            if (result.token() != null) {
              // The only time the token exists outside its hash: shown on this page, not stored.
              return page(c, 200, "token.jte", "New token", "requests",
                  new Views.Token(id, result.token().caller().toString(), result.token().token()));
            }
            return Console.redirect(Console.PREFIX + back + "?done=approved");
          }
          case "reject" -> {
            cp.reject(c.session(), id, form.get("reason"));
            return Console.redirect(Console.PREFIX + back + "?done=rejected");
          }
          case "withdraw" -> {
            cp.withdraw(c.session(), id, blankToNull(form.get("reason")));
            return Console.redirect(Console.PREFIX + back + "?done=withdrawn");
          }
          default -> {
            return notFound(c);
          }
        }
      }
      if (path.equals("callers")) {
        String id = form.get("id");
        Payload payload = switch (form.get("kind")) {
          case "job" -> new RegisterJob(id);
          case "client" -> new RegisterClient(id);
          default -> throw new Form.BadForm("kind", "kind must be 'job' or 'client'");
        };
        ChangeRequest r = cp.submit(c.session(), payload);
        return Console.redirect(Console.PREFIX + "requests/" + r.id() + "?done=submitted");
      }
      if (path.equals("users")) {
        cp.createUser(c.session(), form.get("name"), role(form), form.all("password").isEmpty() ? new char[0]
            : form.all("password").get(0).toCharArray());
        return Console.redirect(Console.PREFIX + "users?done=user-created");
      }
      if (parts.length == 3 && parts[0].equals("users")) {
        back = "users";
        switch (parts[2]) {
          case "role" -> cp.setRole(c.session(), parts[1], role(form));
          case "active" -> cp.setActive(c.session(), parts[1], form.get("active").equals("true"));
          default -> {
            return notFound(c);
          }
        }
        return Console.redirect(Console.PREFIX + "users?done=user-changed");
      }
      return notFound(c);
    } catch (OnfsException | Form.BadForm e) {
      // The form's page again, with the refusal (naming the field) above it and the input kept.
      Ctx failed = c.withError(e);
      int status = Console.status(e);
      if (path.equals("requests/new-group")) {
        return page(failed, status, "new-group.jte", "Request a feature group", "requests", newGroup(failed, values(form)));
      }
      try {
        return get(failed, back, status);
      } catch (RuntimeException again) {
        return failed.console().render(status, "error.jte", failed.frame().titled("Not possible", parts[0]), null);
      }
    }
  }

  private static Role role(Form form) {
    try {
      return Role.fromText(form.get("role"));
    } catch (IllegalArgumentException e) {
      throw new Form.BadForm("role", "role must be viewer, editor or admin, was '" + form.get("role") + "'");
    }
  }

  private static Map<String, String> values(Form form) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String field : List.of("entity", "label", "data-type", "store", "job", "ttl", "in-memory-cache",
        "distributed-cache", "features", "vector-length", "string-length")) {
      values.put(field, form.all(field).isEmpty() ? "" : form.all(field).get(0));
    }
    return values;
  }

  private static @Nullable String blankToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private ApiResponse page(Ctx c, int status, String template, String title, String section, Object view) {
    return c.console().render(status, template, c.frame().titled(title, section), view);
  }

  private ApiResponse notFound(Ctx c) {
    return c.console().render(404, "error.jte", c.frame().titled("Not found", "").withError("No such page.", null), null);
  }

  // ---- catalog ---------------------------------------------------------------------------------

  private Views.Catalog catalog(Ctx c) {
    int page;
    try {
      page = c.param("page").isEmpty() ? 1 : Math.max(1, Integer.parseInt(c.param("page")));
    } catch (NumberFormatException e) {
      throw new Form.BadForm("page", "page must be a whole number");
    }
    return CatalogSearch.search(cp.registryView(c.session()).snapshot(), c.param("q"), c.param("type"),
        c.param("store"), c.param("job"), page);
  }

  // ---- feature group -----------------------------------------------------------------------------

  private ApiResponse groupPage(Ctx c, int status, String entityLabel, String groupLabel) {
    RegistryView view = cp.registryView(c.session());
    RegistrySnapshot snapshot = view.snapshot();
    Entity entity = snapshot.entity(entityLabel);
    FeatureGroup group = entity == null ? null : entity.featureGroup(groupLabel);
    if (entity == null || group == null) {
      throw new ControlPlaneException(Reason.NOT_FOUND, "group", "entity '" + entityLabel + "' has no feature group '"
          + groupLabel + "'");
    }
    List<Views.HistoryRow> history = new ArrayList<>();
    Target target = Target.featureGroup(entityLabel, groupLabel);
    for (ChangeRequest r : cp.requests(c.session(), RequestStatus.APPROVED)) {
      if (r.payload().targets().contains(target)) {
        history.add(new Views.HistoryRow(r.id(), r.kind().text(), r.requester(), String.valueOf(r.reviewer()),
            time(r.reviewedAt()), r.outcome() == null ? "" : r.outcome()));
      }
    }
    String key = c.param("key");
    List<Map.Entry<String, String>> sample = null;
    String sampleError = null;
    if (!key.isEmpty()) {
      List<String> keyValues = Arrays.stream(key.split(",", -1)).map(String::trim).toList();
      try {
        cp.authorizeFeatureRead(c.session(), entityLabel, groupLabel, keyValues, c.request().remoteAddress());
        sample = List.copyOf(samples.read(entityLabel, groupLabel, keyValues).entrySet());
      } catch (OnfsException e) {
        sampleError = e.getMessage();
      }
    }
    Views.Group v = GroupPage.of(view, entity, group, history, freshness.of(entityLabel, groupLabel), key, sample,
        sampleError);
    return page(c, status, "group.jte", groupLabel + " (" + entityLabel + ")", "catalog", v);
  }

  // ---- stores, jobs and clients ----------------------------------------------------------------

  private Views.Stores stores(Ctx c) {
    RegistrySnapshot snapshot = cp.registryView(c.session()).snapshot();
    List<Views.StoreRow> rows = new ArrayList<>();
    snapshot.stores().values().forEach(s -> {
      List<String> groups = new ArrayList<>();
      for (Entity e : snapshot.entities().values()) {
        for (FeatureGroup g : e.featureGroups().values()) {
          if (g.storeId().equals(s.id())) {
            groups.add(e.label() + "/" + g.label());
          }
        }
      }
      rows.add(new Views.StoreRow(s, groups));
    });
    return new Views.Stores(rows);
  }

  private Views.Callers callers(Ctx c) {
    RegistrySnapshot snapshot = cp.registryView(c.session()).snapshot();
    List<Views.CallerRow> jobs = new ArrayList<>();
    snapshot.writers().values().forEach(w -> jobs.add(new Views.CallerRow(w.id(), GroupPage.scopes(w.scopes()),
        GroupPage.groupsWrittenBy(snapshot, w.id()))));
    List<Views.CallerRow> clients = new ArrayList<>();
    snapshot.readers().values().forEach(r -> clients.add(new Views.CallerRow(r.id(), GroupPage.scopes(r.scopes()),
        List.of())));
    return new Views.Callers(jobs, clients, c.param("kind"), c.param("id"));
  }

  // ---- requests ----------------------------------------------------------------------------------

  private Views.Requests requests(Ctx c) {
    String scope = c.param("scope").isEmpty() ? (c.admin() ? "all" : "mine") : c.param("scope");
    if (!scope.equals("all") && !scope.equals("mine")) {
      throw new Form.BadForm("scope", "scope must be 'mine' or 'all', was '" + scope + "'");
    }
    if (scope.equals("all") && !c.admin()) {
      throw new ControlPlaneException(Reason.FORBIDDEN, "scope", "only admins list every user's requests");
    }
    RequestStatus status = null;
    if (!c.param("status").isEmpty()) {
      try {
        status = RequestStatus.valueOf(c.param("status").toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Form.BadForm("status", "status must be pending, approved, rejected or withdrawn");
      }
    }
    List<Views.RequestRow> rows = new ArrayList<>();
    List<ChangeRequest> all = cp.requests(c.session(), status);
    for (int i = all.size() - 1; i >= 0; i--) {
      ChangeRequest r = all.get(i);
      if (scope.equals("all") || r.requester().equals(c.user().name())) {
        rows.add(new Views.RequestRow(r.id(), r.kind().text(), targets(r.payload()), r.requester(), r.status().name(),
            time(r.submittedAt()), r.reviewer() == null ? "" : r.reviewer(), r.reason() == null ? "" : r.reason()));
      }
    }
    return new Views.Requests(scope, c.param("status"), rows);
  }

  private Views.Request request(Ctx c, long id) {
    ChangeRequest r = cp.request(c.session(), id);
    if (!c.admin() && !r.requester().equals(c.user().name())) {
      throw new ControlPlaneException(Reason.FORBIDDEN, "request-id", "request " + id + " is another user's;"
          + " only admins read every request");
    }
    Views.Plan plan = null;
    String note = null;
    List<Views.DiffRow> diff = List.of();
    if (r.status() == RequestStatus.PENDING) {
      if (c.frame().canEdit()) {
        RegistryView view = cp.registryView(c.session());
        try {
          Plan p = cp.plan(c.session(), r.payload());
          plan = new Views.Plan(p.changeClass().name(), p.changes(), p.warnings(), p.outcome());
          diff = RequestDiff.of(view, p);
        } catch (OnfsException e) {
          // E.g. the registry moved on since submission: the request can still be read and rejected.
          note = "The compatibility check against the current registry fails: " + e.getMessage();
        }
      } else {
        note = "The compatibility check needs role editor or admin.";
      }
    }
    boolean pending = r.status() == RequestStatus.PENDING;
    return new Views.Request(r, targets(r.payload()), payload(r.payload()), plan, note, diff,
        pending && c.admin(), pending && c.frame().canEdit() && r.requester().equals(c.user().name()),
        time(r.submittedAt()), time(r.reviewedAt()));
  }

  private static String targets(Payload payload) {
    if (payload.targets().isEmpty()) {
      return "new store";
    }
    return String.join(", ", payload.targets().stream().map(Target::toString).toList());
  }

  private static String payload(Payload payload) {
    try {
      return JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      return payload.toString();
    }
  }

  static String time(@Nullable Instant at) {
    return at == null ? "" : TIME.format(at);
  }

  // ---- new feature group ---------------------------------------------------------------------------

  private Views.NewGroup newGroup(Ctx c, Map<String, String> values) {
    RegistrySnapshot snapshot = cp.registryView(c.session()).snapshot();
    List<String> types = Arrays.stream(DataType.values()).filter(t -> t != DataType.UNKNOWN).map(Enum::name).toList();
    Map<String, String> v = new LinkedHashMap<>(values);
    if (v.isEmpty()) {
      v.put("data-type", "FP32");
      v.put("ttl", "0");
      String entity = c.param("entity");
      if (!entity.isEmpty()) {
        v.put("entity", entity);
      }
    }
    return new Views.NewGroup(List.copyOf(snapshot.entities().keySet()), types, List.copyOf(snapshot.stores().keySet()),
        List.copyOf(snapshot.writers().keySet()), v);
  }

  /** The form's request: features one per line, {@code label} or {@code label = default}. */
  private static CreateFeatureGroup newGroupPayload(Form form) {
    int vectorLength = form.integer("vector-length", 0);
    int stringLength = form.integer("string-length", 0);
    List<FeatureSpec> features = new ArrayList<>();
    for (String line : form.get("features").split("\\R")) {
      String l = line.trim();
      if (l.isEmpty()) {
        continue;
      }
      int eq = l.indexOf('=');
      String label = eq < 0 ? l : l.substring(0, eq).trim();
      String value = eq < 0 ? null : l.substring(eq + 1).trim();
      features.add(new FeatureSpec(label, value == null || value.isEmpty() ? null : value, stringLength, vectorLength,
          null));
    }
    return new CreateFeatureGroup(form.get("entity"), form.get("label"), form.get("data-type"), form.get("store"),
        form.number("ttl", 0), form.get("job"), form.checked("in-memory-cache"), form.checked("distributed-cache"), 1,
        features);
  }

  // ---- audit ---------------------------------------------------------------------------------------

  private Views.Audit audit(Ctx c) {
    long after;
    try {
      after = c.param("after").isEmpty() ? 0 : Long.parseLong(c.param("after"));
    } catch (NumberFormatException e) {
      throw new Form.BadForm("after", "after must be a whole number");
    }
    int limit = 100;
    var entries = cp.audit(c.session(), after, limit + 1);
    boolean more = entries.size() > limit;
    var shown = more ? entries.subList(0, limit) : entries;
    long next = shown.isEmpty() ? after : shown.get(shown.size() - 1).seq();
    return new Views.Audit(shown, after, next, more);
  }
}
