package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GoFloatFormat} against Go's own {@code strconv.FormatFloat(x, 'g' or 'f', -1, 32 or 64)}:
 * every special and boundary value one by one, and 10^8 generated values by comparing hashes of both
 * sides' output per chunk of a million (a differing chunk is then listed to name the first value).
 * The Go side is {@code src/test/go/floatformat.go}, built with the machine's {@code go} (Debian's
 * {@code golang-go}; standard library only).
 *
 * <p>{@link #main} checks all 2^32 float32 values the same way; too slow for every build, it is run by
 * hand (docs/performance.md).
 */
class GoFloatFormatDifferentialIT {
  private static final int CHUNK = 1_000_000;
  private static Path formatter;

  @BeforeAll
  static void buildGoFormatter() throws Exception {
    formatter = build();
  }

  @Test
  void specialAndBoundaryValuesFormatLikeGo() throws Exception {
    List<Long> doubles = new ArrayList<>(boundaryDoubles());
    List<Long> floats = new ArrayList<>(boundaryFloats());
    assertThat(doubles.size()).isGreaterThan(5_000);
    assertThat(floats.size()).isGreaterThan(1_000);
    for (char format : new char[] {'g', 'f'}) {
      assertSameOneByOne(format, 64, doubles);
      assertSameOneByOne(format, 32, floats);
    }
  }

  @Test
  void aHundredMillionGeneratedValuesFormatLikeGo() throws Exception {
    // %v of scalars: random bit patterns (every exponent equally) and random short decimals
    // (where ties and shortest-digit choices happen).
    assertSameHashes("bits64", 'g', 11, 30_000_000);
    assertSameHashes("bits32", 'g', 12, 30_000_000);
    assertSameHashes("decimals64", 'g', 13, 20_000_000);
    assertSameHashes("decimals32", 'g', 14, 20_000_000);
    // 'f' of vector elements: the same digits, placed without an exponent.
    assertSameHashes("bits32", 'f', 15, 2_000_000);
    assertSameHashes("decimals64", 'f', 16, 1_000_000);
    assertSameHashes("decimals32", 'f', 17, 2_000_000);
  }

  /** Every float32, in chunks of 2^24: {@code java -cp <onfs-core test classpath> ...GoFloatFormatDifferentialIT}. */
  public static void main(String[] args) throws Exception {
    formatter = build();
    long start = System.nanoTime();
    for (long from = 0; from < 1L << 32; from += 1L << 24) {
      assertSameHashes("all32", 'g', from, 1 << 24);
      System.out.printf("float32 bit patterns below %#x: same as Go (%d s)%n", from + (1L << 24),
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    }
  }

  // ---- the Java side of floatformat.go: same generators, same lines, same hashes ----

  /** SplitMix64, as floatformat.go's. */
  private static final class Generator {
    private final String kind;
    private long state;
    private long next;

    Generator(String kind, long seed) {
      this.kind = kind;
      this.state = seed;
      this.next = seed;
    }

    private long random() {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    /** The next value's bit pattern (a float32's in the low 32 bits). */
    long value() {
      switch (kind) {
        case "bits64":
          return random();
        case "bits32":
          return random() & 0xFFFF_FFFFL;
        case "all32":
          return next++ & 0xFFFF_FFFFL;
        case "decimals64":
        case "decimals32": {
          boolean single = kind.equals("decimals32");
          long digits = 1 + Long.remainderUnsigned(random(), single ? 9 : 17);
          long pow = 1;
          for (int i = 0; i < digits; i++) {
            pow *= 10;
          }
          long mantissa = Long.remainderUnsigned(random(), pow);
          long exp = (single ? -50 : -345) + Long.remainderUnsigned(random(), single ? 95 : 670);
          String text = mantissa + "e" + exp;
          return single
              ? Float.floatToRawIntBits(Float.parseFloat(text)) & 0xFFFF_FFFFL
              : Double.doubleToRawLongBits(Double.parseDouble(text));
        }
        default:
          throw new IllegalArgumentException(kind);
      }
    }

    boolean single() {
      return kind.endsWith("32");
    }
  }

  private static String format(long bits, boolean single, char format) {
    if (single) {
      float f = Float.intBitsToFloat((int) bits);
      return format == 'g' ? GoFloatFormat.formatG(f) : GoFloatFormat.formatF(f);
    }
    double d = Double.longBitsToDouble(bits);
    return format == 'g' ? GoFloatFormat.formatG(d) : GoFloatFormat.formatF(d);
  }

  private static String line(long bits, boolean single, char format) {
    return Long.toHexString(bits) + " " + format(bits, single, format) + "\n";
  }

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private static void assertSameHashes(String kind, char format, long seed, int count) throws Exception {
    Process go = start("hash", kind, String.valueOf(format), Long.toUnsignedString(seed), String.valueOf(count),
        String.valueOf(CHUNK));
    CompletableFuture<List<String>> goHashes = CompletableFuture.supplyAsync(() -> readLines(go));
    Generator generator = new Generator(kind, seed);
    List<String> javaHashes = new ArrayList<>();
    long hash = FNV_OFFSET;
    for (int i = 0; i < count; i++) {
      String line = line(generator.value(), generator.single(), format);
      for (int j = 0; j < line.length(); j++) {
        hash ^= line.charAt(j);
        hash *= FNV_PRIME;
      }
      if ((i + 1) % CHUNK == 0 || i + 1 == count) {
        javaHashes.add(String.format("%016x", hash));
        hash = FNV_OFFSET;
      }
    }
    List<String> fromGo = goHashes.get(10, TimeUnit.MINUTES);
    assertThat(go.waitFor()).as("floatformat exit code").isZero();
    assertThat(fromGo).as("chunks hashed by Go").hasSize(javaHashes.size());
    for (int c = 0; c < javaHashes.size(); c++) {
      if (!javaHashes.get(c).equals(fromGo.get(c))) {
        failWithFirstDifference(kind, format, seed, (long) c * CHUNK, Math.min(CHUNK, count - c * CHUNK));
      }
    }
  }

  private static void failWithFirstDifference(String kind, char format, long seed, long from, int count)
      throws Exception {
    Process go = start("dump", kind, String.valueOf(format), Long.toUnsignedString(seed), String.valueOf(from),
        String.valueOf(count));
    List<String> expected = readLines(go);
    Generator generator = new Generator(kind, seed);
    for (long i = 0; i < from; i++) {
      generator.value();
    }
    for (int i = 0; i < count; i++) {
      long bits = generator.value();
      String ours = line(bits, generator.single(), format).strip();
      if (!ours.equals(expected.get(i))) {
        fail("%s value %d of %s (seed %d), format '%c': Go prints \"%s\", we print \"%s\"", kind, from + i, kind,
            seed, format, expected.get(i), ours);
      }
    }
    fail("chunk from %d of %s differs in hash but not line by line", from, kind);
  }

  private static void assertSameOneByOne(char format, int width, List<Long> bitPatterns) throws Exception {
    Process go = start("list", String.valueOf(format), String.valueOf(width));
    CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> readLines(go));
    try (Writer in = new java.io.OutputStreamWriter(go.getOutputStream(), StandardCharsets.US_ASCII)) {
      for (long bits : bitPatterns) {
        in.write(Long.toHexString(bits));
        in.write('\n');
      }
    }
    List<String> expected = lines.get(2, TimeUnit.MINUTES);
    assertThat(go.waitFor()).as("floatformat exit code").isZero();
    assertThat(expected).hasSize(bitPatterns.size());
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < bitPatterns.size(); i++) {
      long bits = bitPatterns.get(i);
      String ours = format(bits, width == 32, format);
      if (!ours.equals(expected.get(i))) {
        differences.add(String.format("%s (bits %x): Go \"%s\", ours \"%s\"",
            width == 32 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits), bits, expected.get(i), ours));
      }
    }
    assertThat(differences).as("float%d values formatted with '%c' unlike Go", width, format).isEmpty();
  }

  /** Zeros, specials, subnormals, every power of two and ten with its neighbours, integer limits. */
  private static Set<Long> boundaryDoubles() {
    Set<Long> values = new LinkedHashSet<>();
    for (double d : new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 1e21, 1e20, 123456, 1234567, 0.0001, 0.00001,
        9007199254740992.0, 9007199254740993.0, 4503599627370496.0, 5e-324, 1.7976931348623157e308}) {
      addWithNeighbours(values, d);
    }
    for (long t = 1; t < 200; t++) {
      values.add(t);
      values.add((1L << 52) - t);
    }
    for (int e = -1074; e <= 1023; e++) {
      addWithNeighbours(values, Math.scalb(1.0, e));
      addWithNeighbours(values, Math.scalb(1.5, e));
    }
    for (int k = -324; k <= 308; k++) {
      addWithNeighbours(values, Double.parseDouble("1e" + k));
      addWithNeighbours(values, Double.parseDouble("5e" + k));
      addWithNeighbours(values, Double.parseDouble("9.999999999999999e" + k));
    }
    for (long i = 0; i <= 1000; i++) {
      values.add(Double.doubleToRawLongBits(i));
      values.add(Double.doubleToRawLongBits(i / 1000.0));
    }
    List<Long> negatives = new ArrayList<>();
    for (long v : values) {
      negatives.add(v ^ Long.MIN_VALUE);
    }
    values.addAll(negatives);
    return values;
  }

  private static Set<Long> boundaryFloats() {
    Set<Long> values = new LinkedHashSet<>();
    for (float f : new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 16777216f, 16777217f, 8388608f, 123456f, 1e6f, 1e-5f,
        1e-4f, 0.1f, 0.3f, 3.4028235e38f}) {
      addWithNeighbours(values, f);
    }
    for (int t = 1; t < 200; t++) {
      values.add((long) t);
      values.add((long) ((1 << 23) - t));
    }
    for (int e = -149; e <= 127; e++) {
      addWithNeighbours(values, Math.scalb(1f, e));
      addWithNeighbours(values, Math.scalb(1.5f, e));
    }
    for (int k = -45; k <= 38; k++) {
      addWithNeighbours(values, Float.parseFloat("1e" + k));
      addWithNeighbours(values, Float.parseFloat("5e" + k));
      addWithNeighbours(values, Float.parseFloat("9.999999e" + k));
    }
    for (int i = 0; i <= 1000; i++) {
      values.add(Float.floatToRawIntBits(i) & 0xFFFF_FFFFL);
      values.add(Float.floatToRawIntBits(i / 1000f) & 0xFFFF_FFFFL);
    }
    List<Long> negatives = new ArrayList<>();
    for (long v : values) {
      negatives.add(v ^ 0x8000_0000L);
    }
    values.addAll(negatives);
    return values;
  }

  private static void addWithNeighbours(Set<Long> values, double d) {
    values.add(Double.doubleToRawLongBits(d));
    if (Double.isFinite(d)) {
      values.add(Double.doubleToRawLongBits(Math.nextUp(d)));
      values.add(Double.doubleToRawLongBits(Math.nextDown(d)));
    }
  }

  private static void addWithNeighbours(Set<Long> values, float f) {
    values.add(Float.floatToRawIntBits(f) & 0xFFFF_FFFFL);
    if (Float.isFinite(f)) {
      values.add(Float.floatToRawIntBits(Math.nextUp(f)) & 0xFFFF_FFFFL);
      values.add(Float.floatToRawIntBits(Math.nextDown(f)) & 0xFFFF_FFFFL);
    }
  }

  // ---- the Go program ----

  private static Path build() throws Exception {
    Path source = Path.of("src", "test", "go", "floatformat.go").toAbsolutePath();
    Path work = Path.of("target", "go").toAbsolutePath();
    Files.createDirectories(work);
    Path binary = work.resolve("floatformat");
    ProcessBuilder builder = new ProcessBuilder("go", "build", "-o", binary.toString(), source.toString())
        .directory(work.toFile())
        .redirectErrorStream(true);
    // Its own caches under target/: no writes to the user's home, nothing left between clean builds.
    builder.environment().put("GOCACHE", work.resolve("cache").toString());
    builder.environment().put("GOPATH", work.resolve("path").toString());
    builder.environment().put("GOTOOLCHAIN", "local");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError("These tests compare with Go's strconv and need the Go toolchain ('go' on the"
          + " PATH): apt-get install golang-go (scripts/test installs it)", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new AssertionError("go build of " + source + " failed:\n" + output);
    }
    return binary;
  }

  private static Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(formatter.toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static List<String> readLines(Process process) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII), 1 << 16)) {
      List<String> lines = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
      return lines;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
