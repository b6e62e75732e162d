package dev.onfs.controlplane.compat;

import static java.util.Objects.requireNonNull;

/**
 * One change a plan makes, described for a reviewer.
 *
 * @param changeClass its compatibility class
 * @param description what changes, naming the registry part, e.g. {@code feature group 'user_stats':
 *     ttl-in-seconds 86400 -> 3600}
 */
public record Change(ChangeClass changeClass, String description) {
  public Change {
    requireNonNull(changeClass, "changeClass is null");
    requireNonNull(description, "description is null");
  }

  @Override
  public String toString() {
    return changeClass + ": " + description;
  }
}
