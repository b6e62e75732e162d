package dev.onfs.console;

import dev.onfs.controlplane.users.Role;
import org.jspecify.annotations.Nullable;

/**
 * What every page's frame shows: the title, the navigation entry in use, who is signed in (null on the
 * sign-in page), the form token, and a notice or error for the page.
 */
public record Frame(
    String title, String section, @Nullable String user, @Nullable Role role, String csrf, @Nullable String notice,
    @Nullable String error, @Nullable String errorField) {

  public boolean signedIn() {
    return user != null;
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  public boolean canEdit() {
    return role == Role.EDITOR || role == Role.ADMIN;
  }

  /** {@code aria-current="page"} for the navigation entry of this page. */
  public @Nullable String current(String entry) {
    return section.equals(entry) ? "page" : null;
  }

  Frame withError(String message, @Nullable String field) {
    return new Frame(title, section, user, role, csrf, notice, message, field);
  }

  Frame titled(String newTitle, String newSection) {
    return new Frame(newTitle, newSection, user, role, csrf, notice, error, errorField);
  }
}
