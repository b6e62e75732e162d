package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The values of one feature group in one row ({@code persist.Values}): a protobuf "one list per
 * type" message of which exactly one list should be filled, the one for the group's data type.
 *
 * <p>Unsigned values are carried in {@code int}/{@code long} with the unsigned bit pattern, as
 * protobuf does. Vectors are one nested {@code Values} per feature.
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
    List<Values> vector) {

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
    vector = List.copyOf(requireNonNull(vector, "vector is null"));
  }

  public static Values empty() {
    return EMPTY;
  }

  /** Values with only {@code field} filled. Elements must have the field's Java type. */
  public static Values of(ValueField field, List<?> values) {
    requireNonNull(field, "field is null");
    requireNonNull(values, "values is null");
    List<List<?>> lists = new ArrayList<>(ValueField.values().length);
    for (ValueField f : ValueField.values()) {
      lists.add(f == field ? values : List.of());
    }
    return fromLists(lists);
  }

  @SuppressWarnings("unchecked")
  static Values fromLists(List<List<?>> lists) {
    return new Values(
        (List<Double>) lists.get(0),
        (List<Double>) lists.get(1),
        (List<Integer>) lists.get(2),
        (List<Long>) lists.get(3),
        (List<Integer>) lists.get(4),
        (List<Long>) lists.get(5),
        (List<String>) lists.get(6),
        (List<Boolean>) lists.get(7),
        (List<Values>) lists.get(8));
  }

  /** The list of {@code field}. */
  public List<?> get(ValueField field) {
    switch (field) {
      case FP32:
        return fp32Values;
      case FP64:
        return fp64Values;
      case INT32:
        return int32Values;
      case INT64:
        return int64Values;
      case UINT32:
        return uint32Values;
      case UINT64:
        return uint64Values;
      case STRING:
        return stringValues;
      case BOOL:
        return boolValues;
      case VECTOR:
        return vector;
      default:
        throw new AssertionError(field);
    }
  }

  /** The non-empty fields, in field-number order. */
  public List<ValueField> filledFields() {
    List<ValueField> filled = new ArrayList<>(1);
    for (ValueField f : ValueField.values()) {
      if (!get(f).isEmpty()) {
        filled.add(f);
      }
    }
    return filled;
  }
}
