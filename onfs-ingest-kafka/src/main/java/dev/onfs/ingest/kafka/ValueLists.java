package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.serving.Values;
import java.util.ArrayList;
import java.util.List;

/** Field-by-field access to {@link Values}, which mirrors {@code persist.Values}. */
final class ValueLists {
  private ValueLists() {}

  /** Values with only {@code field} filled. Elements must have the field's Java type. */
  static Values of(ValueField field, List<?> values) {
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
  static List<?> get(Values v, ValueField field) {
    switch (field) {
      case FP32:
        return v.fp32Values();
      case FP64:
        return v.fp64Values();
      case INT32:
        return v.int32Values();
      case INT64:
        return v.int64Values();
      case UINT32:
        return v.uint32Values();
      case UINT64:
        return v.uint64Values();
      case STRING:
        return v.stringValues();
      case BOOL:
        return v.boolValues();
      case VECTOR:
        return v.vectors();
      default:
        throw new AssertionError(field);
    }
  }

  /** The non-empty fields, in field-number order. */
  static List<ValueField> filledFields(Values v) {
    List<ValueField> filled = new ArrayList<>(1);
    for (ValueField f : ValueField.values()) {
      if (!get(v, f).isEmpty()) {
        filled.add(f);
      }
    }
    return filled;
  }
}
