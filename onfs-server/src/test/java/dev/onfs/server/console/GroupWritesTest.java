package dev.onfs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.console.Freshness;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.testing.WorkedExample;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.core.storage.memory.InMemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-group write counts for the console, over a real feature store, and the console's sample read. */
class GroupWritesTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  /** A clock the test moves. */
  private static final class Hands extends Clock {
    Instant now = T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static PersistQuery rows(String... keys) {
    List<PersistQuery.Data> data = new java.util.ArrayList<>();
    for (String key : keys) {
      data.add(new PersistQuery.Data(List.of(key), List.of(Values.fp32(0.5, 3))));
    }
    return new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("user_stats", List.of("ctr", "orders_30d"))), data);
  }

  @Test
  void countsRowsPerGroupOverTheLastMinuteAndServesTheSampleRead() throws Exception {
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(WorkedExample.snapshot());
    Hands clock = new Hands();
    try (InMemoryStore store = InMemoryStore.create();
        GroupWrites writes = new GroupWrites(OnlineFeatureStore.builder().registry(registry).store(store).build(), clock)) {
      assertThat(writes.of("user", "user_stats")).isNull();
      writes.persist(rows("1", "2", "3"));
      clock.now = T0.plusSeconds(30);
      writes.persistAsync(rows("4")).get();
      Freshness.Writes seen = writes.of("user", "user_stats");
      assertThat(seen.lastWrite()).isEqualTo(T0.plusSeconds(30));
      assertThat(seen.rows()).isEqualTo(4);
      assertThat(seen.rowsPerSecond()).isEqualTo(4 / 60.0);
      assertThat(writes.of("user", "user_embedding")).isNull();
      // A minute after the first write, only the later row is in the rate; the total keeps both.
      clock.now = T0.plus(Duration.ofSeconds(61));
      assertThat(writes.of("user", "user_stats").rowsPerSecond()).isEqualTo(1 / 60.0);
      clock.now = T0.plus(Duration.ofMinutes(5));
      assertThat(writes.of("user", "user_stats").rowsPerSecond()).isZero();
      assertThat(writes.of("user", "user_stats").rows()).isEqualTo(4);

      FeatureSamples samples = new FeatureSamples(writes, registry);
      assertThat(samples.read("user", "user_stats", List.of("2"))).isEqualTo(Map.of("ctr", "0.5", "orders_30d", "3"));
      assertThat(samples.read("user", "user_stats", List.of("99")))
          .as("a key with nothing stored reads as the defaults").containsEntry("ctr", "0");
    }
  }
}
