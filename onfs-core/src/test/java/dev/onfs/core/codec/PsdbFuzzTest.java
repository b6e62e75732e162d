package dev.onfs.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.testing.TestingClock;
import dev.onfs.core.types.DataType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds mutated blocks (bit flips, overwritten bytes, truncation, extension, header edits) to the
 * reader: the only exception it may throw is {@link BlockFormatException}.
 */
class PsdbFuzzTest {
  private static final long SEED = 0x5eed_0001L;
  private static final int ITERATIONS = 100_000;

  @Test
  void mutatedBlocksFailOnlyWithTheDocumentedException() {
    TestingClock clock = new TestingClock(Instant.parse("2026-06-01T00:00:00Z"));
    PsdbEncoder encoder = PsdbEncoder.create(clock);
    PsdbReader reader = PsdbReader.create(clock);
    SplittableRandom random = new SplittableRandom(SEED);

    List<PsdbLayout> layouts = new ArrayList<>();
    List<byte[]> blocks = new ArrayList<>();
    for (DataType type : DataType.values()) {
      if (type == DataType.UNKNOWN) {
        continue;
      }
      for (int features : new int[] {1, 5, 40}) {
        for (PsdbCompression compression : PsdbCompression.values()) {
          SampleBlocks sample = SampleBlocks.random(type, features, random, random.nextBoolean());
          encoder.begin(sample.layout, random.nextInt(3), random.nextBoolean() ? 0 : 3600, compression);
          sample.feed(encoder);
          encoder.finish();
          layouts.add(sample.layout);
          blocks.add(encoder.toByteArray());
        }
      }
    }

    byte[] scratch = new byte[64 * 1024];
    byte[] cell = new byte[64 * 1024];
    int rejected = 0;
    int read = 0;
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      int pick = random.nextInt(blocks.size());
      byte[] original = blocks.get(pick);
      PsdbLayout layout = layouts.get(random.nextInt(10) == 0 ? random.nextInt(layouts.size()) : pick);
      int length = mutate(original, scratch, random);
      int offset = 0;
      try {
        reader.wrap(scratch, offset, length);
        if (reader.bind(layout)) {
          readEverything(reader, cell);
        }
        read++;
      } catch (BlockFormatException expected) {
        assertThat(expected.getMessage()).isNotBlank();
        rejected++;
      } catch (Throwable unexpected) {
        throw new AssertionError("iteration " + iteration + " (seed " + SEED + ", block " + pick + ", "
            + layout + "): " + Arrays.toString(Arrays.copyOf(scratch, length)), unexpected);
      }
    }
    assertThat(rejected).as("mutations rejected").isGreaterThan(ITERATIONS / 4);
    assertThat(read).as("mutations still readable").isGreaterThan(ITERATIONS / 20);
  }

  private static int mutate(byte[] original, byte[] out, SplittableRandom random) {
    int length = original.length;
    System.arraycopy(original, 0, out, 0, length);
    switch (random.nextInt(7)) {
      case 0: // flip a few bits anywhere
        for (int i = random.nextInt(1, 4); i > 0; i--) {
          int bit = random.nextInt(length * 8);
          out[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        return length;
      case 1: // overwrite a few bytes
        for (int i = random.nextInt(1, 4); i > 0; i--) {
          out[random.nextInt(length)] = (byte) random.nextInt(256);
        }
        return length;
      case 2: // truncate
        return random.nextInt(length);
      case 3: // extend with garbage
        int extra = random.nextInt(1, 64);
        for (int i = 0; i < extra; i++) {
          out[length + i] = (byte) random.nextInt(256);
        }
        return length + extra;
      case 4: // header bytes 7 and 8: layout, compression, type, bool index
        out[7 + random.nextInt(2)] = (byte) random.nextInt(256);
        return length;
      case 5: // a string length or the first payload bytes
        if (length > 10) {
          out[9 + random.nextInt(Math.min(8, length - 9))] = (byte) random.nextInt(256);
        }
        return length;
      default: // replace the payload with random bytes, keep the header
        for (int i = 9; i < length; i++) {
          out[i] = (byte) random.nextInt(256);
        }
        return length;
    }
  }

  private static void readEverything(PsdbReader reader, byte[] cell) {
    DataType type = reader.dataType();
    for (int f = 0; f < reader.featureCount(); f++) {
      reader.copyCell(f, cell, 0);
      int n = reader.vectorLength(f);
      for (int e = 0; e < n; e++) {
        DataType scalar = type.scalar();
        if (scalar == DataType.STRING) {
          if (type.isVector()) {
            reader.getString(f, e);
          } else {
            reader.getString(f);
          }
        } else if (scalar == DataType.BOOL) {
          if (type.isVector()) {
            reader.getBool(f, e);
          } else {
            reader.getBool(f);
          }
        } else if (scalar == DataType.FP64 || scalar.id() <= 4) {
          if (type.isVector()) {
            reader.getDouble(f, e);
          } else {
            reader.getDouble(f);
          }
        } else if (type.isVector()) {
          reader.getLong(f, e);
        } else {
          reader.getLong(f);
        }
      }
    }
  }
}
