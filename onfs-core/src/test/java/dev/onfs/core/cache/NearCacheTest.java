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

    // Decoded cells weigh in too: the same budget holds fewer entries that carry them.
    NearCache decoded = NearCache.create(10_000, clock);
    for (int i = 0; i < 1000; i++) {
      decoded.put("user", List.of(Integer.toString(i)), NearCache.Entry.of(new int[] {1}, new byte[1][],
          new NearCache.DecodedBlock[] {new NearCache.DecodedBlock(1, 0, new byte[][] {new byte[100]})}), 0, 0);
    }
    assertThat(decoded.estimatedSize()).isLessThan(100);
  }

  @Test
  void aPutStampedBeforeAnInvalidationIsDropped() {
    NearCache.Entry entry = NearCache.Entry.of(new int[] {1}, new byte[][] {{1}});
    long stamp = cache.stamp("user", List.of("7"));
    cache.invalidate("user", List.of("7"));
    cache.put("user", List.of("7"), entry, 60, 0, stamp);
    assertThat(cache.get("user", List.of("7"))).isNull();

    long fresh = cache.stamp("user", List.of("7"));
    cache.put("user", List.of("7"), entry, 60, 0, fresh);
    assertThat(cache.get("user", List.of("7"))).isNotNull();
    cache.invalidateAll();
    cache.put("user", List.of("7"), entry, 60, 0, fresh);
    assertThat(cache.get("user", List.of("7"))).isNull();
  }

  @Test
  void entriesAnswerDecodedBlocksBeforeEncodedOnes() {
    NearCache.DecodedBlock cells = new NearCache.DecodedBlock(2, 0, new byte[][] {{1}, {2}});
    NearCache.Entry entry = NearCache.Entry.of(new int[] {7, 8}, new byte[][] {null, {9}},
        new NearCache.DecodedBlock[] {cells, null});
    assertThat(entry.decoded(7)).isSameAs(cells);
    assertThat(entry.block(7)).isNull();
    assertThat(entry.decoded(8)).isNull();
    assertThat(entry.block(8)).containsExactly(9);
    assertThat(entry.contains(9)).isFalse();
    assertThat(cells.isExpired(Long.MAX_VALUE)).isFalse();
    NearCache.DecodedBlock expiring = new NearCache.DecodedBlock(2, 100, new byte[0][]);
    assertThat(expiring.isExpired(100_000)).isFalse();
    assertThat(expiring.isExpired(100_001)).isTrue();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> NearCache.create(0, clock)).hasMessageContaining("maximumBytes");
    assertThatThrownBy(() -> cache.put("u", List.of("1"), NearCache.Entry.of(new int[0], new byte[0][]), -1, 0))
        .hasMessageContaining("ttlSeconds");
    assertThatThrownBy(() -> NearCache.Entry.of(new int[1], new byte[2][])).hasMessageContaining("2 blocks");
    assertThatThrownBy(() -> NearCache.Entry.of(new int[1], new byte[1][], new NearCache.DecodedBlock[2]))
        .hasMessageContaining("2 decoded blocks");
  }
}
