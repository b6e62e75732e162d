package dev.onfs.controlplane.request;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A change request and its fate.
 *
 * @param id unique, allotted in submission order from 1
 * @param requester the user who submitted it
 * @param submittedAt when it was submitted
 * @param payload what it asks for
 * @param status pending, approved, rejected or withdrawn
 * @param reviewer who approved, rejected or withdrew it (null while pending)
 * @param reviewedAt when that happened (null while pending)
 * @param reason the reviewer's reason (required to reject), or null
 * @param targetRevisions the registry revision of each target ({@link Target#toString()}) at submit
 *     time, 0 for a target that did not exist
 * @param outcome what approval published, e.g. {@code store 3} or {@code version 4}; null otherwise
 */
public record ChangeRequest(
    long id,
    String requester,
    Instant submittedAt,
    Payload payload,
    RequestStatus status,
    @Nullable String reviewer,
    @Nullable Instant reviewedAt,
    @Nullable String reason,
    Map<String, Long> targetRevisions,
    @Nullable String outcome) {
  public ChangeRequest {
    requireNonNull(requester, "requester is null");
    requireNonNull(submittedAt, "submittedAt is null");
    requireNonNull(payload, "payload is null");
    requireNonNull(status, "status is null");
    targetRevisions = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(targetRevisions, "targetRevisions is null")));
  }

  /** A new pending request. */
  public static ChangeRequest pending(
      long id, String requester, Instant submittedAt, Payload payload, Map<String, Long> targetRevisions) {
    return new ChangeRequest(id, requester, submittedAt, payload, RequestStatus.PENDING, null, null, null,
        targetRevisions, null);
  }

  public RequestKind kind() {
    return payload.kind();
  }

  /** This request in a final status. */
  public ChangeRequest decided(
      RequestStatus status, String reviewer, Instant at, @Nullable String reason, @Nullable String outcome) {
    return new ChangeRequest(id, requester, submittedAt, payload, status, reviewer, at, reason, targetRevisions,
        outcome);
  }

  /** The same request with another id (the store allots ids). */
  public ChangeRequest withId(long newId) {
    return new ChangeRequest(newId, requester, submittedAt, payload, status, reviewer, reviewedAt, reason,
        targetRevisions, outcome);
  }
}
