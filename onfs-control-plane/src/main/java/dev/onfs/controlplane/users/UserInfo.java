package dev.onfs.controlplane.users;

import java.time.Instant;

/** What listings show of a user: no password hash. */
public record UserInfo(String name, Role role, boolean active, Instant createdAt, Instant updatedAt) {
  public static UserInfo of(User user) {
    return new UserInfo(user.name(), user.role(), user.active(), user.createdAt(), user.updatedAt());
  }
}
