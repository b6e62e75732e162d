package dev.onfs.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.file.FileFeatureRegistry;
import dev.onfs.registry.file.RegistryFiles;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file registry's quarantine and rejected reloads, as the server's meters report them. */
class RegistryMetricsTest {
  private static final String GOOD = "stores: {'1': {db-type: scylla, primary-keys: [id]}}\n"
      + "entities: {user: {keys: [id], feature-groups: {g: {id: 0, store-id: 1, data-type: FP32,"
      + " features: [{label: a}]}}}}\n";

  @TempDir Path dir;

  @Test
  void quarantinedGroupsAndRejectedReloadsAreCounted() throws Exception {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, GOOD.replace("label: a", "label: 'a b'"));
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (FileFeatureRegistry registry = FileFeatureRegistry.open(file, RegistryFiles.parser())) {
      RegistryMetrics.bind(registry, new MicrometerStatsRecorder(meters, new RegistryLabels(registry::snapshot)), "file");
      assertThat(meters.scrape()).contains("onfs_registry_quarantined_feature_groups 1.0")
          .contains("onfs_registry_reload_failures_total{source=\"file\"} 0.0");

      Files.writeString(file, GOOD);
      assertThat(registry.reload()).isTrue();
      assertThat(meters.scrape()).contains("onfs_registry_quarantined_feature_groups 0.0");

      Files.writeString(file, "entities: {user: [");
      assertThatThrownBy(registry::reload).isInstanceOf(OnfsException.class);
      assertThat(registry.reload()).as("the same bad content counts once").isFalse();
      assertThat(meters.scrape()).contains("onfs_registry_reload_failures_total{source=\"file\"} 1.0")
          .contains("onfs_registry_reload_failures_total{source=\"etcd\"} 0.0");
    }
  }

  @Test
  void reloadFailureSourcesOutsideTheFixedSetCountAsOther() {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerStatsRecorder stats = new MicrometerStatsRecorder(meters, new RegistryLabels(RegistrySnapshot::empty));
    stats.recordRegistryReloadFailure("etcd");
    stats.recordRegistryReloadFailure("anything");
    assertThat(meters.scrape()).contains("onfs_registry_reload_failures_total{source=\"etcd\"} 1.0")
        .contains("onfs_registry_reload_failures_total{source=\"other\"} 1.0")
        .doesNotContain("anything");
  }
}
