package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.serving.Values;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link Values}, which mirrors {@code persist.Values}, field by field. */
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
}
