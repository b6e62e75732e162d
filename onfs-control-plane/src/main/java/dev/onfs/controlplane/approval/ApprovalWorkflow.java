package dev.onfs.controlplane.approval;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.StoreConnection;
import dev.onfs.controlplane.audit.AuditAction;
import dev.onfs.controlplane.audit.AuditEntry;
import dev.onfs.controlplane.compat.Plan;
import dev.onfs.controlplane.compat.Planner;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.request.RequestStatus;
import dev.onfs.controlplane.request.Target;
import dev.onfs.controlplane.storage.ControlPlaneStore;
import dev.onfs.controlplane.storage.Publication;
import dev.onfs.controlplane.storage.RegistryView;
import dev.onfs.controlplane.storage.Versioned;
import dev.onfs.controlplane.tokens.IssuedToken;
import dev.onfs.controlplane.tokens.TokenHasher;
import dev.onfs.controlplane.users.Principal;
import dev.onfs.core.registry.RegistrySnapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Approves, rejects and withdraws requests. Callers have checked the role; this checks everything
 * that depends on the request: its status, the four-eyes rule, staleness, the plan.
 */
public final class ApprovalWorkflow {
  /** Tries of an approval whose transaction lost to an approval of another request on the same entity. */
  private static final int ATTEMPTS = 3;

  private final ControlPlaneStore store;
  private final Planner planner;
  private final SchemaApplier schema;
  private final TokenHasher tokens;
  private final Clock clock;
  private final boolean singleAdminMode;

  /**
   * @param singleAdminMode lets an admin approve their own requests (a demo with one admin); off,
   *     approvals need a second admin
   */
  public ApprovalWorkflow(ControlPlaneStore store, Planner planner, Map<Integer, StoreConnection> connections,
      TokenHasher tokens, Clock clock, boolean singleAdminMode) {
    this.store = requireNonNull(store, "store is null");
    this.planner = requireNonNull(planner, "planner is null");
    this.schema = new SchemaApplier(Map.copyOf(connections));
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.singleAdminMode = singleAdminMode;
  }

  /**
   * Approves a pending request: publishes it and marks it approved in one transaction.
   *
   * @throws ControlPlaneException NOT_FOUND, INVALID_STATE (not pending), FORBIDDEN (own request),
   *     STALE (a target changed since submit), the planner's refusals, UNAVAILABLE (schema change
   *     failed), CONFLICT (lost a race)
   */
  public ApprovalResult approve(Principal admin, long id, @Nullable String comment) {
    for (int attempt = 1; ; attempt++) {
      // The registry first, then the request: an approval of this request that lands in between then
      // shows as the request's new status, not as a stale target.
      RegistryView view = store.registry();
      Versioned<ChangeRequest> current = pending(id, "approve");
      ChangeRequest request = current.value();
      if (request.requester().equals(admin.name()) && !singleAdminMode) {
        throw new ControlPlaneException(Reason.FORBIDDEN, null, "request " + id + " was submitted by " + admin.name()
            + ", who may not approve it: approvals need a second admin (or single-admin mode)");
      }
      checkNotStale(request, view);
      Plan plan = planner.plan(view.snapshot(), view.sources(), request.payload()).requireAcceptable();
      // DDL first: a crash after it leaves columns nobody uses yet; approving again completes.
      schema.apply(id, plan.schemaSteps());
      RegistrySnapshot after = plan.requireAfter();
      IssuedToken issued = null;
      Instant now = clock.instant();
      List<AuditEntry> audit = new ArrayList<>();
      Target credential = plan.credential();
      if (credential != null) {
        issued = IssuedToken.generate(credential);
        String hash = tokens.hash(issued.token());
        after = credential.type() == Target.Type.WRITER
            ? after.toBuilder().writerToken(credential.name(), hash).build()
            : after.toBuilder().readerToken(credential.name(), hash).build();
      }
      ChangeRequest approved = request.decided(RequestStatus.APPROVED, admin.name(), now, comment, plan.outcome());
      audit.add(AuditEntry.of(now, admin.name(), AuditAction.APPROVE, "request " + id,
          request.kind().text() + " by " + request.requester() + ": published " + plan.outcome(), null));
      if (credential != null) {
        audit.add(AuditEntry.of(now, admin.name(), AuditAction.TOKEN_ISSUED, credential.toString(),
            "token made for request " + id + "; only its hash is stored", null));
      }
      long revision = store.publish(current, approved, view,
          new Publication(after, plan.changedTargets(), plan.sourceChanges()), audit);
      if (revision > 0) {
        return new ApprovalResult(approved, plan, issued, revision);
      }
      Versioned<ChangeRequest> latest = store.request(id);
      if (latest == null || latest.value().status() != RequestStatus.PENDING || attempt == ATTEMPTS) {
        throw new ControlPlaneException(Reason.CONFLICT, null, "request " + id + " could not be approved: "
            + (latest == null ? "it disappeared"
                : latest.value().status() != RequestStatus.PENDING
                    ? "it was " + latest.value().status().name().toLowerCase(Locale.ROOT) + " by "
                        + latest.value().reviewer() + " meanwhile"
                    : "the registry kept changing under it (concurrent approvals); approve it again"));
      }
      // Another approval changed the same entity meanwhile; the staleness check decides on the next try.
    }
  }

