package dev.onfs.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.StoreFeatureGroup;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsdbTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesTheReferenceLayout() {
    byte[] csdb = Csdb.encode(
        new int[] {1, 0x0102}, List.of(ByteRange.of(new byte[] {9, 8, 7}), ByteRange.of(new byte[] {5})));

    // version 1 | id 1, len 3, 09 08 07 | id 0x0102, len 1, 05  (little-endian uint16s)
    assertThat(HEX.formatHex(csdb)).isEqualTo("01" + "0100" + "0300" + "090807" + "0201" + "0100" + "05");
  }

  @Test
  void blocksLaidOutWithTheFramingRoomAreFramedInPlaceToTheSameBytes() {
    // Room for the layout byte and two entry headers (filled with junk), then the blocks.
    byte[] row = HEX.parseHex("ee" + "eeeeeeee" + "090807" + "eeeeeeee" + "05");
    List<ByteRange> blocks = List.of(new ByteRange(row, 5, 3), new ByteRange(row, 12, 1));

    byte[] csdb = Csdb.encode(new int[] {1, 0x0102}, blocks);

    assertThat(csdb).isSameAs(row);
    assertThat(HEX.formatHex(csdb)).isEqualTo("01" + "0100" + "0300" + "090807" + "0201" + "0100" + "05");
  }

  @Test
  void blocksLaidOutOtherwiseAreCopiedAndLeftAlone() {
    byte[] trailing = HEX.parseHex("ee" + "eeeeeeee" + "090807" + "eeeeeeee" + "05" + "ff");
    byte[] gap = HEX.parseHex("ee" + "eeeeeeee" + "090807" + "eeeeeeeeee" + "05");
    for (List<ByteRange> blocks : List.of(
        List.of(new ByteRange(trailing, 5, 3), new ByteRange(trailing, 12, 1)),
        List.of(new ByteRange(gap, 5, 3), new ByteRange(gap, 13, 1)),
        List.of(new ByteRange(gap, 5, 3), ByteRange.of(new byte[] {5})))) {
      byte[] before = blocks.get(0).array().clone();

      byte[] csdb = Csdb.encode(new int[] {1, 0x0102}, blocks);

      assertThat(csdb).isNotSameAs(blocks.get(0).array());
      assertThat(HEX.formatHex(csdb)).isEqualTo("01" + "0100" + "0300" + "090807" + "0201" + "0100" + "05");
      assertThat(blocks.get(0).array()).isEqualTo(before);
    }
  }

  @Test
  void locatesBlocksInOnePassWithoutCopying() {
    byte[] csdb = HEX.parseHex("01" + "0100" + "0300" + "090807" + "0200" + "0000" + "0500" + "0100" + "05");
    List<StoreFeatureGroup> wanted =
        List.of(StoreFeatureGroup.of(5), StoreFeatureGroup.of(2), StoreFeatureGroup.of(4), StoreFeatureGroup.of(1));
    int[] offsets = new int[4];
    int[] lengths = new int[4];

    Csdb.locate(csdb, 0, csdb.length, wanted, offsets, lengths);

    assertThat(lengths).containsExactly(1, 0, -1, 3);
    assertThat(offsets[0]).isEqualTo(csdb.length - 1);
    assertThat(offsets[3]).isEqualTo(5);
  }

  @Test
  void lastEntryWinsWhenAnIdRepeats() {
    byte[] csdb = HEX.parseHex("01" + "0100" + "0100" + "aa" + "0100" + "0100" + "bb");
    int[] offsets = new int[1];
    int[] lengths = new int[1];

    Csdb.locate(csdb, 0, csdb.length, List.of(StoreFeatureGroup.of(1)), offsets, lengths);

    assertThat(csdb[offsets[0]]).isEqualTo((byte) 0xbb);
  }

  @Test
  void mergeReplacesCarriedGroupsAndKeepsTheRest() {
    byte[] existing = Csdb.encode(
        new int[] {1, 2, 3},
        List.of(ByteRange.of(new byte[] {1}), ByteRange.of(new byte[] {2, 2}), ByteRange.of(new byte[] {3})));
    byte[] update = Csdb.encode(new int[] {2}, List.of(ByteRange.of(new byte[] {7, 7, 7})));

    byte[] merged = Csdb.merge(existing, update);

    assertThat(Csdb.featureGroupIds(merged, 0, merged.length)).containsExactly(2, 1, 3);
    int[] offsets = new int[3];
    int[] lengths = new int[3];
    Csdb.locate(merged, 0, merged.length,
        List.of(StoreFeatureGroup.of(1), StoreFeatureGroup.of(2), StoreFeatureGroup.of(3)), offsets, lengths);
    assertThat(lengths).containsExactly(1, 3, 1);
    assertThat(Csdb.merge(null, update)).isSameAs(update);
  }

  @Test
  void rejectsCorruptValues() {
    assertCorrupt(new byte[0], "empty");
    assertCorrupt(HEX.parseHex("02"), "layout version 2");
    assertCorrupt(HEX.parseHex("01" + "0100" + "0500" + "aabb"), "claims 5 bytes");
    assertCorrupt(HEX.parseHex("01" + "01"), "truncated");
  }

  @Test
  void rejectsBlocksTooLargeForTheLengthField() {
    assertThatThrownBy(() -> Csdb.encode(new int[] {1}, List.of(ByteRange.of(new byte[70_000]))))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("70000");
  }

  private static void assertCorrupt(byte[] value, String message) {
    assertThatThrownBy(() -> Csdb.forEach(value, 0, value.length, (id, off, len) -> {}))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_BLOCK))
        .hasMessageContaining(message);
  }
}
