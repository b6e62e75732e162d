/**
 * Users, roles and what each role may do. Roles: {@link dev.onfs.controlplane.users.Role#VIEWER}
 * browses, {@link dev.onfs.controlplane.users.Role#EDITOR} also submits changes, {@link
 * dev.onfs.controlplane.users.Role#ADMIN} also approves and manages users, stores, jobs and clients
 * ({@link dev.onfs.controlplane.users.AccessPolicy} is the matrix). Passwords are hashed with
 * Argon2id and never logged; failed logins are rate-limited per user and per remote address.
 */
@NullMarked
package dev.onfs.controlplane.users;

import org.jspecify.annotations.NullMarked;
