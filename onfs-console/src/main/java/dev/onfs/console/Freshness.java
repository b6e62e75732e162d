package dev.onfs.console;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** How recently a feature group was written to through this server, for the feature-group page. */
@FunctionalInterface
public interface Freshness {
  /** The group's writes seen by this server since it started, or null when it saw none. */
  @Nullable Writes of(String entity, String group);

  /**
   * @param lastWrite when the last persist that wrote the group finished
   * @param rowsPerSecond rows written per second over the last minute
   * @param rows rows written since the server started
   */
  record Writes(Instant lastWrite, double rowsPerSecond, long rows) {}

  /** No writes known, for a console hosted without a feature store. */
  static Freshness none() {
    return (entity, group) -> null;
  }
}
