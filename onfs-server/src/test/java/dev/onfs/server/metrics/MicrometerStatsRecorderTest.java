package dev.onfs.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.types.DataType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MicrometerStatsRecorderTest {
  private static RegistrySnapshot snapshot(String entity) {
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "memory", 0, "t", List.of("id"), 0))
        .entity(Entity.builder(entity).key("id", "id")
            .featureGroup(FeatureGroup.builder("stats").id(0).storeId("1").dataType(DataType.FP32)
                .activeVersion(1).layoutVersion(1).column("seg_0", 64)
                .version(FeatureVersion.builder(1).feature("ctr", new byte[4], 0, 0).build())
                .build())
            .build())
        .build();
  }

  @Test
  void onlyRegistryLabelsBecomeTagsAndEveryMeterIsDescribed() {
    AtomicReference<RegistrySnapshot> current = new AtomicReference<>(snapshot("user"));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MicrometerStatsRecorder recorder = new MicrometerStatsRecorder(meters, new RegistryLabels(current::get));
    recorder.recordRetrieve("user", 3, 1_000);
    recorder.recordRetrieve("made-up", 3, 1_000);
    recorder.recordError("x".repeat(100_000), "NOT_FOUND");
    recorder.recordPersist("user", 1, 1_000);
    recorder.recordStoreRead("nope", 1, 1_000);
    recorder.recordStoreWrite("user", 1, 1_000);
    recorder.recordNearCache("user", 1, 1);
    recorder.recordValidity("user", "stats", 1, 0, 0);
    recorder.recordValidity("user", "made-up", 1, 0, 0);
    recorder.recordValidity("other", "stats", 1, 0, 0);

    assertThat(meters.getMeters()).allSatisfy(meter -> {
      // The simple registry shows SLO buckets as gauges of their own ("....histogram"), undescribed.
      if (!meter.getId().getName().endsWith(".histogram")) {
        assertThat(meter.getId().getDescription()).as(meter.getId().toString()).isNotBlank();
      }
      String entity = meter.getId().getTag("entity");
      if (entity != null) {
        assertThat(entity).isIn("user", RegistryLabels.UNKNOWN);
      }
      String featureGroup = meter.getId().getTag("feature_group");
      if (featureGroup != null) {
        assertThat(featureGroup).isIn("stats", RegistryLabels.UNKNOWN);
      }
    });
    assertThat(meters.get("onfs.retrieve").tag("entity", "unknown").timer().count()).isEqualTo(1);
    assertThat(meters.get("onfs.errors").tag("entity", "unknown").counter().count()).isEqualTo(1);

    // A label the registry gains later becomes a tag of its own.
    current.set(snapshot("made-up"));
    recorder.recordRetrieve("made-up", 1, 1_000);
    assertThat(meters.get("onfs.retrieve").tag("entity", "made-up").timer().count()).isEqualTo(1);
  }
}
