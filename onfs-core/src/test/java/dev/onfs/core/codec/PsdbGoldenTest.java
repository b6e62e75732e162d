package dev.onfs.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.testing.TestingClock;
import dev.onfs.core.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checked-in blocks under {@code src/test/resources/psdb/}: for every data type one uncompressed and
 * one zstd block, each with a {@code .txt} file listing its layout and values. Every block must decode
 * to those values and re-encode to the same bytes. {@link #main} regenerates the files (only when the
 * format deliberately changes).
 */
class PsdbGoldenTest {
  static final Instant CLOCK = Instant.parse("2026-03-01T00:00:00Z");

  @Test
  void everyGoldenBlockDecodesAndReencodesByteForByte() {
    int checked = 0;
    for (String name : names()) {
      byte[] block = resource(name + ".psdb");
      Golden golden = Golden.parse(new String(resource(name + ".txt"), StandardCharsets.UTF_8));
      TestingClock clock = new TestingClock(CLOCK);
      PsdbReader reader = PsdbReader.create(clock);
      reader.wrap(block);
      assertThat(reader.dataType()).as(name).isEqualTo(golden.sample.layout.dataType());
      assertThat(reader.schemaVersion()).as(name).isEqualTo(golden.schemaVersion);
      assertThat(reader.compression()).as(name).isEqualTo(golden.compression);
      assertThat(reader.bind(golden.sample.layout)).as(name).isTrue();
      golden.sample.assertReadsBack(reader);

      PsdbEncoder encoder = PsdbEncoder.create(clock);
      encoder.begin(golden.sample.layout, golden.schemaVersion, golden.ttlSeconds, golden.compression);
      golden.sample.feed(encoder);
      encoder.finish();
      assertThat(encoder.toByteArray()).as(name).isEqualTo(block);
      checked++;
    }
    assertThat(checked).isEqualTo(2 * 30);
  }

