package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.types.DataType;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What ingestion needs to know of the registry: an entity's keys and its feature groups' types and
 * active features, to turn rows into queries, and the store's own persist checks, to refuse a query
 * before it is sent or written. Implementations read a live registry; calls must be cheap (made per
 * record).
 */
public interface SchemaCatalog {

  /**
   * The entity named {@code label}, or null when it is not registered.
   *
   * @throws dev.onfs.core.OnfsException a transient one when the registry cannot be read now
   */
  @Nullable EntitySchema entity(String label);

  /**
   * Checks {@code query} the way the store's persist path does, with the same codes and messages: see
   * {@link dev.onfs.core.serving.PersistValidator}.
   *
   * @throws dev.onfs.core.OnfsException a permanent one naming the first problem, or a transient one
   *     when the registry cannot be read now
   */
  void validate(PersistQuery query);

  /**
   * A registered entity.
   *
   * @param label entity label
   * @param keys key names, in the order the store keys rows by
   * @param groups feature groups by label
   */
  record EntitySchema(String label, List<String> keys, Map<String, GroupSchema> groups) {
    public EntitySchema {
      requireNonNull(label, "label is null");
      keys = List.copyOf(requireNonNull(keys, "keys is null"));
      groups = Map.copyOf(requireNonNull(groups, "groups is null"));
    }
  }

  /**
   * A feature group of an entity.
   *
   * @param label feature group label
   * @param dataType the one data type of all its features
   * @param features the active version's feature labels, in sequence order
   */
  record GroupSchema(String label, DataType dataType, List<String> features) {
    public GroupSchema {
      requireNonNull(label, "label is null");
      requireNonNull(dataType, "dataType is null");
      features = List.copyOf(requireNonNull(features, "features is null"));
    }
  }
}
