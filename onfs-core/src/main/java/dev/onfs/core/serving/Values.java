package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed feature values of one feature group in one persisted row, mirroring {@code persist.Values}.
 * Only the field matching the group's data type is read: fp8/fp16/fp32 from {@code fp32Values},
 * fp64 from {@code fp64Values}, int8/16/32 from {@code int32Values}, int64 from {@code int64Values},
 * uint8/16/32 from {@code uint32Values} (unsigned bits in an {@code int}), uint64 from
 * {@code uint64Values} (unsigned bits in a {@code long}), strings, bools, and for vector types one
 * {@code Values} per feature in {@code vectors} (the proto's {@code vector[i].values}).
 *
 * <p>The lists are the ones protobuf's generated getters return ({@code getFp32ValuesList()}, ...), so
 * mapping from a message is one call per field.
 */
public record Values(
    List<Double> fp32Values,
    List<Double> fp64Values,
    List<Integer> int32Values,
    List<Long> int64Values,
    List<Integer> uint32Values,
    List<Long> uint64Values,
    List<String> stringValues,
    List<Boolean> boolValues,
    List<Values> vectors) {

  private static final Values EMPTY =
      new Values(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

  public Values {
    fp32Values = List.copyOf(requireNonNull(fp32Values, "fp32Values is null"));
    fp64Values = List.copyOf(requireNonNull(fp64Values, "fp64Values is null"));
    int32Values = List.copyOf(requireNonNull(int32Values, "int32Values is null"));
    int64Values = List.copyOf(requireNonNull(int64Values, "int64Values is null"));
    uint32Values = List.copyOf(requireNonNull(uint32Values, "uint32Values is null"));
    uint64Values = List.copyOf(requireNonNull(uint64Values, "uint64Values is null"));
    stringValues = List.copyOf(requireNonNull(stringValues, "stringValues is null"));
    boolValues = List.copyOf(requireNonNull(boolValues, "boolValues is null"));
    vectors = List.copyOf(requireNonNull(vectors, "vectors is null"));
  }

  /** No values at all. */
  public static Values empty() {
    return EMPTY;
  }

  public static Values fp32(double... values) {
    return EMPTY.withFp32(boxed(values));
  }

  public static Values fp64(double... values) {
    return EMPTY.withFp64(boxed(values));
  }

  public static Values int32(int... values) {
    List<Integer> list = new ArrayList<>(values.length);
    for (int v : values) {
      list.add(v);
    }
    return new Values(List.of(), List.of(), list, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  public static Values int64(long... values) {
    return new Values(List.of(), List.of(), List.of(), boxed(values), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /** Unsigned 32-bit values given as their bits. */
  public static Values uint32(int... values) {
    List<Integer> list = new ArrayList<>(values.length);
    for (int v : values) {
      list.add(v);
    }
    return new Values(List.of(), List.of(), List.of(), List.of(), list, List.of(), List.of(), List.of(), List.of());
  }

  /** Unsigned 64-bit values given as their bits. */
  public static Values uint64(long... values) {
    return new Values(List.of(), List.of(), List.of(), List.of(), List.of(), boxed(values), List.of(), List.of(), List.of());
  }

  public static Values strings(String... values) {
    return new Values(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(values), List.of(), List.of());
  }

  public static Values bools(boolean... values) {
    List<Boolean> list = new ArrayList<>(values.length);
    for (boolean v : values) {
      list.add(v);
    }
    return new Values(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), list, List.of());
  }

  /** One vector per feature, in feature order. */
  public static Values vectors(Values... vectors) {
    return new Values(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(vectors));
  }

  private Values withFp32(List<Double> v) {
    return new Values(v, fp64Values, int32Values, int64Values, uint32Values, uint64Values, stringValues, boolValues, vectors);
  }

  private Values withFp64(List<Double> v) {
    return new Values(fp32Values, v, int32Values, int64Values, uint32Values, uint64Values, stringValues, boolValues, vectors);
  }

  private static List<Double> boxed(double[] values) {
    List<Double> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  private static List<Long> boxed(long[] values) {
    List<Long> list = new ArrayList<>(values.length);
    for (long v : values) {
      list.add(v);
    }
    return list;
  }
}
