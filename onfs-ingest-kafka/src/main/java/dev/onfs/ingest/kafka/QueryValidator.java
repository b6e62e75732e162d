package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a {@link PersistQuery} against the registry the way the store's persist path will, so a
 * bad record is dead-lettered with a precise reason instead of failing a whole batch write.
 */
public final class QueryValidator {
  private QueryValidator() {}

  /**
   * Throws a permanent {@link OnfsException} naming the first problem; passes through a transient
   * one from the catalog.
   */
  public static void validate(PersistQuery query, SchemaCatalog catalog) {
    String entity = query.entityLabel();
    if (entity.isEmpty()) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "entity_label is empty");
    }
    SchemaCatalog.EntitySchema schema = catalog.entity(entity);
    if (schema == null) {
      throw new OnfsException(ErrorCode.UNKNOWN_ENTITY, "entity '" + entity + "' is not registered");
    }
    if (query.keysSchema().size() != schema.keys().size()
        || !new HashSet<>(query.keysSchema()).equals(new HashSet<>(schema.keys()))) {
      throw new OnfsException(
          ErrorCode.SCHEMA_MISMATCH,
          "keys_schema " + query.keysSchema() + " does not match the keys " + schema.keys() + " of entity '"
              + entity + "'");
    }
    List<PersistQuery.FeatureGroupSchema> groups = query.featureGroupSchema();
    if (groups.isEmpty()) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "feature_group_schema is empty for entity '" + entity + "'");
    }
    SchemaCatalog.GroupSchema[] resolved = new SchemaCatalog.GroupSchema[groups.size()];
    Set<String> seen = new HashSet<>();
    for (int g = 0; g < groups.size(); g++) {
      PersistQuery.FeatureGroupSchema group = groups.get(g);
      if (!seen.add(group.label())) {
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "feature group '" + group.label() + "' is listed twice");
      }
      SchemaCatalog.GroupSchema fg = schema.groups().get(group.label());
      if (fg == null) {
        throw new OnfsException(
            ErrorCode.UNKNOWN_FEATURE_GROUP,
            "feature group '" + group.label() + "' is not registered for entity '" + entity + "'");
      }
      if (group.featureLabels().isEmpty()) {
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "feature group '" + group.label() + "' lists no features");
      }
      Set<String> features = new HashSet<>();
      for (String feature : group.featureLabels()) {
        if (!fg.features().contains(feature)) {
          throw new OnfsException(
              ErrorCode.UNKNOWN_FEATURE,
              "feature '" + feature + "' is not in the active version of feature group '" + group.label() + "'");
        }
        if (!features.add(feature)) {
          throw new OnfsException(
              ErrorCode.INVALID_ARGUMENT, "feature '" + feature + "' of group '" + group.label() + "' is listed twice");
        }
      }
      resolved[g] = fg;
    }
    List<PersistQuery.Data> rows = query.data();
    if (rows.isEmpty()) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "query for entity '" + entity + "' has no data rows");
    }
    for (int r = 0; r < rows.size(); r++) {
      PersistQuery.Data row = rows.get(r);
      if (row.keyValues().size() != query.keysSchema().size()) {
        throw new OnfsException(
            ErrorCode.SCHEMA_MISMATCH,
            "row " + r + " has " + row.keyValues().size() + " key values, keys_schema has " + query.keysSchema().size());
      }
      if (row.featureValues().size() != groups.size()) {
        throw new OnfsException(
            ErrorCode.SCHEMA_MISMATCH,
            "row " + r + " has " + row.featureValues().size() + " feature values, feature_group_schema has "
                + groups.size());
      }
      for (int g = 0; g < groups.size(); g++) {
        checkValues(row.featureValues().get(g), resolved[g], groups.get(g).featureLabels().size(), r);
      }
    }
  }

  private static void checkValues(Values values, SchemaCatalog.GroupSchema fg, int expected, int row) {
    DataType type = fg.dataType();
    ValueField field = ValueField.forType(type);
    List<ValueField> filled = ValueLists.filledFields(values);
    if (filled.size() != 1 || filled.get(0) != field) {
      throw new OnfsException(
          ErrorCode.SCHEMA_MISMATCH,
          "row " + row + ", feature group '" + fg.label() + "' of type " + type.registryName() + " must fill "
              + field.name().toLowerCase(java.util.Locale.ROOT) + " values only, found " + filled);
    }
    int count = ValueLists.get(values, field).size();
    if (count != expected) {
      throw new OnfsException(
          ErrorCode.SCHEMA_MISMATCH,
          "row " + row + ", feature group '" + fg.label() + "' has " + count + " values for " + expected + " features");
    }
    if (type.isVector()) {
      ValueField element = ValueField.forScalar(type);
      for (int i = 0; i < values.vectors().size(); i++) {
        List<ValueField> inner = ValueLists.filledFields(values.vectors().get(i));
        if (!inner.isEmpty() && (inner.size() != 1 || inner.get(0) != element)) {
          throw new OnfsException(
              ErrorCode.SCHEMA_MISMATCH,
              "row " + row + ", feature group '" + fg.label() + "' vector " + i + " must fill "
                  + element.name().toLowerCase(java.util.Locale.ROOT) + " values only, found " + inner);
        }
      }
    }
  }
}
