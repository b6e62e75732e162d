package dev.onfs.controlplane.compat;

import dev.onfs.core.registry.Column;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.Segments;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference's allotment of a feature group's block to {@code seg_<n>} columns of
 * {@code max-column-size-in-bytes} each, as it grows and shrinks.
 *
 * <p>Column numbers continue after the highest one used by any group of the entity, as the
 * reference numbers them, and also after any group of another entity on the same store: the
 * reference numbers per entity only, so two entities sharing a table could be given the same column.
 */
final class Columns {
  private Columns() {}

  /** The result of resizing: every column of the group, and the ones that are new. */
  record Sized(List<Column> columns, List<String> added) {}

  /** The first free column number for a group of {@code entity} on {@code storeId}. */
  static int nextNumber(RegistrySnapshot snapshot, Entity entity, String storeId) {
    int next = 0;
    for (Entity other : snapshot.entities().values()) {
      for (FeatureGroup group : other.featureGroups().values()) {
        if (other.label().equals(entity.label()) || group.storeId().equals(storeId)) {
          for (Column column : group.columns()) {
            next = Math.max(next, Segments.number(column.label()) + 1);
          }
        }
      }
    }
    return next;
  }

  /** Columns of a new group: {@code total} bytes split into full columns and a last partial one. */
  static Sized create(long total, int maxColumn, int first) {
    List<Column> columns = new ArrayList<>();
    List<String> added = new ArrayList<>();
    int next = first;
    for (long remaining = total; remaining > 0; remaining -= maxColumn) {
      String label = Segments.label(next++);
      columns.add(new Column(label, (int) Math.min(remaining, maxColumn)));
      added.add(label);
    }
    return new Sized(columns, added);
  }

  /**
   * Grows the group's columns by {@code bytes}: non-empty columns first, then empty ones, each in
   * ascending number, filled up to {@code maxColumn}; what does not fit goes to new columns from
   * {@code next}.
   */
  static Sized grow(List<Column> existing, long bytes, int maxColumn, int next) {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    List<Column> order = new ArrayList<>(existing);
    order.sort(Comparator.comparing((Column c) -> c.currentSizeInBytes() == 0)
        .thenComparingInt(c -> Segments.number(c.label())));
    long remaining = bytes;
    for (Column column : order) {
      int free = Math.max(0, maxColumn - column.currentSizeInBytes());
      int take = (int) Math.min(free, remaining);
      sizes.put(column.label(), column.currentSizeInBytes() + take);
      remaining -= take;
    }
    List<String> added = new ArrayList<>();
    int number = next;
    while (remaining > 0) {
      String label = Segments.label(number++);
      int take = (int) Math.min(maxColumn, remaining);
      sizes.put(label, take);
      added.add(label);
      remaining -= take;
    }
    return new Sized(toColumns(sizes), added);
  }

  /** Shrinks the group's columns by {@code bytes}, from the highest-numbered column down to zero. */
  static Sized shrink(List<Column> existing, long bytes) {
    List<Column> order = new ArrayList<>(existing);
    order.sort(Comparator.comparingInt((Column c) -> Segments.number(c.label())).reversed());
    Map<String, Integer> sizes = new LinkedHashMap<>();
    long remaining = bytes;
    for (Column column : order) {
      int take = (int) Math.min(column.currentSizeInBytes(), remaining);
      sizes.put(column.label(), column.currentSizeInBytes() - take);
      remaining -= take;
    }
    return new Sized(toColumns(sizes), List.of());
  }

  private static List<Column> toColumns(Map<String, Integer> sizes) {
    List<Column> columns = new ArrayList<>();
    sizes.forEach((label, size) -> columns.add(new Column(label, size)));
    columns.sort(Comparator.comparingInt((Column c) -> Segments.number(c.label())));
    return columns;
  }
}
