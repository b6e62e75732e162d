package dev.onfs.server.metrics;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnfsException;
import dev.onfs.core.metrics.OnfsStatsRecorder;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.RegistryListener;
import dev.onfs.core.registry.RegistrySnapshot;

/**
 * Reports a registry's health to the stats recorder: how many feature groups it quarantines (at
 * start and on every change) and every change of its source rejected as a whole.
 */
public final class RegistryMetrics implements RegistryListener {
  private final OnfsStatsRecorder stats;
  private final String source;

  private RegistryMetrics(OnfsStatsRecorder stats, String source) {
    this.stats = stats;
    this.source = source;
  }

  /**
   * Starts reporting {@code registry} to {@code stats}.
   *
   * @param source the kind of registry, {@code file} or {@code etcd}, as the failure counter's label
   */
  public static RegistryMetrics bind(FeatureRegistry registry, OnfsStatsRecorder stats, String source) {
    RegistryMetrics metrics = new RegistryMetrics(requireNonNull(stats, "stats is null"),
        requireNonNull(source, "source is null"));
    registry.addListener(metrics);
    // Listeners hear changes only: report the snapshot already in force.
    stats.recordQuarantinedFeatureGroups(registry.quarantined().size());
    return metrics;
  }

  @Override
  public void onChange(RegistrySnapshot previous, RegistrySnapshot current) {
    stats.recordQuarantinedFeatureGroups(current.quarantined().size());
  }

  @Override
  public void onRejected(OnfsException error) {
    stats.recordRegistryReloadFailure(source);
  }
}
