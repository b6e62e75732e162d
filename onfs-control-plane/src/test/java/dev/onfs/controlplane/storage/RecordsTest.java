package dev.onfs.controlplane.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.controlplane.audit.AuditAction;
import dev.onfs.controlplane.audit.AuditEntry;
import dev.onfs.controlplane.request.AddFeatures;
import dev.onfs.controlplane.request.CacheSpec;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.request.CreateEntity;
import dev.onfs.controlplane.request.CreateFeatureGroup;
import dev.onfs.controlplane.request.DeleteFeatures;
import dev.onfs.controlplane.request.EditEntity;
import dev.onfs.controlplane.request.EditFeatureGroup;
import dev.onfs.controlplane.request.EditFeatures;
import dev.onfs.controlplane.request.FeatureSpec;
import dev.onfs.controlplane.request.KeySpec;
import dev.onfs.controlplane.request.Payload;
import dev.onfs.controlplane.request.RegisterClient;
import dev.onfs.controlplane.request.RegisterJob;
import dev.onfs.controlplane.request.RegisterStore;
import dev.onfs.controlplane.request.RequestKind;
import dev.onfs.controlplane.request.RequestStatus;
import dev.onfs.controlplane.request.SourceSpec;
import dev.onfs.controlplane.users.Role;
import dev.onfs.controlplane.users.SessionRecord;
import dev.onfs.controlplane.users.User;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordsTest {
  private static final Instant T = Instant.parse("2026-03-01T10:15:30.123Z");

  static List<Payload> everyKind() {
    return List.of(
        new CreateEntity("user", List.of(new KeySpec("user_id", "user_id")), new CacheSpec(true, 300, 10, 2), null),
        new EditEntity("user", null, new CacheSpec(false, 0, 0, 3)),
        new CreateFeatureGroup("user", "g", "FP32", "1", 60, "job", true, false, 1,
            List.of(new FeatureSpec("a", "0.5", 0, 0, new SourceSpec("TABLE", "ds.t", "a_col")), FeatureSpec.of("b", null))),
        new EditFeatureGroup("user", "g", 10L, null, true, "job2", 1, null, null, List.of(FeatureSpec.of("a", "1"))),
        new AddFeatures("user", "g", List.of(FeatureSpec.of("c", "2"))),
        new EditFeatures("user", "g", List.of(new FeatureSpec("s", "x", 4, 0, null))),
        new DeleteFeatures("user", "g", List.of("a", "b")),
        new RegisterStore("scylla", 1, "t", List.of("user_id"), 0),
        new RegisterJob("job"),
        new RegisterClient("client"));
  }

  @Test
  void requestsOfEveryKindRoundTrip() {
    Set<RequestKind> seen = EnumSet.noneOf(RequestKind.class);
    for (Payload payload : everyKind()) {
      ChangeRequest request = ChangeRequest.pending(7, "alice", T, payload, Map.of("feature-group:user/g", 42L))
          .decided(RequestStatus.REJECTED, "bob", T.plusSeconds(5), "no", null);
      assertThat(Records.readRequest(Records.write(request))).isEqualTo(request);
      seen.add(payload.kind());
    }
    assertThat(seen).isEqualTo(EnumSet.allOf(RequestKind.class));
  }

  @Test
  void storedFieldsAreKebabCase() {
    String json = Records.write(ChangeRequest.pending(1, "alice", T,
        new CreateFeatureGroup("user", "g", "FP32", "1", 60, "job", true, false, 1, List.of()), Map.of()));
    assertThat(json).contains("\"kind\":\"create-feature-group\"", "\"feature-group\":\"g\"", "\"ttl-in-seconds\":60",
        "\"in-memory-cache-enabled\":true", "\"submitted-at\":\"2026-03-01T10:15:30.123Z\"");
  }

  @Test
  void usersSessionsAndAuditEntriesRoundTrip() {
    User user = new User("alice", Role.EDITOR, true, "$argon2id$v=19$m=19456,t=2,p=1$x$y", 3, T, T.plusSeconds(1));
    assertThat(Records.readUser(Records.write(user))).isEqualTo(user);
    SessionRecord session = new SessionRecord("alice", 3, T, T.plusSeconds(60), "10.0.0.1");
    assertThat(Records.readSession(Records.write(session))).isEqualTo(session);
    AuditEntry entry = AuditEntry.of(T, "alice", AuditAction.SUBMIT, "request 1", "add-features", null);
    assertThat(Records.readAudit(Records.write(entry), 12)).isEqualTo(entry.withSeq(12));
    assertThat(user.toString()).doesNotContain("argon2");
  }
}
