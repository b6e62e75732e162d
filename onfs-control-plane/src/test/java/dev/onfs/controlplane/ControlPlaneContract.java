package dev.onfs.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.approval.ApprovalResult;
import dev.onfs.controlplane.audit.AuditAction;
import dev.onfs.controlplane.audit.AuditEntry;
import dev.onfs.controlplane.request.AddFeatures;
import dev.onfs.controlplane.request.CacheSpec;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.request.CreateEntity;
import dev.onfs.controlplane.request.CreateFeatureGroup;
import dev.onfs.controlplane.request.EditFeatureGroup;
import dev.onfs.controlplane.request.FeatureSpec;
import dev.onfs.controlplane.request.KeySpec;
import dev.onfs.controlplane.request.Payload;
import dev.onfs.controlplane.request.RegisterClient;
import dev.onfs.controlplane.request.RegisterJob;
import dev.onfs.controlplane.request.RegisterStore;
import dev.onfs.controlplane.request.RequestStatus;
import dev.onfs.controlplane.request.SourceSpec;
import dev.onfs.controlplane.storage.KeyValueStore;
import dev.onfs.controlplane.tokens.Pbkdf2TokenHasher;
import dev.onfs.controlplane.users.AccessPolicy;
import dev.onfs.controlplane.users.Operation;
import dev.onfs.controlplane.users.PasswordHasher;
import dev.onfs.controlplane.users.Principal;
import dev.onfs.controlplane.users.Role;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.testing.WorkedExample;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The control plane end to end over one storage: requests through their lifecycle, the worked
 * example published through approvals, racing approvals, sessions, roles and the audit log. Run
 * against the directory store and against real etcd.
 */
abstract class ControlPlaneContract {
  static final char[] ROOT_PASSWORD = "s3cure-bootstrap-1".toCharArray();
  static final char[] PASSWORD = "a-long-password".toCharArray();
  static final Pbkdf2TokenHasher TOKENS = new Pbkdf2TokenHasher(Pbkdf2TokenHasher.MIN_ITERATIONS);

  /** A fresh, empty store for this test. */
  abstract KeyValueStore newStore();

  /** A second connection to the same store (another control-plane replica). */
  abstract KeyValueStore secondConnection();

  /** The registry app name this test publishes under. */
  abstract String appName();

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  KeyValueStore kv;
  ControlPlane cp;
  String root;
  String ada;
  String ed;
  String vi;

