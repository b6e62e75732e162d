package dev.onfs.controlplane.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One audit log entry. Never carries a password or token.
 *
 * @param seq the position in the log: increases with every committed entry (0 until stored)
 * @param at when it happened
 * @param actor the user who acted (for a failed login, the name that was tried)
 * @param action what happened
 * @param subject what it happened to, e.g. {@code request 12}, {@code user alice}, {@code writer job1}
 * @param detail more context, e.g. the request kind and outcome or the new role
 * @param remoteAddress the client address when known
 */
public record AuditEntry(
    long seq, Instant at, String actor, AuditAction action, String subject, String detail, @Nullable String remoteAddress) {
  public AuditEntry {
    requireNonNull(at, "at is null");
    requireNonNull(actor, "actor is null");
    requireNonNull(action, "action is null");
    requireNonNull(subject, "subject is null");
    requireNonNull(detail, "detail is null");
  }

  /** An entry to append (its sequence number is given when stored). */
  public static AuditEntry of(
      Instant at, String actor, AuditAction action, String subject, String detail, @Nullable String remoteAddress) {
    return new AuditEntry(0, at, actor, action, subject, detail, remoteAddress);
  }

  public AuditEntry withSeq(long newSeq) {
    return new AuditEntry(newSeq, at, actor, action, subject, detail, remoteAddress);
  }
}
