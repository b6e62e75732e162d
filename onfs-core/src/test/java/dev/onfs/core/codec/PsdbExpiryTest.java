package dev.onfs.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.storage.BlockExpiry;
import dev.onfs.core.testing.TestingClock;
import dev.onfs.core.types.DataType;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Header bytes 2..6 as the reference writer produces them today (the expiry's own year), and the
 * older form (the year of writing) that blocks already in stores carry. The byte strings are worked
 * out by hand from the format, not by this codec.
 */
class PsdbExpiryTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final PsdbLayout LAYOUT = PsdbLayout.scalars(DataType.INT8, 1);

  /** A block written at {@code now} expiring at {@code expiry}; {@code oldForm} is null when the old day count overflowed. */
  private record Vector(String name, String now, String expiry, String bytes, String oldForm) {}

  private static final List<Vector> VECTORS = List.of(
      new Vector("within one year", "2026-03-01T00:00:00Z", "2026-03-02T00:00:05Z", "0078a81f05", "0078a81f05"),
      new Vector("across New Year (the reference's own case)",
          "2026-12-31T23:00:00Z", "2027-01-15T12:00:00Z", "a81cac1fc0", "a8f6aa1fc0"),
      new Vector("last second of the year to the first of the next",
          "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z", "0000ac1f00", "00daaa1f00"),
      new Vector("mid December to mid January", "2026-12-15T12:00:00Z", "2027-01-15T12:00:00Z", "a81cac1fc0",
          "a8f6aa1fc0"),
      new Vector("a month across New Year", "2026-12-20T00:00:00Z", "2027-01-20T00:00:00Z", "0026ac1f00", "0000ab1f00"),
      new Vector("leap day", "2028-02-28T00:00:00Z", "2028-02-29T12:30:45Z", "af76b01ff5", "af76b01ff5"),
      new Vector("into a leap day from the year before",
          "2027-03-01T00:00:00Z", "2028-02-29T00:00:00Z", "0076b01f00", "0050af1f00"),
      new Vector("last day of a leap year, days overflowing the old form",
          "2027-12-31T00:00:00Z", "2028-12-31T23:59:59Z", "51dbb21f7f", null),
      new Vector("28 February of a common year", "2029-02-27T00:00:00Z", "2029-02-28T00:00:00Z", "0074b41f00",
          "0074b41f00"),
      new Vector("a year ahead: day 365 in the old form",
          "2026-03-01T00:00:00Z", "2027-03-01T00:00:00Z", "0076ac1f00", "0050ab1f00"),
      new Vector("513 days ahead, the most the reference accepts",
          "2026-01-01T00:00:00Z", "2027-05-29T00:00:00Z", "0028ad1f00", null),
      new Vector("513 days from 10 January: the old day count would pass nine bits",
          "2026-01-10T00:00:00Z", "2027-06-07T00:00:00Z", "003aad1f00", null));

  @Test
  void writesTheExpirysOwnYearAsTheReferenceDoes() {
    for (Vector v : VECTORS) {
      TestingClock clock = new TestingClock(Instant.parse(v.now()));
      PsdbEncoder encoder = PsdbEncoder.create(clock);
      long now = Instant.parse(v.now()).getEpochSecond();
      long expiry = Instant.parse(v.expiry()).getEpochSecond();

      encoder.beginExpiringAt(LAYOUT, 1, expiry, PsdbCompression.NONE).addInt(1).finish();
      assertThat(HEX.formatHex(Arrays.copyOfRange(encoder.toByteArray(), 2, 7))).as(v.name()).isEqualTo(v.bytes());

      encoder.begin(LAYOUT, 1, expiry - now, PsdbCompression.NONE).addInt(1).finish();
      assertThat(HEX.formatHex(Arrays.copyOfRange(encoder.toByteArray(), 2, 7))).as(v.name() + ", as a TTL")
          .isEqualTo(v.bytes());
    }
  }

  @Test
  void readsTheCurrentAndTheOlderFormAsTheSameInstant() {
    int oldForms = 0;
    for (Vector v : VECTORS) {
      long expiry = Instant.parse(v.expiry()).getEpochSecond();
      assertThat(expiryOf(v.bytes())).as(v.name()).isEqualTo(expiry);
      if (v.oldForm() != null) {
        assertThat(expiryOf(v.oldForm())).as(v.name() + ", old form").isEqualTo(expiry);
        oldForms++;
      }
    }
    assertThat(oldForms).isEqualTo(9);
  }

  @Test
  void anOlderFormBlockExpiresAtItsInstant() {
    // Written 2026-12-31T23:00Z with the write year; expires 2027-01-15T12:00Z.
    byte[] block = block("a8f6aa1fc0");
    long expiry = Instant.parse("2027-01-15T12:00:00Z").getEpochSecond();
    TestingClock clock = new TestingClock(Instant.ofEpochSecond(expiry));
    PsdbReader reader = PsdbReader.create(clock);

    assertThat(reader.wrap(block).bind(LAYOUT)).as("live during its expiry second").isTrue();
    assertThat(reader.getInt(0)).isEqualTo(1);
    clock.setMillis(expiry * 1000 + 1);
    assertThat(reader.wrap(block).bind(LAYOUT)).as("expired just after").isFalse();
    assertThat(BlockExpiry.isExpired(block, 0, block.length, expiry)).isFalse();
    assertThat(BlockExpiry.isExpired(block, 0, block.length, expiry + 1)).isTrue();
  }

  @Test
  void noTtlWritesZeroAndNeverExpires() {
    PsdbEncoder encoder = PsdbEncoder.create(new TestingClock(Instant.parse("2026-12-31T23:00:00Z")));
    encoder.begin(LAYOUT, 1, 0, PsdbCompression.NONE).addInt(1).finish();
    byte[] block = encoder.toByteArray();
    assertThat(HEX.formatHex(Arrays.copyOfRange(block, 2, 7))).isEqualTo("0000000000");

    encoder.beginExpiringAt(LAYOUT, 1, 0, PsdbCompression.NONE).addInt(1).finish();
    assertThat(encoder.toByteArray()).isEqualTo(block);

    PsdbReader reader = PsdbReader.create(new TestingClock(Instant.parse("2100-01-01T00:00:00Z")));
    assertThat(reader.wrap(block).expiresAtEpochSecond()).isZero();
    assertThat(reader.bind(LAYOUT)).isTrue();
    assertThat(BlockExpiry.expiryEpochSecond(block, 0, block.length)).isZero();
  }

  @Test
  void rejectsATtlOneSecondPastTheMaximum() {
    TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));
    PsdbEncoder encoder = PsdbEncoder.create(clock);
    long now = clock.millis() / 1000;
    assertThatThrownBy(() -> encoder.begin(LAYOUT, 1, 513L * 86_400 + 1, PsdbCompression.NONE))
        .hasMessageContaining("513 days");
    assertThatThrownBy(() -> encoder.beginExpiringAt(LAYOUT, 1, now + 513L * 86_400 + 1, PsdbCompression.NONE))
        .hasMessageContaining("513 days");
  }

  private static long expiryOf(String headerBytes) {
    byte[] block = block(headerBytes);
    long viaReader = PsdbReader.create(new TestingClock(Instant.EPOCH)).wrap(block).expiresAtEpochSecond();
    assertThat(BlockExpiry.expiryEpochSecond(block, 0, block.length)).isEqualTo(viaReader);
    return viaReader;
  }

  /** An uncompressed one-value INT8 block (value 1) with the given expiry bytes. */
  private static byte[] block(String expiryBytes) {
    return HEX.parseHex("0100" + expiryBytes + "1060" + "01");
  }
}
