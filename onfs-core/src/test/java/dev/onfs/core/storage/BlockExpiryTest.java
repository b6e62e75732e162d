package dev.onfs.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.storage.testing.TestBlocks;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockExpiryTest {
  @Test
  void decodesTheReferencePacking() {
    // 2026-03-01T00:00:10Z: year 2026, day 59 of the year (0-based), second 10.
    long packed = 2026L << 26 | 59L << 17 | 10;
    byte[] block = new byte[9];
    long high = packed >>> 8;
    block[2] = (byte) high;
    block[3] = (byte) (high >>> 8);
    block[4] = (byte) (high >>> 16);
    block[5] = (byte) (high >>> 24);
    block[6] = (byte) packed;

    assertThat(BlockExpiry.expiryEpochSecond(block, 0, 9))
        .isEqualTo(Instant.parse("2026-03-01T00:00:10Z").getEpochSecond());
  }

  @Test
  void readsAnEncodedExpiryAcrossTheYearBoundaryAtAnOffset() {
    long now = Instant.parse("2026-12-31T23:00:00Z").getEpochSecond();
    long expiry = Instant.parse("2027-02-01T05:06:07Z").getEpochSecond();
    ByteRange encoded = TestBlocks.block(EntityKey.of("k"), 1, 1, 4, expiry, now);
    byte[] block = new byte[1 + encoded.length()];
    System.arraycopy(encoded.array(), encoded.offset(), block, 1, encoded.length());

    assertThat(BlockExpiry.expiryEpochSecond(block, 1, encoded.length())).isEqualTo(expiry);
    assertThat(BlockExpiry.isExpired(block, 1, encoded.length(), expiry)).isFalse();
    assertThat(BlockExpiry.isExpired(block, 1, encoded.length(), expiry + 1)).isTrue();
  }

  @Test
  void zeroNeverExpiresAndShortRangesHaveNoExpiry() {
    byte[] block = HexFormat.of().parseHex("0100000000000010800000");
    assertThat(BlockExpiry.expiryEpochSecond(block, 0, block.length)).isZero();
    assertThat(BlockExpiry.isExpired(block, 0, block.length, Long.MAX_VALUE)).isFalse();
    assertThat(BlockExpiry.expiryEpochSecond(new byte[] {1, 2, 3}, 0, 3)).isZero();
  }

  @Test
  void anEntityExpiresWithItsLatestBlockUnlessOneNeverExpires() {
    long now = 1_700_000_000L;
    ByteRange soon = TestBlocks.block(EntityKey.of("k"), 1, 1, 4, now + 10, now);
    ByteRange later = TestBlocks.block(EntityKey.of("k"), 2, 1, 4, now + 100, now);
    ByteRange never = ByteRange.of(new byte[9]);

    assertThat(BlockExpiry.latestExpiryEpochSecond(List.of(soon, later))).isEqualTo(now + 100);
    assertThat(BlockExpiry.latestExpiryEpochSecond(List.of(later, soon))).isEqualTo(now + 100);
    assertThat(BlockExpiry.latestExpiryEpochSecond(List.of(soon, never))).isZero();
    assertThat(BlockExpiry.latestExpiryEpochSecond(List.of())).isEqualTo(1);
  }
}
