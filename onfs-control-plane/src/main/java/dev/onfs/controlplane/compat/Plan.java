package dev.onfs.controlplane.compat;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.request.Payload;
import dev.onfs.controlplane.request.Target;
import dev.onfs.core.registry.RegistrySnapshot;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What approving a request would do to the registry, computed from one registry snapshot.
 *
 * @param payload the planned request payload
 * @param changeClass the highest class among {@code changes}
 * @param changes every change, described for a reviewer
 * @param warnings consequences a reviewer should know (e.g. readers of a removed feature will fail)
 * @param after the registry approval would publish; null when the plan is breaking. A reader's or
 *     writer's token is not in it: tokens are made on approval
 * @param changedTargets the registry parts approval writes (a new store's id included)
 * @param schemaSteps the tables and columns to create before publishing
 * @param sourceChanges source mappings to write or delete with the publication
 * @param credential the reader or writer to issue a token for, or null
 * @param outcome what approval publishes, in a few words ({@code store 3}, {@code version 2 of
 *     feature group 'user_stats'})
 */
public record Plan(
    Payload payload,
    ChangeClass changeClass,
    List<Change> changes,
    List<String> warnings,
    @Nullable RegistrySnapshot after,
    List<Target> changedTargets,
    List<SchemaStep> schemaSteps,
    List<SourceChange> sourceChanges,
    @Nullable Target credential,
    String outcome) {
  public Plan {
    requireNonNull(payload, "payload is null");
    requireNonNull(changeClass, "changeClass is null");
    changes = List.copyOf(changes);
    warnings = List.copyOf(warnings);
    changedTargets = List.copyOf(changedTargets);
    schemaSteps = List.copyOf(schemaSteps);
    sourceChanges = List.copyOf(sourceChanges);
    requireNonNull(outcome, "outcome is null");
    if ((after == null) != (changeClass == ChangeClass.BREAKING)) {
      throw new IllegalArgumentException("a plan has a resulting registry exactly when it is not breaking");
    }
  }

  public boolean isBreaking() {
    return changeClass == ChangeClass.BREAKING;
  }

  /** The registry approval would publish. */
  public RegistrySnapshot requireAfter() {
    requireAcceptable();
    return requireNonNull(after);
  }

  /**
   * Throws {@link ControlPlaneException.Reason#BREAKING_CHANGE} naming every breaking change when the
   * plan is breaking.
   */
  public Plan requireAcceptable() {
    if (isBreaking()) {
      String message = changes.stream()
          .filter(c -> c.changeClass() == ChangeClass.BREAKING)
          .map(Change::description)
          .collect(Collectors.joining("; "));
      throw new ControlPlaneException(ControlPlaneException.Reason.BREAKING_CHANGE, null, message);
    }
    return this;
  }
}
