package dev.onfs.controlplane.users;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A stored user. {@link #toString()} leaves out the password hash.
 *
 * @param name the login name (lower case)
 * @param role what the user may do
 * @param active inactive users cannot log in and their sessions end
 * @param passwordHash the Argon2id hash (PHC string)
 * @param epoch bumped when the password, role or activation changes: sessions made under an older
 *     epoch end
 * @param createdAt when the user was created
 * @param updatedAt when the user last changed
 */
public record User(String name, Role role, boolean active, String passwordHash, long epoch, Instant createdAt,
    Instant updatedAt) {
  public User {
    requireNonNull(name, "name is null");
    requireNonNull(role, "role is null");
    requireNonNull(passwordHash, "passwordHash is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(updatedAt, "updatedAt is null");
  }

  /** This user changed at {@code at}, with a new epoch (ending its sessions). */
  public User changed(Role newRole, boolean nowActive, String newPasswordHash, Instant at) {
    return new User(name, newRole, nowActive, newPasswordHash, epoch + 1, createdAt, at);
  }

  @Override
  public String toString() {
    return "User[" + name + ", " + role.text() + (active ? "" : ", inactive") + "]";
  }
}
