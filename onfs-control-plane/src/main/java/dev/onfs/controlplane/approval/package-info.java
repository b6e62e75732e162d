/**
 * Deciding requests. Approval re-plans the request against the registry as it is now, refuses it when
 * a part it targets changed since it was submitted, creates the tables and columns it needs
 * (idempotently, before anything is published), makes a reader's or writer's token, and then
 * publishes everything with the request's new status and the audit entry in one transaction that
 * only applies if neither the request nor anything it builds on changed meanwhile. Rejecting and
 * withdrawing are single conditional writes too.
 */
@NullMarked
package dev.onfs.controlplane.approval;

import org.jspecify.annotations.NullMarked;
