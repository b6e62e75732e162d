package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.FeatureRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks a persist passes before anything is encoded or written. They are the same for every way
 * in: {@link dev.onfs.core.serving.OnlineFeatureStore#persist} (embedded, and behind the gRPC server) runs them
 * on each query, and Kafka ingestion runs them on each record so that a bad record is dead-lettered
 * with the code and message the store would have given. Every message names the field at fault as
 * the request spells it: {@code entityLabel}, {@code keysSchema}, {@code featureGroupSchema[g]},
 * {@code data[r].keyValues}, {@code data[r].featureValues[g]}, and the entity, feature group, feature
 * or key column by name.
 *
 * <p>In order: the query's size against the {@link Limits}; the entity; {@code keysSchema} against the
 * entity's keys; each feature group and its feature labels against the group's active version (at
 * least one feature per group, no duplicates); then per row the number of key and feature values, each key value
 * (see {@link Limits#maxKeyBytes()}), and the values of each group: only the list its data type reads,
 * one value per listed feature, vectors of the feature's vector length, integers and floats within the
 * type's range, strings within the feature's string length.
 */
public final class PersistValidator {
  private final ServingSchema.Source schemas;
  private final RequestChecks checks;

  private PersistValidator(ServingSchema.Source schemas, RequestChecks checks) {
    this.schemas = schemas;
    this.checks = checks;
  }

  /**
   * A validator against the registry's current snapshot. Use the limits of the store the queries go to,
   * so that what passes here passes there.
   */
  public static PersistValidator create(FeatureRegistry registry, Limits limits) {
    requireNonNull(limits, "limits is null");
    return new PersistValidator(new RegistrySchemaSource(registry), new RequestChecks(limits));
  }

  /**
   * Checks {@code query}.
   *
   * @throws OnfsException naming the first problem found
   */
  public void validate(PersistQuery query) {
    check(query, schemas, checks);
  }

  /**
   * A query the checks passed, resolved against the registry.
   *
   * @param keyPositions for each of the entity's keys, its position in the query's {@code keysSchema}
   * @param groups the feature groups of {@code featureGroupSchema}, in query order
   * @param sequences per group, the active-version sequence of each listed feature, in query order
   */
  record Resolved(ServingSchema.Entity entity, int[] keyPositions, List<ServingSchema.FeatureGroup> groups,
      List<int[]> sequences) {}

  static Resolved check(PersistQuery query, ServingSchema.Source schemas, RequestChecks checks) {
    checks.persistSize(query);
    String entityLabel = query.entityLabel();
    ServingSchema.Entity entity = schemas.entity(entityLabel);
    if (entity == null) {
      schemas.checkNotQuarantined(entityLabel, null);
      throw new OnfsException(ErrorCode.UNKNOWN_ENTITY, "entity '" + entityLabel + "' (entityLabel) is not in the registry");
    }
    int[] keyPositions = entity.keyPositions(query.keysSchema());

    int groupCount = query.featureGroupSchema().size();
    ServingSchema.FeatureGroup[] groups = new ServingSchema.FeatureGroup[groupCount];
    int[][] sequences = new int[groupCount][];
    Set<String> seenGroups = new HashSet<>();
    for (int g = 0; g < groupCount; g++) {
      PersistQuery.FeatureGroupSchema schema = query.featureGroupSchema().get(g);
      ServingSchema.FeatureGroup fg = entity.featureGroups().get(schema.label());
      if (fg == null) {
        schemas.checkNotQuarantined(entityLabel, schema.label());
        throw new OnfsException(
            ErrorCode.UNKNOWN_FEATURE_GROUP,
            "feature group '" + schema.label() + "' (featureGroupSchema[" + g + "]) is not in entity '" + entityLabel + "'");
      }
      if (!seenGroups.add(fg.label())) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT, "feature group '" + fg.label() + "' appears twice in featureGroupSchema");
      }
      if (schema.featureLabels().isEmpty()) {
        // Nothing to write: a caller who meant "reset to defaults" must say which features.
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT,
            "featureGroupSchema[" + g + "].featureLabels is empty: feature group '" + fg.label() + "' names no features");
      }
      ServingSchema.Version active = fg.active();
      int[] groupSequences = new int[schema.featureLabels().size()];
      boolean[] named = new boolean[active.size()];
      for (int f = 0; f < groupSequences.length; f++) {
        String label = schema.featureLabels().get(f);
        ServingSchema.Feature feature = active.feature(label);
        if (feature == null) {
          throw new OnfsException(
              ErrorCode.UNKNOWN_FEATURE,
              "feature '" + label + "' (featureGroupSchema[" + g + "].featureLabels[" + f + "]) is not in active version "
                  + fg.activeVersion() + " of feature group '" + fg.label() + "' in entity '" + entityLabel + "'");
        }
        if (named[feature.sequence()]) {
          throw new OnfsException(
              ErrorCode.INVALID_ARGUMENT,
              "feature '" + label + "' appears twice in featureGroupSchema[" + g + "] ('" + fg.label() + "')");
        }
        named[feature.sequence()] = true;
        groupSequences[f] = feature.sequence();
      }
      groups[g] = fg;
      sequences[g] = groupSequences;
    }

    for (int r = 0; r < query.data().size(); r++) {
      PersistQuery.Data row = query.data().get(r);
      if (row.keyValues().size() != query.keysSchema().size()) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT,
            "data[" + r + "] has " + row.keyValues().size() + " key values but keysSchema " + query.keysSchema()
                + " names " + query.keysSchema().size());
      }
      if (row.featureValues().size() != groupCount) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT,
            "data[" + r + "] has " + row.featureValues().size() + " feature values but featureGroupSchema lists "
                + groupCount + " feature groups");
      }
      checks.persistKey(row.keyValues(), query.keysSchema(), r);
      for (int g = 0; g < groupCount; g++) {
        PersistValidation.check(groups[g], sequences[g], row.featureValues().get(g),
            query.featureGroupSchema().get(g).featureLabels(), "data[" + r + "].featureValues[" + g + "]");
      }
    }
    return new Resolved(entity, keyPositions, List.of(groups), List.of(sequences));
  }
}
