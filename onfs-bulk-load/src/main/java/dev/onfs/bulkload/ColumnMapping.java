package dev.onfs.bulkload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onfs.core.types.DataType;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.SchemaCatalog.EntitySchema;
import dev.onfs.ingest.kafka.SchemaCatalog.GroupSchema;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps a file's columns to an entity: key columns are named as the entity's keys, feature columns
 * {@code <feature group>__<feature>}. Every group named must have a column for each feature of its
 * active version. Other columns are ignored (listed once on stderr by the loader).
 */
final class ColumnMapping {
  /** Separates feature group and feature in a column name. */
  static final String SEPARATOR = "__";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String entity;
  private final int[] keyColumns;
  private final List<String> columns;
  private final List<Feature> features;
  private final List<String> ignored;

  private record Feature(int column, String group, String label, DataType type) {}

  private ColumnMapping(String entity, int[] keyColumns, List<String> columns, List<Feature> features,
      List<String> ignored) {
    this.entity = entity;
    this.keyColumns = keyColumns;
    this.columns = columns;
    this.features = features;
    this.ignored = ignored;
  }

  /**
   * The mapping of {@code columns} of {@code file} to {@code schema}.
   *
   * @throws IllegalArgumentException naming the file and column when a key or feature column is
   *     missing, or a feature column names no registered group or feature
   */
  static ColumnMapping of(Path file, List<String> columns, EntitySchema schema) {
    int[] keys = new int[schema.keys().size()];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = columns.indexOf(schema.keys().get(k));
      if (keys[k] < 0) {
        throw new IllegalArgumentException(file + ": no column '" + schema.keys().get(k) + "' for key '"
            + schema.keys().get(k) + "' of entity '" + schema.label() + "' (columns: " + columns + ")");
      }
    }
    List<Feature> features = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    Map<String, List<String>> named = new LinkedHashMap<>();
    for (int c = 0; c < columns.size(); c++) {
      String name = columns.get(c);
      int sep = name.indexOf(SEPARATOR);
      if (sep <= 0) {
        if (!schema.keys().contains(name)) {
          ignored.add(name);
        }
        continue;
      }
      String group = name.substring(0, sep);
      String feature = name.substring(sep + SEPARATOR.length());
      GroupSchema fg = schema.groups().get(group);
      if (fg == null) {
        throw new IllegalArgumentException(file + ": column '" + name + "' names feature group '" + group
            + "', which entity '" + schema.label() + "' does not have (groups: " + schema.groups().keySet() + ")");
      }
      if (!fg.features().contains(feature)) {
        throw new IllegalArgumentException(file + ": column '" + name + "' names feature '" + feature
            + "', which is not in the active version of feature group '" + group + "' " + fg.features());
      }
      features.add(new Feature(c, group, feature, fg.dataType()));
      named.computeIfAbsent(group, g -> new ArrayList<>()).add(feature);
    }
    if (features.isEmpty()) {
      throw new IllegalArgumentException(file + ": no feature columns (named <feature group>" + SEPARATOR
          + "<feature>) among " + columns);
    }
    for (Map.Entry<String, List<String>> e : named.entrySet()) {
      List<String> missing = new ArrayList<>(java.util.Objects.requireNonNull(schema.groups().get(e.getKey()), e.getKey()).features());
      missing.removeAll(e.getValue());
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(file + ": feature group '" + e.getKey() + "' has no column for "
            + missing.stream().map(f -> e.getKey() + SEPARATOR + f).toList()
            + " (every feature of the group's active version needs one)");
      }
    }
    return new ColumnMapping(schema.label(), keys, List.copyOf(columns), List.copyOf(features), List.copyOf(ignored));
  }

  /** Columns that are neither keys nor features. */
  List<String> ignored() {
    return ignored;
  }

  /**
   * The row of {@code cells}, text cells parsed by the feature's data type.
   *
   * @throws BadRowException naming the column of an empty or unparsable cell
   */
  FeatureRow toRow(List<@Nullable Object> cells) {
    List<String> keyValues = new ArrayList<>(keyColumns.length);
    for (int k : keyColumns) {
      Object v = cells.get(k);
      if (v == null) {
        throw new BadRowException(columns.get(k), "key is empty");
      }
      keyValues.add(v.toString());
    }
    Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    for (Feature f : features) {
      Object v = cells.get(f.column);
      String column = columns.get(f.column);
      if (v == null) {
        throw new BadRowException(column, "is empty (fill defaults before loading)");
      }
      Object value = v instanceof String s ? parse(column, f.type, s) : v;
      groups.computeIfAbsent(f.group, g -> new LinkedHashMap<>()).put(f.label, value);
    }
    return new FeatureRow(entity, keyValues, groups);
  }

  /**
   * The column of a check's message: the registry checks name a feature as {@code 'group.feature'},
   * the store's as {@code feature 'feature'}, and keys as {@code 'key'}; null when the message names
   * none unambiguously.
   */
  @Nullable String columnNamedIn(String message) {
    for (Feature f : features) {
      if (message.contains("'" + f.group + "." + f.label + "'")) {
        return columns.get(f.column);
      }
    }
    // The store's checks name the feature alone: unambiguous when one group has it.
    String found = null;
    for (Feature f : features) {
      if (message.contains("feature '" + f.label + "'")) {
        if (found != null) {
          found = null;
          break;
        }
        found = columns.get(f.column);
      }
    }
    if (found != null) {
      return found;
    }
    for (int k : keyColumns) {
      if (message.contains("'" + columns.get(k) + "'")) {
        return columns.get(k);
      }
    }
    return null;
  }

  private static Object parse(String column, DataType type, String text) {
    if (type.isVector()) {
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new BadRowException(column, "is not a JSON array: " + abbreviate(text));
      }
      if (!node.isArray()) {
        throw new BadRowException(column, "is not a JSON array: " + abbreviate(text));
      }
      List<Object> elements = new ArrayList<>(node.size());
      for (JsonNode element : node) {
        elements.add(element.isTextual() ? parseScalar(column, type.scalar(), element.asText())
            : parseScalar(column, type.scalar(), element.toString()));
      }
      return elements;
    }
    return parseScalar(column, type, text);
  }

  private static Object parseScalar(String column, DataType type, String text) {
    String t = text.trim();
    try {
      switch (type) {
        case STRING:
          return text;
        case BOOL:
          if (t.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
          }
          if (t.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
          }
          throw new BadRowException(column, "needs true or false, got " + abbreviate(text));
        case UINT64:
          return new BigInteger(t);
        case FP8E5M2:
        case FP8E4M3:
        case FP16:
        case FP32:
        case FP64:
          return Double.parseDouble(t);
        default:
          return Long.parseLong(t);
      }
    } catch (NumberFormatException e) {
      throw new BadRowException(column, "needs " + (type.name().startsWith("FP") ? "a number" : "an integer")
          + " (" + type.name().toLowerCase(Locale.ROOT) + "), got " + abbreviate(text));
    }
  }

  private static String abbreviate(String text) {
    return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
  }
}
