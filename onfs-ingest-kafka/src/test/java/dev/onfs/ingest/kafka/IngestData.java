package dev.onfs.ingest.kafka;


import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The produced input of the ingestion ITs and the stored state it must end up as. */
final class IngestData {
  final int entities;
  final int versions;

  IngestData(int entities, int versions) {
    this.entities = entities;
    this.versions = versions;
  }

  static FeatureRow row(int id, int version) {
    Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    groups.put("counts", Map.of("clicks", (long) version * 1_000_000 + id));
    groups.put("flags", Map.of("active", (version + id) % 2 == 0));
    return new FeatureRow("user", List.of("u" + id), groups);
  }

  /** Pushes every version of every entity, version by version, so later versions must win. */
  void push(String bootstrap, String topic, SchemaCatalog catalog) {
    try (FeaturePusher pusher = FeaturePusher.builder()
        .bootstrapServers(bootstrap)
        .topic(topic)
        .catalog(catalog)
        .maxRowsPerQuery(50)
        .build()) {
      for (int v = 0; v < versions; v++) {
        for (int id = 0; id < entities; id++) {
          pusher.push(row(id, v));
        }
      }
    }
  }

  /** What the store must return: the last version of every entity, as decoded text. */
  Map<String, List<String>> expected() {
    Map<String, List<String>> state = new HashMap<>();
    int v = versions - 1;
    for (int id = 0; id < entities; id++) {
      state.put("u" + id, List.of(Long.toString((long) v * 1_000_000 + id), Boolean.toString((v + id) % 2 == 0)));
    }
    return state;
  }

  static void awaitUntil(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }
}
