/**
 * The audit log: one entry per submit, approve, reject, withdraw, login (and failed login), logout,
 * user, role and token change. Entries are written in the same transaction as the change they
 * record, numbered in commit order, and never edited or deleted: no operation of the control plane
 * does either.
 */
@NullMarked
package dev.onfs.controlplane.audit;

import org.jspecify.annotations.NullMarked;
