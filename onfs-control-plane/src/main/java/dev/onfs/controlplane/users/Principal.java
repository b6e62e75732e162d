package dev.onfs.controlplane.users;

import static java.util.Objects.requireNonNull;

/** The authenticated caller of an operation, with the role it has now. */
public record Principal(String name, Role role) {
  public Principal {
    requireNonNull(name, "name is null");
    requireNonNull(role, "role is null");
  }
}