  /** Rejects a pending request; {@code reason} is required. */
  public ChangeRequest reject(Principal admin, long id, String reason) {
    if (reason == null || reason.isBlank()) {
      throw ControlPlaneException.invalid("reason", "reason is missing: a rejection needs a reason");
    }
    return decide(admin, id, RequestStatus.REJECTED, reason, AuditAction.REJECT, "reject", "rejected");
  }

  /** Withdraws a pending request; only its requester may. */
  public ChangeRequest withdraw(Principal requester, long id, @Nullable String reason) {
    Versioned<ChangeRequest> current = pending(id, "withdraw");
    if (!current.value().requester().equals(requester.name())) {
      throw new ControlPlaneException(Reason.FORBIDDEN, null, "request " + id + " was submitted by "
          + current.value().requester() + "; only they may withdraw it (an admin may reject it)");
    }
    return decide(requester, id, RequestStatus.WITHDRAWN, reason, AuditAction.WITHDRAW, "withdraw", "withdrawn");
  }

  private ChangeRequest decide(Principal who, long id, RequestStatus status, @Nullable String reason, AuditAction action,
      String verb, String done) {
    Versioned<ChangeRequest> current = pending(id, verb);
    Instant now = clock.instant();
    ChangeRequest decided = current.value().decided(status, who.name(), now, reason, null);
    AuditEntry audit = AuditEntry.of(now, who.name(), action, "request " + id,
        current.value().kind().text() + " by " + current.value().requester() + (reason == null ? "" : ": " + reason), null);
    if (!store.decide(current, decided, audit)) {
      Versioned<ChangeRequest> after = store.request(id);
      throw new ControlPlaneException(Reason.CONFLICT, null, "request " + id + " could not be " + done + ": it was "
          + (after == null ? "removed" : after.value().status().name().toLowerCase(Locale.ROOT) + " by "
              + after.value().reviewer()) + " meanwhile");
    }
    return decided;
  }

  private Versioned<ChangeRequest> pending(long id, String verb) {
    Versioned<ChangeRequest> current = store.request(id);
    if (current == null) {
      throw new ControlPlaneException(Reason.NOT_FOUND, "request-id", "request " + id + " does not exist");
    }
    ChangeRequest request = current.value();
    if (request.status() != RequestStatus.PENDING) {
      throw new ControlPlaneException(Reason.INVALID_STATE, null, "cannot " + verb + " request " + id + ": it was "
          + request.status().name().toLowerCase(Locale.ROOT) + " by " + request.reviewer() + " at "
          + request.reviewedAt());
    }
    return current;
  }

  /** Refuses when a target of the request changed after it was submitted. */
  private static void checkNotStale(ChangeRequest request, RegistryView view) {
    for (Map.Entry<String, Long> e : request.targetRevisions().entrySet()) {
      Target target = Target.parse(e.getKey());
      long now = view.revision(target);
      if (now != e.getValue()) {
        throw new ControlPlaneException(Reason.STALE, null, "request " + request.id() + " was submitted against " + target
            + " at revision " + e.getValue() + ", which has changed since (now revision " + now
            + "); reject or withdraw it and submit it again against the current registry");
      }
    }
  }
}
