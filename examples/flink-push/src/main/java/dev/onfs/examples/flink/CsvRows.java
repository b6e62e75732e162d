package dev.onfs.examples.flink;

import static java.util.Objects.requireNonNull;

import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.SchemaCatalog;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns CSV lines into {@link FeatureRow}s of one entity, typing each value by its feature group's
 * registered data type. The header names the entity's key columns and one column per feature,
 * {@code <feature group>__<feature>}; a vector value lists its elements separated by {@code ;}.
 * Fields are not quoted, so values cannot contain commas.
 */
final class CsvRows {
  /** Separates feature group and feature in a column name. */
  static final String SEPARATOR = "__";
  /** Separates the elements of a vector value. */
  static final String VECTOR_SEPARATOR = ";";

  private final String header;
  private final String entity;
  private final String[] columns;
  /** Per column: the key's position, or -1 for a feature column. */
  private final int[] keyIndex;
  /** Per column: the group of a feature column, or null for a key column. */
  private final SchemaCatalog.GroupSchema[] groups;
  private final String[] features;
  private final int keyCount;

  /**
   * Checks the header against the registry: every key column present, every other column an
   * active feature of a registered group of {@code entity}.
   *
   * @throws IllegalArgumentException naming the column or key that does not fit
   */
  CsvRows(String header, String entity, SchemaCatalog catalog) {
    this.header = requireNonNull(header, "header is null").strip();
    this.entity = requireNonNull(entity, "entity is null");
    SchemaCatalog.EntitySchema schema = catalog.entity(entity);
    if (schema == null) {
      throw new IllegalArgumentException("entity '" + entity + "' is not in the registry");
    }
    columns = this.header.split(",", -1);
    keyIndex = new int[columns.length];
    groups = new SchemaCatalog.GroupSchema[columns.length];
    features = new String[columns.length];
    List<String> keys = schema.keys();
    keyCount = keys.size();
    boolean[] keySeen = new boolean[keyCount];
    for (int i = 0; i < columns.length; i++) {
      String column = columns[i].strip();
      columns[i] = column;
      keyIndex[i] = keys.indexOf(column);
      if (keyIndex[i] >= 0) {
        keySeen[keyIndex[i]] = true;
        continue;
      }
      int sep = column.indexOf(SEPARATOR);
      if (sep <= 0) {
        throw new IllegalArgumentException("column '" + column + "' is neither a key of entity '" + entity
            + "' " + keys + " nor named <feature group>" + SEPARATOR + "<feature>");
      }
      String group = column.substring(0, sep);
      String feature = column.substring(sep + SEPARATOR.length());
      SchemaCatalog.GroupSchema g = schema.groups().get(group);
      if (g == null) {
        throw new IllegalArgumentException(
            "column '" + column + "': entity '" + entity + "' has no feature group '" + group + "'");
      }
      if (!g.features().contains(feature)) {
        throw new IllegalArgumentException("column '" + column + "': feature group '" + group
            + "' has no active feature '" + feature + "' " + g.features());
      }
      groups[i] = g;
      features[i] = feature;
    }
    for (int k = 0; k < keyCount; k++) {
      if (!keySeen[k]) {
        throw new IllegalArgumentException("the header has no column for key '" + keys.get(k) + "' of entity '"
            + entity + "': " + this.header);
      }
    }
  }

  /** True for the lines that carry no row: blank lines and a repeat of the header (each file's first line). */
  boolean skips(String line) {
    String l = line.strip();
    return l.isEmpty() || l.equals(header);
  }

  /**
   * The row on {@code line}.
   *
   * @throws IllegalArgumentException naming the column whose value does not parse, or a line with
   *     the wrong number of fields
   */
  FeatureRow parse(String line) {
    String[] fields = line.strip().split(",", -1);
    if (fields.length != columns.length) {
      throw new IllegalArgumentException(
          "line has " + fields.length + " fields, the header " + columns.length + ": " + line);
    }
    String[] keys = new String[keyCount];
    Map<String, Map<String, Object>> values = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i++) {
      String field = fields[i].strip();
      if (keyIndex[i] >= 0) {
        if (field.isEmpty()) {
          throw new IllegalArgumentException("key column '" + columns[i] + "' is empty: " + line);
        }
        keys[keyIndex[i]] = field;
        continue;
      }
      SchemaCatalog.GroupSchema g = groups[i];
      Object value;
      try {
        value = g.dataType().isVector() ? vector(g, field) : scalar(g, field);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("column '" + columns[i] + "' (" + g.dataType().registryName()
            + "): " + e.getMessage() + " in line: " + line, e);
      }
      values.computeIfAbsent(g.label(), x -> new LinkedHashMap<>()).put(features[i], value);
    }
    return new FeatureRow(entity, List.of(keys), values);
  }

  private static List<Object> vector(SchemaCatalog.GroupSchema g, String field) {
    List<Object> elements = new ArrayList<>();
    if (field.isEmpty()) {
      return elements;
    }
    for (String e : field.split(VECTOR_SEPARATOR, -1)) {
      elements.add(scalar(g, e.strip()));
    }
    return elements;
  }

  private static Object scalar(SchemaCatalog.GroupSchema g, String text) {
    switch (g.dataType().scalar()) {
      case STRING:
        return text;
      case BOOL:
        if (text.equals("true")) {
          return Boolean.TRUE;
        }
        if (text.equals("false")) {
          return Boolean.FALSE;
        }
        throw new IllegalArgumentException("'" + text + "' is not true or false");
      case FP8E5M2:
      case FP8E4M3:
      case FP16:
      case FP32:
      case FP64:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + text + "' is not a number");
        }
      case UINT64:
        try {
          return new BigInteger(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + text + "' is not an integer");
        }
      case UNKNOWN:
        throw new IllegalArgumentException("feature group '" + g.label() + "' has no data type");
      default:
        // every other type is an integer type; the pusher checks its range
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + text + "' is not an integer");
        }
    }
  }
}
