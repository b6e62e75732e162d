package dev.onfs.controlplane.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onfs.controlplane.audit.AuditAction;
import dev.onfs.controlplane.audit.AuditEntry;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.request.Payload;
import dev.onfs.controlplane.request.RequestKind;
import dev.onfs.controlplane.request.RequestStatus;
import dev.onfs.controlplane.users.Role;
import dev.onfs.controlplane.users.SessionRecord;
import dev.onfs.controlplane.users.User;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The JSON stored for each record: kebab-case fields, instants in ISO-8601, payloads tagged by kind. */
final class Records {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      // Stored records outlive code versions: a field a newer version added is ignored, not fatal.
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Records() {}

  static String write(ChangeRequest r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", r.id());
    node.put("kind", r.kind().text());
    node.put("requester", r.requester());
    node.put("submitted-at", r.submittedAt().toString());
    node.set("payload", JSON.valueToTree(r.payload()));
    node.put("status", r.status().name());
    putNullable(node, "reviewer", r.reviewer());
    putNullable(node, "reviewed-at", r.reviewedAt() == null ? null : r.reviewedAt().toString());
    putNullable(node, "reason", r.reason());
    ObjectNode targets = node.putObject("target-revisions");
    r.targetRevisions().forEach(targets::put);
    putNullable(node, "outcome", r.outcome());
    return text(node);
  }

  static ChangeRequest readRequest(String json) {
    JsonNode node = tree(json);
    RequestKind kind = RequestKind.fromText(node.path("kind").asText());
    Payload payload;
    try {
      payload = JSON.treeToValue(node.path("payload"), kind.payloadType());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored request " + node.path("id").asLong() + " has an unreadable payload: "
          + e.getOriginalMessage(), e);
    }
    Map<String, Long> targets = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.path("target-revisions").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      targets.put(field.getKey(), field.getValue().asLong());
    }
    String reviewedAt = nullable(node, "reviewed-at");
    return new ChangeRequest(node.path("id").asLong(), node.path("requester").asText(),
        Instant.parse(node.path("submitted-at").asText()), payload, RequestStatus.valueOf(node.path("status").asText()),
        nullable(node, "reviewer"), reviewedAt == null ? null : Instant.parse(reviewedAt), nullable(node, "reason"),
        targets, nullable(node, "outcome"));
  }

  static String write(User u) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", u.name());
    node.put("role", u.role().text());
    node.put("active", u.active());
    node.put("password-hash", u.passwordHash());
    node.put("epoch", u.epoch());
    node.put("created-at", u.createdAt().toString());
    node.put("updated-at", u.updatedAt().toString());
    return text(node);
  }

  static User readUser(String json) {
    JsonNode node = tree(json);
    return new User(node.path("name").asText(), Role.fromText(node.path("role").asText()), node.path("active").asBoolean(),
        node.path("password-hash").asText(), node.path("epoch").asLong(), Instant.parse(node.path("created-at").asText()),
        Instant.parse(node.path("updated-at").asText()));
  }

  static String write(SessionRecord s) {
    ObjectNode node = JSON.createObjectNode();
    node.put("user", s.user());
    node.put("epoch", s.epoch());
    node.put("created-at", s.createdAt().toString());
    node.put("expires-at", s.expiresAt().toString());
    putNullable(node, "remote-address", s.remoteAddress());
    return text(node);
  }

  static SessionRecord readSession(String json) {
    JsonNode node = tree(json);
    return new SessionRecord(node.path("user").asText(), node.path("epoch").asLong(),
        Instant.parse(node.path("created-at").asText()), Instant.parse(node.path("expires-at").asText()),
        nullable(node, "remote-address"));
  }

  static String write(AuditEntry a) {
    ObjectNode node = JSON.createObjectNode();
    node.put("at", a.at().toString());
    node.put("actor", a.actor());
    node.put("action", a.action().name());
    node.put("subject", a.subject());
    node.put("detail", a.detail());
    putNullable(node, "remote-address", a.remoteAddress());
    return text(node);
  }

  static AuditEntry readAudit(String json, long seq) {
    JsonNode node = tree(json);
    return new AuditEntry(seq, Instant.parse(node.path("at").asText()), node.path("actor").asText(),
        AuditAction.valueOf(node.path("action").asText()), node.path("subject").asText(), node.path("detail").asText(),
        nullable(node, "remote-address"));
  }

  private static void putNullable(ObjectNode node, String field, @Nullable String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  private static @Nullable String nullable(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored record is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String text(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
