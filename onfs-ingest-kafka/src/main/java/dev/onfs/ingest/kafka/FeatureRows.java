package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * Turns {@link FeatureRow}s into {@code persist.Query} messages, checked against the registry, and
 * computes the Kafka key and partition of an entity. Used by {@link FeaturePusher} and by stream
 * job serializers that hand records to their own Kafka sink.
 */
public final class FeatureRows {
  /** Separates key values in the Kafka record key. */
  public static final char KEY_SEPARATOR = '|';

  private FeatureRows() {}

  /**
   * The Kafka key of a row: its key values joined with {@value #KEY_SEPARATOR}, UTF-8. Every row
   * of one entity key maps to one partition, so its updates stay in order.
   */
  public static byte[] key(FeatureRow row) {
    return String.join(String.valueOf(KEY_SEPARATOR), row.keyValues()).getBytes(UTF_8);
  }

  /** The partition Kafka's default partitioner picks for {@code key} (murmur2). */
  public static int partition(byte[] key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  /**
   * Builds one query from rows that share entity, feature groups and features (see {@link
   * #sameShape}), checking every value against the registry.
   *
   * @throws OnfsException a permanent one naming the entity/group/feature at fault
   */
  public static PersistQuery toQuery(List<FeatureRow> rows, SchemaCatalog catalog) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("rows is empty");
    }
    FeatureRow first = rows.get(0);
    SchemaCatalog.EntitySchema entity = catalog.entity(first.entityLabel());
    if (entity == null) {
      throw new OnfsException(ErrorCode.UNKNOWN_ENTITY, "entity '" + first.entityLabel() + "' is not registered");
    }
    List<PersistQuery.FeatureGroupSchema> schema = new ArrayList<>(first.groups().size());
    List<SchemaCatalog.GroupSchema> resolved = new ArrayList<>(first.groups().size());
    for (Map.Entry<String, Map<String, Object>> g : first.groups().entrySet()) {
      SchemaCatalog.GroupSchema fg = entity.groups().get(g.getKey());
      if (fg == null) {
        throw new OnfsException(
            ErrorCode.UNKNOWN_FEATURE_GROUP,
            "feature group '" + g.getKey() + "' is not registered for entity '" + entity.label() + "'");
      }
      List<String> features = new ArrayList<>(g.getValue().keySet());
      for (String f : features) {
        if (!fg.features().contains(f)) {
          throw new OnfsException(
              ErrorCode.UNKNOWN_FEATURE,
              "feature '" + f + "' is not in the active version of feature group '" + fg.label() + "'");
        }
      }
      if (features.size() != fg.features().size()) {
        List<String> missing = new ArrayList<>(fg.features());
        missing.removeAll(features);
        throw new OnfsException(
            ErrorCode.SCHEMA_MISMATCH,
            "feature group '" + fg.label() + "' is missing features " + missing
                + " (a partial write would reset them to their defaults)");
      }
      schema.add(new PersistQuery.FeatureGroupSchema(fg.label(), features));
      resolved.add(fg);
    }
    List<PersistQuery.Data> data = new ArrayList<>(rows.size());
    for (FeatureRow row : rows) {
      if (!sameShape(first, row)) {
        throw new IllegalArgumentException("rows of one query must share entity, feature groups and features");
      }
      if (row.keyValues().size() != entity.keys().size()) {
        throw new OnfsException(
            ErrorCode.SCHEMA_MISMATCH,
            "row has " + row.keyValues().size() + " key values, entity '" + entity.label() + "' has keys " + entity.keys());
      }
      List<Values> values = new ArrayList<>(schema.size());
      for (int g = 0; g < schema.size(); g++) {
        PersistQuery.FeatureGroupSchema fgs = schema.get(g);
        // sameShape: every row has the first row's groups.
        Map<String, Object> byLabel = java.util.Objects.requireNonNull(row.groups().get(fgs.label()));
        List<Object> ordered = new ArrayList<>(fgs.featureLabels().size());
        for (String f : fgs.featureLabels()) {
          ordered.add(byLabel.get(f));
        }
        values.add(ValueConverter.toValues(resolved.get(g).dataType(), fgs.featureLabels(), ordered, fgs.label()));
      }
      data.add(new PersistQuery.Data(row.keyValues(), values));
    }
    PersistQuery query = new PersistQuery(entity.label(), entity.keys(), schema, data);
    catalog.validate(query);
    return query;
  }

  /** True when both rows can travel in one query: same entity, groups and features, in order. */
  public static boolean sameShape(FeatureRow a, FeatureRow b) {
    if (!a.entityLabel().equals(b.entityLabel()) || a.groups().size() != b.groups().size()) {
      return false;
    }
    var ia = a.groups().entrySet().iterator();
    var ib = b.groups().entrySet().iterator();
    while (ia.hasNext()) {
      var ea = ia.next();
      var eb = ib.next();
      if (!ea.getKey().equals(eb.getKey())
          || !new ArrayList<>(ea.getValue().keySet()).equals(new ArrayList<>(eb.getValue().keySet()))) {
        return false;
      }
    }
    return true;
  }
}
