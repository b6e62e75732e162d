package dev.onfs.controlplane.users;

import java.util.Locale;

/** A user's role; each includes what the roles before it may do. */
public enum Role {
  /** Browses the registry and the requests. */
  VIEWER,
  /** Also plans and submits schema changes, and withdraws their own requests. */
  EDITOR,
  /** Also approves and rejects, registers stores, jobs and clients, manages users, reads the audit log. */
  ADMIN;

  /** The lower-case name used in storage and messages. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromText(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
