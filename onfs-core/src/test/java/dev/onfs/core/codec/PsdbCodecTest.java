package dev.onfs.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdCompressCtx;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.testing.TestingClock;
import dev.onfs.core.types.DataType;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PsdbCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private final TestingClock clock = new TestingClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final PsdbEncoder encoder = PsdbEncoder.create(clock);
  private final PsdbReader reader = PsdbReader.create(clock);

  @Test
  void roundTripsEveryDataTypeCompressedAndNot() {
    SplittableRandom random = new SplittableRandom(42);
    for (DataType type : DataType.values()) {
      if (type == DataType.UNKNOWN) {
        continue;
      }
      for (int features : new int[] {1, 2, 7, 8, 9, 64, 300}) {
        for (PsdbCompression compression : PsdbCompression.values()) {
          for (boolean compressible : new boolean[] {false, true}) {
            SampleBlocks sample = SampleBlocks.random(type, features, random, compressible);
            encoder.begin(sample.layout, 3, 3600, compression);
            sample.feed(encoder);
            int size = encoder.finish();
            assertThat(size).isLessThanOrEqualTo(PsdbEncoder.maxSerializedSize(sample.layout));
            byte[] block = new byte[size + 10];
            assertThat(encoder.writeTo(block, 5)).isEqualTo(size);
            reader.wrap(block, 5, size);
            assertThat(reader.dataType()).isEqualTo(type);
            assertThat(reader.schemaVersion()).isEqualTo(3);
            assertThat(reader.compression())
                .isEqualTo(encoder.isCompressed() ? PsdbCompression.ZSTD : PsdbCompression.NONE);
            assertThat(reader.bind(sample.layout)).isTrue();
            sample.assertReadsBack(reader);
            assertBulkReadsMatch(reader, sample.layout);
          }
        }
      }
    }
  }

  private static void assertBulkReadsMatch(PsdbReader reader, PsdbLayout layout) {
    DataType type = layout.dataType();
    if (!type.isFixedWidth()) {
      return;
    }
    int n = layout.elementCount();
    int scalarId = type.scalar().id();
    if (scalarId <= 5) {
      double[] all = new double[n + 1];
      assertThat(reader.readDoubles(all, 1)).isEqualTo(n);
      for (int f = 0; f < layout.featureCount(); f++) {
        double[] one = new double[layout.vectorLength(f)];
        reader.readDoubles(f, one, 0);
        for (int e = 0; e < one.length; e++) {
          double expected = type.isVector() ? reader.getDouble(f, e) : reader.getDouble(f);
          assertThat(one[e]).isEqualTo(expected);
          assertThat(all[1 + layout.elementStart(f) + e]).isEqualTo(expected);
        }
      }
      if (scalarId <= 4) {
        float[] floats = new float[n];
        reader.readFloats(floats, 0);
        for (int k = 0; k < n; k++) {
          assertThat((double) floats[k]).isEqualTo(all[1 + k]);
        }
      }
    } else {
      long[] all = new long[n];
      assertThat(reader.readLongs(all, 0)).isEqualTo(n);
      for (int f = 0; f < layout.featureCount(); f++) {
        for (int e = 0; e < layout.vectorLength(f); e++) {
          long expected = type.isVector() ? reader.getLong(f, e) : reader.getLong(f);
          assertThat(all[layout.elementStart(f) + e]).isEqualTo(expected);
        }
      }
      if (scalarId != 9 && scalarId != 13) {
        int[] ints = new int[n];
        reader.readInts(ints, 0);
        for (int k = 0; k < n; k++) {
          assertThat(ints[k]).isEqualTo((int) all[k]);
        }
        if (layout.featureCount() > 0) {
          int[] first = new int[layout.vectorLength(0)];
          reader.readInts(0, first, 0);
          assertThat(first).containsExactly(Arrays.copyOf(ints, first.length));
        }
      }
    }
  }

  @Test
  void bulkAddsMatchSingleAdds() {
    SplittableRandom random = new SplittableRandom(5);
    int[] ints = random.ints(50).toArray();
    long[] longs = random.longs(50).toArray();
    double[] doubles = random.doubles(50).toArray();
    float[] floats = new float[50];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) doubles[i];
    }
    for (DataType type : new DataType[] {DataType.INT32, DataType.UINT32, DataType.INT64, DataType.UINT64,
        DataType.FP32, DataType.FP64}) {
      PsdbLayout layout = PsdbLayout.scalars(type, 50);
      encoder.begin(layout, 1, 0, PsdbCompression.NONE);
      int split = 17;
      fill(encoder, type, ints, longs, floats, doubles, 0, split, true);
      fill(encoder, type, ints, longs, floats, doubles, split, 50 - split, true);
      encoder.finish();
      byte[] bulk = encoder.toByteArray();
      encoder.begin(layout, 1, 0, PsdbCompression.NONE);
      fill(encoder, type, ints, longs, floats, doubles, 0, 50, false);
      encoder.finish();
      assertThat(bulk).as(type.name()).isEqualTo(encoder.toByteArray());
    }
  }

  private static void fill(PsdbEncoder encoder, DataType type, int[] ints, long[] longs, float[] floats,
      double[] doubles, int from, int count, boolean bulk) {
    for (int i = from; i < from + count; i++) {
      if (bulk && i == from) {
        switch (type) {
          case INT32:
          case UINT32:
            encoder.addInts(ints, from, count);
            return;
          case INT64:
          case UINT64:
            encoder.addLongs(longs, from, count);
            return;
          case FP32:
            encoder.addFloats(floats, from, count);
            return;
          default:
            encoder.addDoubles(doubles, from, count);
            return;
        }
      }
      switch (type) {
        case INT32:
        case UINT32:
          encoder.addLong(type == DataType.UINT32 ? ints[i] & 0xffff_ffffL : ints[i]);
          break;
        case INT64:
        case UINT64:
          encoder.addLong(longs[i]);
          break;
        case FP32:
          encoder.addFloat(floats[i]);
          break;
        default:
          encoder.addDouble(doubles[i]);
      }
    }
  }

  @Test
  void keepsZstdOnlyWhenSmaller() {
    PsdbLayout layout = PsdbLayout.scalars(DataType.INT32, 1000);
    encoder.begin(layout, 1, 0, PsdbCompression.ZSTD).addInts(new int[1000], 0, 1000);
    assertThat(encoder.finish()).isLessThan(9 + 4000);
    assertThat(encoder.isCompressed()).isTrue();
    byte[] block = encoder.toByteArray();
    assertThat(block[7] & 0x0e).isEqualTo(0x02);

    PsdbLayout small = PsdbLayout.scalars(DataType.INT32, 2);
    encoder.begin(small, 1, 0, PsdbCompression.ZSTD).addInts(new int[] {1, 2}, 0, 2);
    assertThat(encoder.finish()).isEqualTo(9 + 8);
    assertThat(encoder.isCompressed()).isFalse();
    assertThat(encoder.toByteArray()[7] & 0x0e).isZero();
  }

  @Test
  void tinyPayloadsAreCompressedExactlyWhenZstdMakesThemSmaller() {
    // The encoder does not hand tiny payloads to zstd; its choice must still be zstd's own answer.
    SplittableRandom random = new SplittableRandom(7);
    try (ZstdCompressCtx zstd = new ZstdCompressCtx()) {
      zstd.setLevel(PsdbEncoder.DEFAULT_ZSTD_LEVEL);
      for (int size = 1; size <= 40; size++) {
        for (boolean repetitive : new boolean[] {true, false}) {
          byte[] payload = new byte[size];
          if (!repetitive) {
            random.nextBytes(payload);
          }
          int[] values = new int[size];
          for (int i = 0; i < size; i++) {
            values[i] = payload[i];
          }
          encoder.begin(PsdbLayout.scalars(DataType.INT8, size), 1, 0, PsdbCompression.ZSTD)
              .addInts(values, 0, size);
          int blockSize = encoder.finish();
          boolean smaller = zstd.compress(payload).length < size;
          assertThat(encoder.isCompressed()).as("%d %s bytes", size, repetitive ? "repeated" : "random")
              .isEqualTo(smaller);
          byte[] block = encoder.toByteArray();
          assertThat(block[7] & 0x02).isEqualTo(smaller ? 0x02 : 0);
          if (!smaller) {
            assertThat(blockSize).isEqualTo(9 + size);
            assertThat(Arrays.copyOfRange(block, 9, block.length)).isEqualTo(payload);
          }
        }
      }
    }
  }

  // ---- header facts (bit placement checked against the reference's header tests) ----

  @Test
  void headerBitPlacement() {
    encoder.begin(PsdbLayout.scalars(DataType.FP32, 1), 1234, 0, PsdbCompression.NONE).addFloat(1f);
    encoder.finish();
    byte[] fp32 = encoder.toByteArray();
    assertThat(HEX.formatHex(fp32)).isEqualTo("d204" + "0000000000" + "10" + "40" + "0000803f");

    encoder.begin(PsdbLayout.vectors(DataType.BOOL_VECTOR, new int[] {1}), 65535, 0, PsdbCompression.NONE)
        .addBoolVector(new boolean[] {true});
    encoder.finish();
    byte[] boolVector = encoder.toByteArray();
    // type 30 = 0b11110: bit 4 in byte 7 bit 0, bits 3..0 in byte 8's high nibble; last bit index 7.
    assertThat(HEX.formatHex(boolVector)).isEqualTo("ffff" + "0000000000" + "11" + "e7" + "80");
  }

  @Test
  void boolsPackMostSignificantBitFirstAcrossFeatures() {
    encoder.begin(PsdbLayout.scalars(DataType.BOOL, 3), 1, 0, PsdbCompression.NONE)
        .addBool(true).addBool(false).addBool(true);
    encoder.finish();
    assertThat(HEX.formatHex(encoder.toByteArray())).endsWith("f5" + "a0"); // BOOL=15, last bit 5

    encoder.begin(PsdbLayout.scalars(DataType.BOOL, 8), 1, 0, PsdbCompression.NONE)
        .addBools(new boolean[] {true, true, true, true, true, true, true, true}, 0, 8);
    encoder.finish();
    assertThat(HEX.formatHex(encoder.toByteArray())).endsWith("f0" + "ff");

    PsdbLayout vectors = PsdbLayout.vectors(DataType.BOOL_VECTOR, new int[] {3, 2});
    encoder.begin(vectors, 1, 0, PsdbCompression.NONE)
        .addBoolVector(new boolean[] {true, true, false})
        .addBoolVector(new boolean[] {false, true});
    encoder.finish();
    byte[] block = encoder.toByteArray();
    assertThat(HEX.formatHex(block)).endsWith("e3" + "c8");
    reader.wrap(block);
    assertThat(reader.boolLastBitIndex()).isEqualTo(3);
    assertThat(reader.bind(vectors)).isTrue();
    assertThat(reader.bitIndex(1)).isEqualTo(3);
    byte[] cell = new byte[2];
    assertThat(reader.copyCell(1, cell, 0)).isEqualTo(2);
    assertThat(cell).containsExactly(0, 1);
  }

  @Test
  void stringsStoreAllLengthsThenAllBytes() {
    PsdbLayout layout = PsdbLayout.strings(new int[] {4, 4, 3});
    encoder.begin(layout, 1, 0, PsdbCompression.NONE).addString("ab").addString("").addString("c");
    encoder.finish();
    byte[] block = encoder.toByteArray();
    assertThat(HEX.formatHex(block, 9, block.length)).isEqualTo("020000000100" + "616263");
    reader.wrap(block);
    assertThat(reader.bind(layout)).isTrue();
    assertThat(reader.getString(0)).isEqualTo("ab");
    assertThat(reader.getString(1)).isEmpty();
    assertThat(reader.valueOffset(2)).isEqualTo(9 + 6 + 2);
    assertThat(reader.valueLength(2)).isEqualTo(1);
  }

  @Test
  void stringVectorsStoreEveryLengthThenEveryByte() {
    PsdbLayout layout = PsdbLayout.stringVectors(new int[] {2, 1}, new int[] {2, 5});
    encoder.begin(layout, 1, 0, PsdbCompression.NONE)
        .addStringVector(new String[] {"a", "bc"})
        .addStringVector(new String[] {"dé"});
    encoder.finish();
    byte[] block = encoder.toByteArray();
    assertThat(HEX.formatHex(block, 9, block.length))
        .isEqualTo("0100" + "0200" + "0300" + "61" + "6263" + "64c3a9");
    reader.wrap(block);
    assertThat(reader.bind(layout)).isTrue();
    assertThat(reader.getString(1, 0)).isEqualTo("dé");
    // The reference's cell for a string vector: its lengths, then its bytes.
    byte[] cell = new byte[reader.cellLength(0)];
    reader.copyCell(0, cell, 0);
    assertThat(HEX.formatHex(cell)).isEqualTo("01000200" + "616263");
    assertThat(reader.stringLengthsOffset(1)).isEqualTo(9 + 4);
  }

  @Test
  void fixedWidthValuesAreLittleEndianAtTheirWidth() {
    PsdbLayout layout = PsdbLayout.vectors(DataType.INT16_VECTOR, new int[] {2, 1});
    encoder.begin(layout, 1, 0, PsdbCompression.NONE)
        .addIntVector(new int[] {1, -2}).addIntVector(new int[] {0x1234});
    encoder.finish();
    byte[] block = encoder.toByteArray();
    assertThat(HEX.formatHex(block, 9, block.length)).isEqualTo("0100feff3412");
    reader.wrap(block);
    reader.bind(layout);
    assertThat(reader.getInt(0, 1)).isEqualTo(-2);
    assertThat(reader.valueOffset(1)).isEqualTo(13);
    assertThat(reader.valueLength(0)).isEqualTo(4);

    PsdbLayout unsigned = PsdbLayout.scalars(DataType.UINT32, 2);
    encoder.begin(unsigned, 1, 0, PsdbCompression.NONE).addInt(-1).addLong(0x8000_0000L);
    encoder.finish();
    reader.wrap(encoder.toByteArray()).bind(unsigned);
    assertThat(reader.getLong(0)).isEqualTo(0xffff_ffffL);
    assertThat(reader.getInt(0)).isEqualTo(-1);
    assertThat(reader.getLong(1)).isEqualTo(0x8000_0000L);

    PsdbLayout fp16 = PsdbLayout.scalars(DataType.FP16, 2);
    encoder.begin(fp16, 1, 0, PsdbCompression.NONE).addDouble(1.0).addDouble(65504.0);
    encoder.finish();
    block = encoder.toByteArray();
    assertThat(HEX.formatHex(block, 9, block.length)).isEqualTo("003cff7b");
  }

  // ---- expiry ----

  @Test
  void expiryPacksYearDayAndSecond() {
    PsdbLayout layout = PsdbLayout.scalars(DataType.INT8, 1);
    encoder.begin(layout, 1, 86_400 + 5, PsdbCompression.NONE).addInt(1);
    encoder.finish();
    byte[] block = encoder.toByteArray();
    // 2026-03-02T00:00:05Z: day 60 of 2026 (counted from 0), second 5.
    long packed = (2026L << 26) | (60L << 17) | 5;
    byte[] expected = new byte[5];
    PsdbExpiry.write(expected, 0, packed);
    assertThat(Arrays.copyOfRange(block, 2, 7)).isEqualTo(expected);
    assertThat(HEX.formatHex(expected)).isEqualTo(String.format("%08x", Integer.reverseBytes((int) (packed >>> 8)))
        + String.format("%02x", packed & 0xff));

    reader.wrap(block);
    long expiry = Instant.parse("2026-03-02T00:00:05Z").getEpochSecond();
    assertThat(reader.expiresAtEpochSecond()).isEqualTo(expiry);
    assertThat(reader.bind(layout)).isTrue();
    clock.setMillis(expiry * 1000);
    assertThat(reader.isExpired()).as("live during its expiry second").isFalse();
    clock.setMillis(expiry * 1000 + 1);
    assertThat(reader.isExpired()).isTrue();
    assertThat(reader.bind(layout)).as("expired block reads as missing").isFalse();
    assertThatThrownBy(() -> reader.getInt(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void expiryFarIntoNextYearStaysCorrect() {
    clock.setMillis(Instant.parse("2026-12-30T10:00:00Z").toEpochMilli());
    PsdbLayout layout = PsdbLayout.scalars(DataType.INT8, 1);
    long ttl = 400L * 86_400;
    encoder.begin(layout, 1, ttl, PsdbCompression.NONE).addInt(1);
    encoder.finish();
    reader.wrap(encoder.toByteArray());
    assertThat(reader.expiresAtEpochSecond()).isEqualTo(clock.millis() / 1000 + ttl);

    clock.setMillis(Instant.parse("2026-01-10T10:00:00Z").toEpochMilli());
    encoder.begin(layout, 1, 100L * 86_400, PsdbCompression.NONE).addInt(1);
    encoder.finish();
    long packed = PsdbExpiry.read(encoder.toByteArray(), 2);
    assertThat(packed >>> 26).as("the expiry's year").isEqualTo(2026);
  }

  @Test
  void rejectsBadExpiries() {
    PsdbLayout layout = PsdbLayout.scalars(DataType.INT8, 1);
    assertThatThrownBy(() -> encoder.begin(layout, 1, 514L * 86_400, PsdbCompression.NONE))
        .hasMessageContaining("513 days");
    long now = clock.millis() / 1000;
    assertThatThrownBy(() -> encoder.beginExpiringAt(layout, 1, now, PsdbCompression.NONE))
        .hasMessageContaining("not after now");
    encoder.beginExpiringAt(layout, 1, now + 10, PsdbCompression.NONE).addInt(0);
    encoder.finish();
    assertThat(reader.wrap(encoder.toByteArray()).expiresAtEpochSecond()).isEqualTo(now + 10);
  }

  // ---- validation ----

  @Test
  void rejectsOutOfRangeValuesNamingFeatureAndValue() {
    PsdbLayout int8 = PsdbLayout.scalars(DataType.INT8, 3);
    encoder.begin(int8, 1, 0, PsdbCompression.NONE).addInt(1);
    assertThatThrownBy(() -> encoder.addInt(300))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("feature 1")
        .hasMessageContaining("300")
        .satisfies(e -> assertThat(((OnfsException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThatThrownBy(() -> encoder.begin(int8, 1, 0, PsdbCompression.NONE).addInts(new int[] {1, 2, -129}, 0, 3))
        .hasMessageContaining("feature 2").hasMessageContaining("-129");
    PsdbLayout uint8 = PsdbLayout.scalars(DataType.UINT8, 1);
    assertThatThrownBy(() -> encoder.begin(uint8, 1, 0, PsdbCompression.NONE).addInt(-1))
        .hasMessageContaining("feature 0").hasMessageContaining("-1");
    PsdbLayout uint32 = PsdbLayout.scalars(DataType.UINT32, 1);
    assertThatThrownBy(() -> encoder.begin(uint32, 1, 0, PsdbCompression.NONE).addLong(1L << 32))
        .hasMessageContaining("4294967296");
    PsdbLayout uint64 = PsdbLayout.scalars(DataType.UINT64, 1);
    assertThatThrownBy(() -> encoder.begin(uint64, 1, 0, PsdbCompression.NONE).addInt(-5))
        .hasMessageContaining("-5");
  }

  @Test
  void rejectsLongStringsWrongVectorsAndMissingValues() {
    PsdbLayout strings = PsdbLayout.strings(new int[] {3, 2});
    encoder.begin(strings, 1, 0, PsdbCompression.NONE).addString("abc");
    assertThatThrownBy(() -> encoder.addString("xyz"))
        .hasMessageContaining("feature 1").hasMessageContaining("'xyz'").hasMessageContaining("max length 2");
    assertThatThrownBy(() -> encoder.begin(strings, 1, 0, PsdbCompression.NONE).addString("é€a"))
        .hasMessageContaining("feature 0").hasMessageContaining("6 UTF-8 bytes");

    PsdbLayout vectors = PsdbLayout.vectors(DataType.FP32_VECTOR, new int[] {2, 3});
    encoder.begin(vectors, 1, 0, PsdbCompression.NONE).addFloatVector(new float[] {1, 2});
    assertThatThrownBy(() -> encoder.addFloatVector(new float[] {1, 2}))
        .hasMessageContaining("feature 1").hasMessageContaining("length 2, layout says 3");
    assertThatThrownBy(() -> encoder.begin(vectors, 1, 0, PsdbCompression.NONE).addFloat(1f))
        .hasMessageContaining("feature 0").hasMessageContaining("startVector(2)");
    encoder.begin(vectors, 1, 0, PsdbCompression.NONE).startVector(2).addDouble(1);
    assertThatThrownBy(encoder::finish).hasMessageContaining("feature 0").hasMessageContaining("4 values missing");
    encoder.begin(vectors, 1, 0, PsdbCompression.NONE).startVector(2);
    assertThatThrownBy(() -> encoder.addFloats(new float[3], 0, 3)).hasMessageContaining("overflow");

    PsdbLayout ints = PsdbLayout.scalars(DataType.INT32, 1);
    encoder.begin(ints, 1, 0, PsdbCompression.NONE).addInt(1);
    assertThatThrownBy(() -> encoder.addInt(2)).hasMessageContaining("all 1 features are written");
    assertThatThrownBy(() -> encoder.begin(ints, 1, 0, PsdbCompression.NONE).addDouble(1.5))
        .hasMessageContaining("feature 0").hasMessageContaining("double value (1.5)");
    assertThatThrownBy(() -> encoder.begin(ints, 70_000, 0, PsdbCompression.NONE))
        .hasMessageContaining("70000");
  }

  @Test
  void layoutsValidateTheirInput() {
    assertThatThrownBy(() -> PsdbLayout.scalars(DataType.INT32, 0)).hasMessageContaining("at least one");
    assertThatThrownBy(() -> PsdbLayout.vectors(DataType.INT32_VECTOR, new int[] {1, 70_000}))
        .hasMessageContaining("feature 1").hasMessageContaining("70000");
    assertThatThrownBy(() -> PsdbLayout.scalars(DataType.STRING, 2)).hasMessageContaining("STRING");
    assertThatThrownBy(() -> PsdbLayout.stringVectors(new int[] {1}, new int[] {1, 2}))
        .hasMessageContaining("1 vector lengths but 2");
    assertThatThrownBy(() -> PsdbLayout.vectors(DataType.FP64_VECTOR, new int[] {65535, 65535, 65535, 65535,
        65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
        65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
        65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
        65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
        65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
        65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
        65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
        65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
        65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535,
        65535}))
        .hasMessageContaining("exceeds the cap");
  }

  // ---- reading ----

  @Test
  void readsBlocksOfAnOlderSchemaVersionWithThatVersionsLayout() {
    PsdbLayout v1 = PsdbLayout.scalars(DataType.FP32, 2);
    PsdbLayout v2 = PsdbLayout.scalars(DataType.FP32, 3);
    encoder.begin(v1, 1, 0, PsdbCompression.NONE).addFloat(1.5f).addFloat(-2f);
    encoder.finish();
    byte[] old = encoder.toByteArray();
    reader.wrap(old);
    assertThat(reader.schemaVersion()).isEqualTo(1);
    assertThatThrownBy(() -> reader.bind(v2))
        .isInstanceOf(BlockFormatException.class)
        .hasMessageContaining("is 8 bytes, expected 12");
    PsdbLayout chosen = reader.schemaVersion() == 1 ? v1 : v2;
    assertThat(reader.bind(chosen)).isTrue();
    assertThat(reader.getFloat(1)).isEqualTo(-2f);
    assertThat(reader.getDouble(0)).isEqualTo(1.5);
  }

  @Test
  void misuseIsReportedPrecisely() {
    PsdbLayout layout = PsdbLayout.scalars(DataType.INT32, 2);
    encoder.begin(layout, 1, 0, PsdbCompression.NONE).addInts(new int[] {5, 6}, 0, 2);
    encoder.finish();
    reader.wrap(encoder.toByteArray());
    assertThatThrownBy(() -> reader.getInt(0)).isInstanceOf(IllegalStateException.class);
    reader.bind(layout);
    assertThatThrownBy(() -> reader.getFloat(1))
        .isInstanceOf(OnfsException.class).hasMessageContaining("feature 1: getFloat cannot read a INT32");
    assertThatThrownBy(() -> reader.getInt(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> reader.bind(PsdbLayout.scalars(DataType.FP32, 2)))
        .isInstanceOf(BlockFormatException.class).hasMessageContaining("holds INT32");
  }

  @Test
  void decodesFramesWithChecksumAndWithoutContentSize() {
    // Other zstd writers (the reference's among them) may add a checksum or omit the content size.
    PsdbLayout layout = PsdbLayout.scalars(DataType.INT64, 100);
    encoder.begin(layout, 9, 0, PsdbCompression.NONE);
    for (int i = 0; i < 100; i++) {
      encoder.addLong(i % 3);
    }
    encoder.finish();
    byte[] plain = encoder.toByteArray();
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      ctx.setChecksum(true).setContentSize(false).setLevel(7);
      byte[] frame = ctx.compress(Arrays.copyOfRange(plain, 9, plain.length));
      byte[] block = new byte[9 + frame.length];
      System.arraycopy(plain, 0, block, 0, 9);
      block[7] |= 0x02;
      System.arraycopy(frame, 0, block, 9, frame.length);
      reader.wrap(block);
      assertThat(reader.bind(layout)).isTrue();
      assertThat(reader.getLong(98)).isEqualTo(2);
    }
  }

  @Test
  void singleFeatureDecodeDoesNotAllocate() {
    PsdbLayout layout = PsdbLayout.scalars(DataType.INT32, 100);
    int[] values = new int[100];
    Arrays.setAll(values, i -> i * 7);
    encoder.begin(layout, 1, 3600, PsdbCompression.NONE).addInts(values, 0, 100);
    encoder.finish();
    byte[] plain = encoder.toByteArray();
    PsdbLayout strings = PsdbLayout.strings(new int[] {8, 8, 8});
    encoder.begin(strings, 1, 0, PsdbCompression.ZSTD).addString("aaaaaaaa").addString("aaaaaaaa")
        .addString("aaaaaaaa");
    encoder.finish();
    byte[] compressed = encoder.toByteArray();
    assertThat(encoder.isCompressed()).isTrue();

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (int round = 0; round < 2; round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 20_000; i++) {
        reader.wrap(plain, 0, plain.length);
        reader.bind(layout);
        sum += reader.getInt(i % 100);
        reader.wrap(compressed, 0, compressed.length);
        reader.bind(strings);
        sum += reader.valueLength(i % 3);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      if (round == 1) {
        assertThat(allocated).as("bytes allocated by 40,000 decodes").isLessThan(4096);
      }
    }
    assertThat(sum).isPositive();
  }
}
