package dev.onfs.controlplane.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.compat.SourceChange;
import dev.onfs.controlplane.request.Target;
import dev.onfs.core.registry.RegistrySnapshot;
import java.util.List;

/**
 * What an approval publishes: the parts {@code targets} of {@code after} (every other part is as
 * read), and source-mapping changes.
 *
 * @param after the registry after the approval, including any new reader or writer token hash
 * @param targets the parts whose keys are written
 * @param sourceChanges source mappings to write or delete
 */
public record Publication(RegistrySnapshot after, List<Target> targets, List<SourceChange> sourceChanges) {
  public Publication {
    requireNonNull(after, "after is null");
    targets = List.copyOf(targets);
    sourceChanges = List.copyOf(sourceChanges);
  }
}