  @Test
  void everyGoldenBlockEncodesByteForByteStraightIntoACallersBuffer() {
    int checked = 0;
    for (String name : names()) {
      byte[] block = resource(name + ".psdb");
      Golden golden = Golden.parse(new String(resource(name + ".txt"), StandardCharsets.UTF_8));
      PsdbEncoder encoder = PsdbEncoder.create(new TestingClock(CLOCK));
      // A dirty buffer at an odd offset: every byte of the block must be written, none read.
      byte[] out = new byte[3 + PsdbEncoder.maxSerializedSize(golden.sample.layout) + 5];
      Arrays.fill(out, (byte) 0x5A);
      encoder.beginInto(out, 3, golden.sample.layout, golden.schemaVersion, golden.ttlSeconds, golden.compression);
      golden.sample.feed(encoder);
      int size = encoder.finish();
      assertThat(Arrays.copyOfRange(out, 3, 3 + size)).as(name).isEqualTo(block);
      assertThat(out[0]).as(name).isEqualTo((byte) 0x5A);
      assertThat(encoder.toByteArray()).as(name).isEqualTo(block);
      checked++;
    }
    assertThat(checked).isEqualTo(2 * 30);
  }

  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (DataType type : DataType.values()) {
      if (type != DataType.UNKNOWN) {
        names.add(type.registryName());
        names.add(type.registryName() + ".zstd");
      }
    }
    return names;
  }

  private static byte[] resource(String name) {
    try (InputStream in = PsdbGoldenTest.class.getResourceAsStream("/psdb/" + name)) {
      if (in == null) {
        throw new AssertionError("missing golden file psdb/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A golden block's description: header inputs, layout and values. */
  static final class Golden {
    final int schemaVersion;
    final long ttlSeconds;
    final PsdbCompression compression;
    final SampleBlocks sample;

    Golden(int schemaVersion, long ttlSeconds, PsdbCompression compression, SampleBlocks sample) {
      this.schemaVersion = schemaVersion;
      this.ttlSeconds = ttlSeconds;
      this.compression = compression;
      this.sample = sample;
    }

    String format() {
      PsdbLayout layout = sample.layout;
      DataType type = layout.dataType();
      StringBuilder out = new StringBuilder();
      out.append("# PSDB golden block: header inputs, layout, then one line per feature\n");
      out.append("type ").append(type.registryName()).append('\n');
      out.append("schemaVersion ").append(schemaVersion).append('\n');
      out.append("ttlSeconds ").append(ttlSeconds).append(" clock ").append(CLOCK).append('\n');
      out.append("compression ").append(compression).append('\n');
      int[] vectorLengths = new int[layout.featureCount()];
      int[] maxLengths = new int[layout.featureCount()];
      for (int i = 0; i < vectorLengths.length; i++) {
        vectorLengths[i] = layout.vectorLength(i);
        maxLengths[i] = layout.stringMaxLength(i);
      }
      out.append("vectorLengths ").append(join(vectorLengths)).append('\n');
      out.append("stringMaxLengths ").append(join(maxLengths)).append('\n');
      for (Object value : sample.values) {
        out.append("value ").append(formatValue(type.scalar(), value)).append('\n');
      }
      return out.toString();
    }

    static Golden parse(String text) {
      DataType type = null;
      int version = 0;
      long ttl = 0;
      PsdbCompression compression = PsdbCompression.NONE;
      int[] vectorLengths = new int[0];
      int[] maxLengths = new int[0];
      List<String> values = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] parts = line.split(" ", 2);
        String rest = parts.length > 1 ? parts[1] : "";
        switch (parts[0]) {
          case "type":
            type = DataType.fromName(rest);
            break;
          case "schemaVersion":
            version = Integer.parseInt(rest);
            break;
          case "ttlSeconds":
            ttl = Long.parseLong(rest.split(" ")[0]);
            break;
          case "compression":
            compression = PsdbCompression.valueOf(rest);
            break;
          case "vectorLengths":
            vectorLengths = ints(rest);
            break;
          case "stringMaxLengths":
            maxLengths = ints(rest);
            break;
          case "value":
            values.add(rest);
            break;
          default:
            throw new IllegalArgumentException("unknown golden line: " + line);
        }
      }
      if (type == null) {
        throw new IllegalArgumentException("golden file without type");
      }
      int features = values.size();
      PsdbLayout layout = PsdbLayout.of(type, features, type.isVector() ? vectorLengths : new int[0],
          type.isString() ? maxLengths : new int[0]);
      Object[] parsed = new Object[features];
      for (int i = 0; i < features; i++) {
        parsed[i] = parseValue(type, values.get(i));
      }
      return new Golden(version, ttl, compression, SampleBlocks.of(layout, parsed));
    }

    private static String join(int[] values) {
      return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    private static int[] ints(String text) {
      return text.isBlank() ? new int[0] : Arrays.stream(text.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    private static String formatValue(DataType scalar, Object value) {
      if (value instanceof double[]) {
        return Arrays.stream((double[]) value).mapToObj(d -> formatDouble(scalar, d))
            .collect(Collectors.joining(" ", "[", "]"));
      }
      if (value instanceof long[]) {
        return Arrays.stream((long[]) value).mapToObj(l -> formatLong(scalar, l))
            .collect(Collectors.joining(" ", "[", "]"));
      }
      if (value instanceof boolean[]) {
        boolean[] b = (boolean[]) value;
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < b.length; i++) {
          s.append(i == 0 ? "" : " ").append(b[i]);
        }
        return s.append(']').toString();
      }
      if (value instanceof String[]) {
        return Arrays.stream((String[]) value).map(s -> '"' + s + '"').collect(Collectors.joining(" ", "[", "]"));
      }
      if (value instanceof Double) {
        return formatDouble(scalar, (Double) value);
      }
      if (value instanceof Long) {
        return formatLong(scalar, (Long) value);
      }
      if (value instanceof String) {
        return '"' + (String) value + '"';
      }
      return value.toString();
    }

    private static String formatDouble(DataType scalar, double value) {
      // Store the value the block holds, so decoding and re-encoding are both exact.
      return Double.toString(SampleBlocks.roundTrip(scalar, value));
    }

    private static String formatLong(DataType scalar, long value) {
      return scalar == DataType.UINT64 ? Long.toUnsignedString(value) : Long.toString(value);
    }

    private static Object parseValue(DataType type, String text) {
      DataType scalar = type.scalar();
      if (type.isVector()) {
        String inner = text.substring(1, text.length() - 1).trim();
        String[] items = inner.isEmpty() ? new String[0] : inner.split(" ");
        switch (scalar) {
          case STRING:
            return Arrays.stream(items).map(s -> s.substring(1, s.length() - 1)).toArray(String[]::new);
          case BOOL: {
            boolean[] b = new boolean[items.length];
            for (int i = 0; i < items.length; i++) {
              b[i] = Boolean.parseBoolean(items[i]);
            }
            return b;
          }
          default:
            if (scalar.id() <= 5) {
              return Arrays.stream(items).mapToDouble(Double::parseDouble).toArray();
            }
            return Arrays.stream(items).mapToLong(s -> parseLong(scalar, s)).toArray();
        }
      }
      switch (scalar) {
        case STRING:
          return text.substring(1, text.length() - 1);
        case BOOL:
          return Boolean.parseBoolean(text);
        default:
          return scalar.id() <= 5 ? (Object) Double.parseDouble(text) : (Object) parseLong(scalar, text);
      }
    }

    private static long parseLong(DataType scalar, String text) {
      return scalar == DataType.UINT64 ? Long.parseUnsignedLong(text) : Long.parseLong(text);
    }
  }

  /** Regenerates the golden files into the directory given as the first argument. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "onfs-core/src/test/resources/psdb");
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(20261124L);
    TestingClock clock = new TestingClock(CLOCK);
    PsdbEncoder encoder = PsdbEncoder.create(clock);
    int version = 1;
    for (DataType type : DataType.values()) {
      if (type == DataType.UNKNOWN) {
        continue;
      }
      for (PsdbCompression compression : PsdbCompression.values()) {
        boolean zstd = compression == PsdbCompression.ZSTD;
        int features = zstd ? (type.isBool() ? 2000 : 48) : 6;
        SampleBlocks sample = SampleBlocks.random(type, features, random, zstd);
        long ttl = version % 3 == 0 ? 86_400 : 0;
        Golden golden = new Golden(version, ttl, compression, sample);
        // Round the floats through the format first so the text holds exact block values.
        Golden exact = Golden.parse(golden.format());
        encoder.begin(exact.sample.layout, version, ttl, compression);
        exact.sample.feed(encoder);
        encoder.finish();
        if (zstd && !encoder.isCompressed()) {
          throw new IllegalStateException(type + ": sample did not compress");
        }
        String name = type.registryName() + (zstd ? ".zstd" : "");
        Files.write(dir.resolve(name + ".psdb"), encoder.toByteArray());
        Files.writeString(dir.resolve(name + ".txt"), exact.format());
        version++;
      }
    }
  }
}
