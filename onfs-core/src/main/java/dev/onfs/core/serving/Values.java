package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Typed feature values of one feature group in one persisted row, mirroring {@code persist.Values}.
 * Only the field matching the group's data type is read: fp8/fp16/fp32 from {@code fp32}, fp64 from
 * {@code fp64}, int8/16/32 from {@code int32}, int64 from {@code int64}, uint8/16/32 from {@code uint32}
 * (unsigned bits in an {@code int}), uint64 from {@code uint64} (unsigned bits in a {@code long}),
 * strings, bools, and for vector types one {@code Values} per feature in {@code vectors} (the proto's
 * {@code vector[i].values}).
 *
 * <p>Numbers and bools are held in primitive arrays and read without boxing through the indexed
 * accessors ({@link #fp32At}, {@link #fp32Count}, ...), which is what persist uses. {@link #of} takes
 * arrays as they are, so mapping a protobuf message costs one primitive copy per field (through its
 * indexed getters) and no boxing. The list accessors ({@link #fp32Values()}, ...) are read-only views
 * that box on each access, and the list constructor unboxes once: both are for callers that already
 * hold lists. Immutable once built.
 */
public final class Values {
  private static final double[] NO_DOUBLES = {};
  private static final int[] NO_INTS = {};
  private static final long[] NO_LONGS = {};
  private static final boolean[] NO_BOOLS = {};
  private static final Values EMPTY =
      new Values(NO_DOUBLES, NO_DOUBLES, NO_INTS, NO_LONGS, NO_INTS, NO_LONGS, List.of(), NO_BOOLS, List.of());

  private final double[] fp32;
  private final double[] fp64;
  private final int[] int32;
  private final long[] int64;
  private final int[] uint32;
  private final long[] uint64;
  private final List<String> strings;
  private final boolean[] bools;
  private final List<Values> vectors;

  private Values(
      double[] fp32,
      double[] fp64,
      int[] int32,
      long[] int64,
      int[] uint32,
      long[] uint64,
      List<String> strings,
      boolean[] bools,
      List<Values> vectors) {
    this.fp32 = fp32;
    this.fp64 = fp64;
    this.int32 = int32;
    this.int64 = int64;
    this.uint32 = uint32;
    this.uint64 = uint64;
    this.strings = strings;
    this.bools = bools;
    this.vectors = vectors;
  }

  /** Values from lists (elements unboxed once, lists copied); prefer {@link #of} on hot paths. */
  public Values(
      List<Double> fp32Values,
      List<Double> fp64Values,
      List<Integer> int32Values,
      List<Long> int64Values,
      List<Integer> uint32Values,
      List<Long> uint64Values,
      List<String> stringValues,
      List<Boolean> boolValues,
      List<Values> vectors) {
    this(
        doubles(requireNonNull(fp32Values, "fp32Values is null")),
        doubles(requireNonNull(fp64Values, "fp64Values is null")),
        ints(requireNonNull(int32Values, "int32Values is null")),
        longs(requireNonNull(int64Values, "int64Values is null")),
        ints(requireNonNull(uint32Values, "uint32Values is null")),
        longs(requireNonNull(uint64Values, "uint64Values is null")),
        List.copyOf(requireNonNull(stringValues, "stringValues is null")),
        bools(requireNonNull(boolValues, "boolValues is null")),
        List.copyOf(requireNonNull(vectors, "vectors is null")));
  }

  /**
   * Values over the given arrays and lists, which are kept as they are, not copied: the caller hands
   * them over and must not change them afterwards (a protobuf message's lists never change).
   */
  public static Values of(
      double[] fp32,
      double[] fp64,
      int[] int32,
      long[] int64,
      int[] uint32,
      long[] uint64,
      List<String> strings,
      boolean[] bools,
      List<Values> vectors) {
    return new Values(
        requireNonNull(fp32, "fp32 is null"),
        requireNonNull(fp64, "fp64 is null"),
        requireNonNull(int32, "int32 is null"),
        requireNonNull(int64, "int64 is null"),
        requireNonNull(uint32, "uint32 is null"),
        requireNonNull(uint64, "uint64 is null"),
        noNulls(requireNonNull(strings, "strings is null"), "strings"),
        requireNonNull(bools, "bools is null"),
        noNulls(requireNonNull(vectors, "vectors is null"), "vectors"));
  }

  /** No values at all. */
  public static Values empty() {
    return EMPTY;
  }

  public static Values fp32(double... values) {
    return new Values(values.clone(), NO_DOUBLES, NO_INTS, NO_LONGS, NO_INTS, NO_LONGS, List.of(), NO_BOOLS, List.of());
  }

  public static Values fp64(double... values) {
    return new Values(NO_DOUBLES, values.clone(), NO_INTS, NO_LONGS, NO_INTS, NO_LONGS, List.of(), NO_BOOLS, List.of());
  }

  public static Values int32(int... values) {
    return new Values(NO_DOUBLES, NO_DOUBLES, values.clone(), NO_LONGS, NO_INTS, NO_LONGS, List.of(), NO_BOOLS, List.of());
  }

  public static Values int64(long... values) {
    return new Values(NO_DOUBLES, NO_DOUBLES, NO_INTS, values.clone(), NO_INTS, NO_LONGS, List.of(), NO_BOOLS, List.of());
  }

  /** Unsigned 32-bit values given as their bits. */
  public static Values uint32(int... values) {
    return new Values(NO_DOUBLES, NO_DOUBLES, NO_INTS, NO_LONGS, values.clone(), NO_LONGS, List.of(), NO_BOOLS, List.of());
  }

  /** Unsigned 64-bit values given as their bits. */
  public static Values uint64(long... values) {
    return new Values(NO_DOUBLES, NO_DOUBLES, NO_INTS, NO_LONGS, NO_INTS, values.clone(), List.of(), NO_BOOLS, List.of());
  }

  public static Values strings(String... values) {
    return new Values(
        NO_DOUBLES, NO_DOUBLES, NO_INTS, NO_LONGS, NO_INTS, NO_LONGS, List.of(values), NO_BOOLS, List.of());
  }

  public static Values bools(boolean... values) {
    return new Values(NO_DOUBLES, NO_DOUBLES, NO_INTS, NO_LONGS, NO_INTS, NO_LONGS, List.of(), values.clone(), List.of());
  }

  /** One vector per feature, in feature order. */
  public static Values vectors(Values... vectors) {
    return new Values(
        NO_DOUBLES, NO_DOUBLES, NO_INTS, NO_LONGS, NO_INTS, NO_LONGS, List.of(), NO_BOOLS, List.of(vectors));
  }

  // ---- primitive access (no boxing)

  public int fp32Count() {
    return fp32.length;
  }

  public double fp32At(int index) {
    return fp32[index];
  }

  public int fp64Count() {
    return fp64.length;
  }

  public double fp64At(int index) {
    return fp64[index];
  }

  public int int32Count() {
    return int32.length;
  }

  public int int32At(int index) {
    return int32[index];
  }

  public int int64Count() {
    return int64.length;
  }

  public long int64At(int index) {
    return int64[index];
  }

  public int uint32Count() {
    return uint32.length;
  }

  /** The unsigned value's bits. */
  public int uint32At(int index) {
    return uint32[index];
  }

  public int uint64Count() {
    return uint64.length;
  }

  /** The unsigned value's bits. */
  public long uint64At(int index) {
    return uint64[index];
  }

  public int boolCount() {
    return bools.length;
  }

  public boolean boolAt(int index) {
    return bools[index];
  }

  // ---- list views (box on access)

  public List<Double> fp32Values() {
    return new DoubleView(fp32);
  }

  public List<Double> fp64Values() {
    return new DoubleView(fp64);
  }

  public List<Integer> int32Values() {
    return new IntView(int32);
  }

  public List<Long> int64Values() {
    return new LongView(int64);
  }

  public List<Integer> uint32Values() {
    return new IntView(uint32);
  }

  public List<Long> uint64Values() {
    return new LongView(uint64);
  }

  public List<String> stringValues() {
    return strings;
  }

  public List<Boolean> boolValues() {
    return new BoolView(bools);
  }

  public List<Values> vectors() {
    return vectors;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Values v
        && Arrays.equals(fp32, v.fp32)
        && Arrays.equals(fp64, v.fp64)
        && Arrays.equals(int32, v.int32)
        && Arrays.equals(int64, v.int64)
        && Arrays.equals(uint32, v.uint32)
        && Arrays.equals(uint64, v.uint64)
        && strings.equals(v.strings)
        && Arrays.equals(bools, v.bools)
        && vectors.equals(v.vectors);
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(fp32);
    h = 31 * h + Arrays.hashCode(fp64);
    h = 31 * h + Arrays.hashCode(int32);
    h = 31 * h + Arrays.hashCode(int64);
    h = 31 * h + Arrays.hashCode(uint32);
    h = 31 * h + Arrays.hashCode(uint64);
    h = 31 * h + strings.hashCode();
    h = 31 * h + Arrays.hashCode(bools);
    return 31 * h + vectors.hashCode();
  }

  @Override
  public String toString() {
    return "Values[fp32Values=" + Arrays.toString(fp32) + ", fp64Values=" + Arrays.toString(fp64)
        + ", int32Values=" + Arrays.toString(int32) + ", int64Values=" + Arrays.toString(int64)
        + ", uint32Values=" + Arrays.toString(uint32) + ", uint64Values=" + Arrays.toString(uint64)
        + ", stringValues=" + strings + ", boolValues=" + Arrays.toString(bools) + ", vectors=" + vectors + "]";
  }

  private static <T> List<T> noNulls(List<T> list, String name) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new NullPointerException(name + "[" + i + "] is null");
      }
    }
    return list;
  }

  private static double[] doubles(List<Double> list) {
    if (list.isEmpty()) {
      return NO_DOUBLES;
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  private static int[] ints(List<Integer> list) {
    if (list.isEmpty()) {
      return NO_INTS;
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  private static long[] longs(List<Long> list) {
    if (list.isEmpty()) {
      return NO_LONGS;
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  private static boolean[] bools(List<Boolean> list) {
    if (list.isEmpty()) {
      return NO_BOOLS;
    }
    boolean[] out = new boolean[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  private static final class DoubleView extends AbstractList<Double> implements RandomAccess {
    private final double[] values;

    DoubleView(double[] values) {
      this.values = values;
    }

    @Override
    public Double get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
  }

  private static final class IntView extends AbstractList<Integer> implements RandomAccess {
    private final int[] values;

    IntView(int[] values) {
      this.values = values;
    }

    @Override
    public Integer get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
  }

  private static final class LongView extends AbstractList<Long> implements RandomAccess {
    private final long[] values;

    LongView(long[] values) {
      this.values = values;
    }

    @Override
    public Long get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
  }

  private static final class BoolView extends AbstractList<Boolean> implements RandomAccess {
    private final boolean[] values;

    BoolView(boolean[] values) {
      this.values = values;
    }

    @Override
    public Boolean get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
  }
}
