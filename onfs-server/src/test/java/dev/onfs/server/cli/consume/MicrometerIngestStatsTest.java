package dev.onfs.server.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.server.metrics.RegistryLabels;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MicrometerIngestStatsTest {
  @TempDir Path dir;

  @Test
  void labelsComeFromTheRegistryAndReleasedPartitionsLeaveTheScrape() throws Exception {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, ConsumeCommandIT.REGISTRY);
    RegistrySnapshot snapshot = RegistryFiles.load(file);
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // As the command registers them: through a composite that also feeds the log registry.
    CompositeMeterRegistry composite = new CompositeMeterRegistry();
    composite.add(prometheus);
    MicrometerIngestStats stats = new MicrometerIngestStats(composite, new RegistryLabels(() -> snapshot));

    long now = System.currentTimeMillis();
    stats.groupStored("user", "stats", now - 120_000);
    stats.groupStored("user", "stats", now - 60_000);
    stats.groupStored("user", "stats", now - 600_000); // older than what is stored: freshness keeps the newest
    stats.groupStored("user", "made_up", now);
    stats.recordsDeadLettered(ErrorCode.UNKNOWN_FEATURE_GROUP, 3);
    stats.lag(new TopicPartition("t", 0), 42);
    stats.lag(new TopicPartition("t", 1), 7);

    String scrape = prometheus.scrape();
    double freshness = ConsumeHealthIT.sample(scrape, "onfs_ingest_freshness_seconds",
        "entity=\"user\",feature_group=\"stats\"");
    assertThat(freshness).isBetween(59.0, 90.0);
    assertThat(scrape).contains("feature_group=\"unknown\"").doesNotContain("made_up");
    assertThat(ConsumeHealthIT.sample(scrape, "onfs_ingest_records_dead_lettered_total",
        "reason=\"unknown_feature_group\"")).isEqualTo(3.0);
    assertThat(ConsumeHealthIT.sample(scrape, "onfs_ingest_lag_records", "partition=\"0\"")).isEqualTo(42.0);

    stats.released(new TopicPartition("t", 0));
    String after = prometheus.scrape();
    assertThat(after).doesNotContain("partition=\"0\"").contains("onfs_ingest_lag_records{partition=\"1\"");
    stats.lag(new TopicPartition("t", 0), 5);
    assertThat(ConsumeHealthIT.sample(prometheus.scrape(), "onfs_ingest_lag_records", "partition=\"0\""))
        .as("a partition assigned again reports again").isEqualTo(5.0);
  }
}
