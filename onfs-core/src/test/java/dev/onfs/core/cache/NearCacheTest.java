package dev.onfs.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.testing.TestingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NearCacheTest {
  private final TestingClock clock = new TestingClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final NearCache cache = NearCache.create(1 << 20, clock);

  @Test
  void hitUntilTheTtlPasses() {
    cache.put("user", List.of("7"), NearCache.Entry.of(new int[] {1, 2}, new byte[][] {{9}, null}), 60, 0);
    NearCache.Entry entry = cache.get("user", List.of("7"));
    assertThat(entry).isNotNull();
    assertThat(entry.block(1)).containsExactly(9);
    assertThat(entry.contains(2)).isTrue();
    assertThat(entry.block(2)).isNull();
    assertThat(entry.contains(3)).isFalse();
    assertThat(cache.get("user", List.of("8"))).isNull();
    assertThat(cache.get("item", List.of("7"))).isNull();

    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.get("user", List.of("7"))).isNotNull();
    clock.advance(Duration.ofSeconds(2));
    assertThat(cache.get("user", List.of("7"))).isNull();
  }

  @Test
  void jitterOnlyLengthensTheTtlUpToItsPercentage() {
    for (int i = 0; i < 50; i++) {
      cache.put("user", List.of(Integer.toString(i)), NearCache.Entry.of(new int[] {1}, new byte[][] {{1}}), 100, 10);
    }
    clock.advance(Duration.ofSeconds(99));
    for (int i = 0; i < 50; i++) {
      assertThat(cache.get("user", List.of(Integer.toString(i)))).isNotNull();
    }
    clock.advance(Duration.ofSeconds(12));
    for (int i = 0; i < 50; i++) {
      assertThat(cache.get("user", List.of(Integer.toString(i)))).isNull();
    }
  }

  @Test
  void zeroTtlNeverExpiresButInvalidates() {
    cache.put("user", List.of("1", "a"), NearCache.Entry.of(new int[] {1}, new byte[][] {{1}}), 0, 0);
    clock.advance(Duration.ofDays(400));
    assertThat(cache.get("user", List.of("1", "a"))).isNotNull();
    cache.invalidate("user", List.of("1", "a"));
    assertThat(cache.get("user", List.of("1", "a"))).isNull();
  }

  @Test
  void boundedByBytes() {
    NearCache small = NearCache.create(10_000, clock);
    for (int i = 0; i < 1000; i++) {
      small.put("user", List.of(Integer.toString(i)), NearCache.Entry.of(new int[] {1}, new byte[][] {new byte[100]}), 0, 0);
    }
    assertThat(small.estimatedSize()).isLessThan(100);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> NearCache.create(0, clock)).hasMessageContaining("maximumBytes");
    assertThatThrownBy(() -> cache.put("u", List.of("1"), NearCache.Entry.of(new int[0], new byte[0][]), -1, 0))
        .hasMessageContaining("ttlSeconds");
    assertThatThrownBy(() -> NearCache.Entry.of(new int[1], new byte[2][])).hasMessageContaining("2 blocks");
  }
}
