package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;

/**
 * One storage column ("segment") of a feature group, e.g. {@code seg_0}.
 *
 * @param label the column name, also the etcd key segment under {@code columns/}
 * @param currentSizeInBytes the bytes of the feature group's block allotted to this column (used
 *     by the control plane's sizing; servers read only the label)
 */
public record Column(String label, int currentSizeInBytes) {
  public Column {
    requireNonNull(label, "label is null");
    RegistryChecks.label(label, "column label");
    RegistryChecks.nonNegative(currentSizeInBytes, "column '" + label + "' current-size-in-bytes");
  }
}