  ControlPlane.Builder builder(KeyValueStore store) {
    return ControlPlane.builder()
        .keyValueStore(store)
        .appName(appName())
        .storeConnection(StoreConnection.withoutSchema(1, "scylla"))
        .storeConnection(StoreConnection.withoutSchema(4, "redis_failover"))
        .sessionSecret("a session secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8))
        .tokenHasher(TOKENS)
        .passwordHasher(new PasswordHasher(8 * 1024, 1))
        .clock(clock, Ticker.systemTicker());
  }

  @BeforeEach
  void setUpControlPlane() {
    kv = newStore();
    cp = builder(kv).build();
    cp.bootstrapAdmin("root", ROOT_PASSWORD);
    root = cp.login("root", ROOT_PASSWORD, "10.0.0.1").token();
    cp.createUser(root, "ada", Role.ADMIN, PASSWORD);
    cp.createUser(root, "ed", Role.EDITOR, PASSWORD);
    cp.createUser(root, "vi", Role.VIEWER, PASSWORD);
    ada = cp.login("ada", PASSWORD, "10.0.0.2").token();
    ed = cp.login("ed", PASSWORD, "10.0.0.3").token();
    vi = cp.login("vi", PASSWORD, "10.0.0.4").token();
  }

  @AfterEach
  void tearDownControlPlane() {
    cp.close();
  }

  /** Submits as {@code submitter} and approves as ada (or root when ada submitted). */
  ApprovalResult through(String submitter, Payload payload) {
    ChangeRequest request = cp.submit(submitter, payload);
    return cp.approve(submitter.equals(ada) ? root : ada, request.id(), null);
  }

  /** Publishes the reference's worked example (spec 2.4) through requests. */
  void publishWorkedExample() {
    assertThat(through(root, new RegisterStore("scylla", 1, "user_features", List.of("user_id"), 0)).plan().outcome())
        .isEqualTo("store 1");
    through(root, new RegisterJob("user_daily_job"));
    through(root, new RegisterClient("ranker"));
    through(ed, new CreateEntity("user", List.of(new KeySpec("user_id", "user_id")), new CacheSpec(true, 300, 10, 2),
        new CacheSpec(false, 0, 0, 3)));
    through(ed, new CreateFeatureGroup("user", "user_stats", "FP32", "1", 86400, "user_daily_job", true, true, 1, List.of(
        new FeatureSpec("ctr", "0.0", 0, 0, new SourceSpec("TABLE", "ds.user_agg", "ctr_7d")),
        new FeatureSpec("orders_30d", "0.0", 0, 0, new SourceSpec("TABLE", "ds.user_agg", "orders_30d")))));
    through(ed, new CreateFeatureGroup("user", "user_embedding", "FP16Vector", "1", 604800, "user_daily_job", false, true,
        1, List.of(new FeatureSpec("emb", "[0,0,0,0,0,0,0,0]", 0, 8,
            new SourceSpec("DELTA_GCS", "gs://bucket/user_emb", "emb_col")))));
  }

  static void refused(Executable call, Reason reason) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  @Test
  void theWorkedExamplePublishedThroughApprovals() {
    publishWorkedExample();
    RegistrySnapshot published = cp.registry(vi);
    assertThat(published.entities()).isEqualTo(WorkedExample.snapshot().entities());
    assertThat(published.stores()).isEqualTo(WorkedExample.snapshot().stores());
    assertThat(published.writers()).containsOnlyKeys("user_daily_job");
    assertThat(published.readers()).containsOnlyKeys("ranker");

    through(ed, new AddFeatures("user", "user_stats", List.of(new FeatureSpec("aov", "1", 0, 0,
        new SourceSpec("TABLE", "ds.user_agg", "aov_30d")))));
    assertThat(cp.registry(vi).entities()).isEqualTo(WorkedExample.afterAddingAov().entities());
    assertThat(kv.get("/config/" + appName() + "/source/user|user_stats|aov").value()).isEqualTo("TABLE|ds.user_agg|aov_30d|1");
    assertThat(kv.get("/config/" + appName() + "/entities/user/feature-groups/user_stats/active-version").value())
        .isEqualTo("2");
  }

  @Test
  void tokensAreShownOnceAndOnlyTheirHashIsStored() {
    ApprovalResult result = through(root, new RegisterJob("item_job"));
    String token = result.token().token();
    assertThat(result.token().caller().toString()).isEqualTo("writer:item_job");

    String stored = kv.get("/config/" + appName() + "/security/writer/item_job").value();
    assertThat(stored).startsWith("{\"token\":\"$pbkdf2-sha256$i=100000$");
    String hash = stored.substring("{\"token\":\"".length(), stored.length() - 2);
    assertThat(TOKENS.matches(token, hash)).isTrue();
    // The token is nowhere in storage: not in the request, the audit log or the registry.
    for (KeyValueStore.Entry entry : kv.range("/").entries().values()) {
      assertThat(entry.value()).as(entry.key()).doesNotContain(token);
    }
    assertThat(cp.registry(vi).writer("item_job").token()).isEmpty();
    assertThat(cp.audit(ada, 0, 1000)).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo(AuditAction.TOKEN_ISSUED);
      assertThat(e.subject()).isEqualTo("writer:item_job");
    });
  }

  @Test
  void approvalNeedsASecondAdminUnlessSingleAdminModeIsOn() {
    ChangeRequest own = cp.submit(ada, new RegisterClient("c1"));
    refused(() -> cp.approve(ada, own.id(), null), Reason.FORBIDDEN);
    refused(() -> cp.approve(ed, own.id(), null), Reason.FORBIDDEN);
    assertThat(cp.request(vi, own.id()).status()).isEqualTo(RequestStatus.PENDING);

    try (ControlPlane single = builder(kv).singleAdminMode(true).build()) {
      String adaThere = single.login("ada", PASSWORD, null).token();
      assertThat(single.approve(adaThere, own.id(), "demo").request().status()).isEqualTo(RequestStatus.APPROVED);
    }
  }

  @Test
  void rejectAndWithdraw() {
    publishWorkedExample();
    ChangeRequest a = cp.submit(ed, new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("a", "1"))));
    ChangeRequest b = cp.submit(ed, new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("b", "1"))));

    assertThatThrownBy(() -> cp.reject(ada, a.id(), " "))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.field()).isEqualTo("reason"));
    ChangeRequest rejected = cp.reject(ada, a.id(), "name it avg_order_value");
    assertThat(rejected.status()).isEqualTo(RequestStatus.REJECTED);
    assertThat(rejected.reviewer()).isEqualTo("ada");
    assertThat(rejected.reason()).isEqualTo("name it avg_order_value");
    refused(() -> cp.approve(ada, a.id(), null), Reason.INVALID_STATE);
    refused(() -> cp.withdraw(ed, a.id(), null), Reason.INVALID_STATE);

    refused(() -> cp.withdraw(root, b.id(), null), Reason.FORBIDDEN);
    assertThat(cp.withdraw(ed, b.id(), "not needed").status()).isEqualTo(RequestStatus.WITHDRAWN);
    refused(() -> cp.reject(ada, b.id(), "late"), Reason.INVALID_STATE);
    refused(() -> cp.approve(ada, 999, null), Reason.NOT_FOUND);

    assertThat(cp.registry(vi).featureGroup("user", "user_stats").activeVersion()).isEqualTo(1);
    assertThat(cp.requests(vi, RequestStatus.PENDING)).isEmpty();
  }

  @Test
  void anApprovalThatLosesToARejectionPublishesNothing() {
    publishWorkedExample();
    ChangeRequest request = cp.submit(ed, new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("late", "1"))));
    InterceptingStore intercepting = new InterceptingStore(kv);
    try (ControlPlane racing = builder(intercepting).build()) {
      String rootThere = racing.login("root", ROOT_PASSWORD, null).token();
      // The rejection lands after the approval read the request and planned, before its transaction.
      intercepting.beforeNextCommit(() -> cp.reject(ada, request.id(), "not now"));
      assertThatThrownBy(() -> racing.approve(rootThere, request.id(), null))
          .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT))
          .hasMessageContaining("rejected by ada meanwhile");
    }
    assertThat(cp.request(vi, request.id()).status()).isEqualTo(RequestStatus.REJECTED);
    assertThat(cp.registry(vi).featureGroup("user", "user_stats").activeVersion()).isEqualTo(1);
  }

  @Test
  void anApprovalStartingAsAnotherCommitsSaysTheRequestWasDecided() {
    publishWorkedExample();
    ChangeRequest request = cp.submit(ed, new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("z", "1"))));
    InterceptingStore intercepting = new InterceptingStore(kv);
    try (ControlPlane racing = builder(intercepting).build()) {
      String rootThere = racing.login("root", ROOT_PASSWORD, null).token();
      // The other approval lands just as this one starts reading: it must not pass for a stale request.
      intercepting.beforeNextRange(() -> cp.approve(ada, request.id(), null));
      assertThatThrownBy(() -> racing.approve(rootThere, request.id(), null))
          .isInstanceOfSatisfying(ControlPlaneException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_STATE))
          .hasMessageContaining("approved by ada");
    }
  }

  @Test
  void anApprovalLandingBetweenTheRegistryReadsOfAnotherIsNotLost() {
    publishWorkedExample();
    ChangeRequest g1 = cp.submit(ed, new CreateFeatureGroup("user", "g1", "Int64", "1", 0, "user_daily_job", false,
        false, 1, List.of(FeatureSpec.of("a", "1"))));
    ChangeRequest g2 = cp.submit(ed, new CreateFeatureGroup("user", "g2", "Int64", "1", 0, "user_daily_job", false,
        false, 1, List.of(FeatureSpec.of("b", "2"))));
    InterceptingStore intercepting = new InterceptingStore(kv);
    try (ControlPlane racing = builder(intercepting).build()) {
      String rootThere = racing.login("root", ROOT_PASSWORD, null).token();
      // The other approval commits between the two range reads of this approval's registry view, so
      // that one read sees the registry before it and the other after it.
      intercepting.beforeNextRange(() -> intercepting.beforeNextRange(() -> cp.approve(ada, g2.id(), null)));
      racing.approve(rootThere, g1.id(), null);
    }
    RegistrySnapshot published = cp.registry(vi);
    assertThat(Set.of(published.featureGroup("user", "g1").id(), published.featureGroup("user", "g2").id()))
        .containsExactlyInAnyOrder(2, 3);
  }

  @Test
  void aRequestWhoseTargetChangedSinceSubmitIsStale() {
    publishWorkedExample();
    ChangeRequest first = cp.submit(ed, new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("x", "1"))));
    ChangeRequest second = cp.submit(ed, new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("y", "1"))));
    cp.approve(ada, first.id(), null);

    assertThatThrownBy(() -> cp.approve(ada, second.id(), null))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.reason()).isEqualTo(Reason.STALE))
        .hasMessageContaining("feature-group:user/user_stats");
    assertThat(cp.request(vi, second.id()).status()).isEqualTo(RequestStatus.PENDING);
    assertThat(cp.registry(vi).featureGroup("user", "user_stats").activeFeatures().labels())
        .containsExactly("ctr", "orders_30d", "x");
  }

  @Test
  void badInputIsRefusedNamingTheFieldAndNothingIsStored() {
    publishWorkedExample();
    RegistrySnapshot before = cp.registry(vi);
    int requests = cp.requests(vi, null).size();

    assertThatThrownBy(() -> cp.submit(ed, new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("bad label", "1")))))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INVALID);
          assertThat(e.field()).isEqualTo("features[0].label");
        });
    assertThatThrownBy(() -> cp.submit(ed, new CreateFeatureGroup("user", "g", "FP99", "1", 0, "user_daily_job", false,
        false, 1, List.of())))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.field()).isEqualTo("data-type"));
    refused(() -> cp.submit(ed, new EditFeatureGroup("user", "user_stats", null, null, null,
        null, null, "FP64", null, null)), Reason.BREAKING_CHANGE);

    assertThat(cp.registry(vi)).isEqualTo(before);
    assertThat(cp.requests(vi, null)).hasSize(requests);
  }

  @Test
  void twoAdminsApprovingTheSameRequestAtOnceExactlyOneWins() throws Exception {
    publishWorkedExample();
    try (KeyValueStore second = secondConnection(); ControlPlane replica = builder(second).build()) {
      String rootThere = replica.login("root", ROOT_PASSWORD, null).token();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 4; round++) {
          ChangeRequest request = cp.submit(ed, new AddFeatures("user", "user_stats",
              List.of(FeatureSpec.of("r" + round, "1"))));
          CountDownLatch start = new CountDownLatch(1);
          List<Callable<ApprovalResult>> approvals = List.of(
              () -> {
                start.await();
                return cp.approve(ada, request.id(), null);
              },
              () -> {
                start.await();
                return replica.approve(rootThere, request.id(), null);
              });
          List<Future<ApprovalResult>> futures = new ArrayList<>();
          approvals.forEach(a -> futures.add(pool.submit(a)));
          start.countDown();
          int won = 0;
          for (Future<ApprovalResult> future : futures) {
            try {
              future.get(60, TimeUnit.SECONDS);
              won++;
            } catch (ExecutionException e) {
              assertThat(e.getCause()).isInstanceOfSatisfying(ControlPlaneException.class,
                  c -> assertThat(c.reason()).isIn(Reason.CONFLICT, Reason.INVALID_STATE));
            }
          }
          assertThat(won).as("round " + round).isEqualTo(1);
          FeatureGroup stats = cp.registry(vi).featureGroup("user", "user_stats");
          assertThat(stats.activeVersion()).isEqualTo(2 + round);
          assertThat(stats.versions()).hasSize(2 + round);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void concurrentApprovalsOfNewGroupsInOneEntityGetDistinctIdsAndColumns() throws Exception {
    publishWorkedExample();
    try (KeyValueStore second = secondConnection(); ControlPlane replica = builder(second).build()) {
      String rootThere = replica.login("root", ROOT_PASSWORD, null).token();
      ChangeRequest g1 = cp.submit(ed, new CreateFeatureGroup("user", "g1", "Int64", "1", 0, "user_daily_job", false,
          false, 1, List.of(FeatureSpec.of("a", "1"))));
      ChangeRequest g2 = cp.submit(ed, new CreateFeatureGroup("user", "g2", "Int64", "1", 0, "user_daily_job", false,
          false, 1, List.of(FeatureSpec.of("b", "2"))));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        CountDownLatch start = new CountDownLatch(1);
        Future<ApprovalResult> one = pool.submit(() -> {
          start.await();
          return cp.approve(ada, g1.id(), null);
        });
        Future<ApprovalResult> two = pool.submit(() -> {
          start.await();
          return replica.approve(rootThere, g2.id(), null);
        });
        start.countDown();
        one.get(60, TimeUnit.SECONDS);
        two.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      RegistrySnapshot published = cp.registry(vi);
      FeatureGroup first = published.featureGroup("user", "g1");
      FeatureGroup secondGroup = published.featureGroup("user", "g2");
      assertThat(Set.of(first.id(), secondGroup.id())).containsExactlyInAnyOrder(2, 3);
      Set<String> columns = new HashSet<>(first.columnLabels());
      assertThat(columns).doesNotContainAnyElementsOf(secondGroup.columnLabels());
    }
  }

  @Test
  void sessionsEndAtOnceOnDeactivationRoleChangeLogoutAndExpiry() {
    assertThat(cp.whoAmI(ed)).isEqualTo(new Principal("ed", Role.EDITOR));
    cp.setActive(root, "ed", false);
    refused(() -> cp.whoAmI(ed), Reason.UNAUTHENTICATED);
    refused(() -> cp.login("ed", PASSWORD, null), Reason.UNAUTHENTICATED);
    cp.setActive(root, "ed", true);
    String edAgain = cp.login("ed", PASSWORD, null).token();
    assertThat(cp.whoAmI(edAgain).role()).isEqualTo(Role.EDITOR);

    cp.setRole(root, "vi", Role.EDITOR);
    refused(() -> cp.registry(vi), Reason.UNAUTHENTICATED);
    assertThat(cp.login("vi", PASSWORD, null).role()).isEqualTo(Role.EDITOR);

    cp.logout(edAgain, null);
    refused(() -> cp.whoAmI(edAgain), Reason.UNAUTHENTICATED);

    String fresh = cp.login("ed", PASSWORD, null).token();
    clock.advance(Duration.ofHours(13));
    refused(() -> cp.whoAmI(fresh), Reason.UNAUTHENTICATED);
    refused(() -> cp.whoAmI("not-a-session"), Reason.UNAUTHENTICATED);
  }

  @Test
  void loginsAreRateLimitedAndTheLastAdminStays() {
    for (int i = 0; i < 5; i++) {
      refused(() -> cp.login("ed", "wrong-password".toCharArray(), "10.9.9.9"), Reason.UNAUTHENTICATED);
    }
    refused(() -> cp.login("ed", PASSWORD, "10.9.9.8"), Reason.RATE_LIMITED);
    refused(() -> cp.login("nobody", PASSWORD, null), Reason.UNAUTHENTICATED);

    cp.setActive(root, "ada", false);
    refused(() -> cp.setRole(root, "root", Role.EDITOR), Reason.INVALID_STATE);
    refused(() -> cp.setActive(root, "root", false), Reason.INVALID_STATE);
    refused(() -> cp.bootstrapAdmin("second", "another-password".toCharArray()), Reason.INVALID_STATE);
    refused(() -> cp.createUser(root, "ed", Role.VIEWER, PASSWORD), Reason.ALREADY_EXISTS);
    assertThatThrownBy(() -> cp.createUser(root, "short", Role.VIEWER, "abc".toCharArray()))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.field()).isEqualTo("password"))
        .hasMessageNotContaining("abc");
  }

  @Test
  void everyRoleAgainstEveryOperationOfTheFacade() {
    Map<Operation, Consumer<String>> calls = new EnumMap<>(Operation.class);
    calls.put(Operation.VIEW_REGISTRY, s -> cp.registry(s));
    calls.put(Operation.VIEW_REQUESTS, s -> cp.requests(s, null));
    calls.put(Operation.PLAN, s -> cp.plan(s, new RegisterClient("planned")));
    calls.put(Operation.SUBMIT_SCHEMA_CHANGE, s -> cp.submit(s, new CreateEntity("e" + Math.abs(s.hashCode()),
        List.of(new KeySpec("id", "id")), null, null)));
    calls.put(Operation.SUBMIT_REGISTRATION, s -> cp.submit(s, new RegisterClient("c" + Math.abs(s.hashCode()))));
    calls.put(Operation.WITHDRAW, s -> cp.withdraw(s, 999_999, null));
    calls.put(Operation.APPROVE, s -> cp.approve(s, 999_999, null));
    calls.put(Operation.REJECT, s -> cp.reject(s, 999_999, "no"));
    calls.put(Operation.VIEW_USERS, s -> cp.users(s));
    calls.put(Operation.MANAGE_USERS, s -> cp.setActive(s, "nobody", true));
    calls.put(Operation.VIEW_AUDIT, s -> cp.audit(s, 0, 10));
    calls.put(Operation.CHANGE_OWN_PASSWORD, s -> cp.changePassword(s, "not-the-password".toCharArray(),
        "new-password-123".toCharArray()));
    calls.put(Operation.READ_FEATURES, s -> cp.authorizeFeatureRead(s, "nobody", "nothing", List.of("1"), null));
    assertThat(calls.keySet()).containsExactlyInAnyOrder(Operation.values());

    Map<Role, String> sessions = Map.of(Role.VIEWER, vi, Role.EDITOR, ed, Role.ADMIN, ada);
    for (Role role : Role.values()) {
      for (Operation operation : Operation.values()) {
        boolean allowed = AccessPolicy.allows(role, operation);
        Reason outcome = null;
        try {
          calls.get(operation).accept(sessions.get(role));
        } catch (ControlPlaneException e) {
          outcome = e.reason();
        }
        if (allowed) {
          assertThat(outcome).as(role + " " + operation).isNotEqualTo(Reason.FORBIDDEN);
        } else {
          assertThat(outcome).as(role + " " + operation).isEqualTo(Reason.FORBIDDEN);
        }
      }
    }
  }

  @Test
  void theAuditLogRecordsEveryDecisionLoginAndUserChangeInOrder() {
    publishWorkedExample();
    ChangeRequest a = cp.submit(ed, new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("a", "1"))));
    cp.reject(ada, a.id(), "no");
    ChangeRequest b = cp.submit(ed, new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("b", "1"))));
    cp.withdraw(ed, b.id(), null);
    refused(() -> cp.login("vi", "wrong-password".toCharArray(), "10.1.1.1"), Reason.UNAUTHENTICATED);
    cp.setRole(root, "vi", Role.EDITOR);
    cp.logout(ed, null);

    List<AuditEntry> log = cp.audit(ada, 0, 10_000);
    Set<AuditAction> actions = new HashSet<>();
    log.forEach(e -> actions.add(e.action()));
    assertThat(actions).contains(AuditAction.BOOTSTRAP_ADMIN, AuditAction.USER_CREATED, AuditAction.LOGIN,
        AuditAction.SUBMIT, AuditAction.APPROVE, AuditAction.TOKEN_ISSUED, AuditAction.REJECT, AuditAction.WITHDRAW,
        AuditAction.LOGIN_FAILED, AuditAction.ROLE_CHANGED, AuditAction.LOGOUT);
    for (int i = 1; i < log.size(); i++) {
      assertThat(log.get(i).seq()).isGreaterThanOrEqualTo(log.get(i - 1).seq());
    }
    assertThat(log).filteredOn(e -> e.action() == AuditAction.REJECT).singleElement()
        .satisfies(e -> assertThat(e.subject()).isEqualTo("request " + a.id()));
    // Paging: entries after the last seen one.
    long middle = log.get(log.size() / 2).seq();
    assertThat(cp.audit(ada, middle, 10_000)).allSatisfy(e -> assertThat(e.seq()).isGreaterThan(middle));
    for (AuditEntry entry : log) {
      assertThat(entry.detail()).doesNotContain(new String(PASSWORD)).doesNotContain(new String(ROOT_PASSWORD));
    }
  }
}
