package dev.onfs.server.health;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One readiness answer: ready when every check is up. {@code quarantined} lists feature groups the
 * registry holds back from serving; they do not make the server unready.
 */
public record ReadinessReport(List<Check> checks, List<String> quarantined) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One named check: {@code server}, {@code registry} or {@code store:<name>}. */
  public record Check(String name, boolean up, String detail) {
    public Check {
      requireNonNull(name, "name is null");
      requireNonNull(detail, "detail is null");
    }
  }

  public ReadinessReport {
    checks = List.copyOf(checks);
    quarantined = List.copyOf(quarantined);
  }

  public boolean ready() {
    return checks.stream().allMatch(Check::up);
  }

  /** {@code SERVING} or {@code NOT_SERVING}, as gRPC health says it. */
  public String status() {
    return ready() ? "SERVING" : "NOT_SERVING";
  }

  /**
   * {@code {"status":"SERVING","checks":[{"name":"registry","state":"UP","detail":"..."},...],
   * "quarantined":[...]}}.
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", status());
    ArrayNode list = root.putArray("checks");
    for (Check check : checks) {
      list.addObject().put("name", check.name()).put("state", check.up() ? "UP" : "DOWN").put("detail", check.detail());
    }
    ArrayNode groups = root.putArray("quarantined");
    quarantined.forEach(groups::add);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
