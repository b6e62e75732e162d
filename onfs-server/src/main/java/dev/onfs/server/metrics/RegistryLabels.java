package dev.onfs.server.metrics;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.RegistrySnapshot;
import java.util.function.Supplier;

/**
 * Tag values for the entity and feature-group labels a caller sends: a label the current registry
 * defines is kept, any other becomes {@value #UNKNOWN}. Callers cannot create time series (or grow a
 * scrape) by sending made-up or huge labels.
 */
public final class RegistryLabels {
  /** The tag value of every label the registry does not define. */
  public static final String UNKNOWN = "unknown";

  private final Supplier<RegistrySnapshot> snapshot;

  /** @param snapshot the registry's current snapshot, e.g. {@code registry::snapshot} */
  public RegistryLabels(Supplier<RegistrySnapshot> snapshot) {
    this.snapshot = requireNonNull(snapshot, "snapshot is null");
  }

  public String entity(String label) {
    return snapshot.get().entity(label) != null ? label : UNKNOWN;
  }

  /** The feature group's label when its entity defines it, else {@value #UNKNOWN}. */
  public String featureGroup(String entityLabel, String featureGroupLabel) {
    return snapshot.get().featureGroup(entityLabel, featureGroupLabel) != null ? featureGroupLabel : UNKNOWN;
  }
}
