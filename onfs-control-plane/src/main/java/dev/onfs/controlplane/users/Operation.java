package dev.onfs.controlplane.users;

/** Every operation of the control plane that needs a session, for the role check. */
public enum Operation {
  /** Read the published registry. */
  VIEW_REGISTRY,
  /** List and read change requests. */
  VIEW_REQUESTS,
  /** Dry-run a change (compatibility check). */
  PLAN,
  /** Submit an entity, feature-group or feature change. */
  SUBMIT_SCHEMA_CHANGE,
  /** Submit a store, writer (job) or reader (client) registration. */
  SUBMIT_REGISTRATION,
  /** Withdraw one's own pending request. */
  WITHDRAW,
  /** Approve another user's request. */
  APPROVE,
  /** Reject a request. */
  REJECT,
  /** List users. */
  VIEW_USERS,
  /** Create users, change roles, (de)activate, reset passwords. */
  MANAGE_USERS,
  /** Read the audit log. */
  VIEW_AUDIT,
  /** Change one's own password. */
  CHANGE_OWN_PASSWORD,
  /** Read stored feature values of a key (the console's sample read): data, not just definitions. */
  READ_FEATURES
}
