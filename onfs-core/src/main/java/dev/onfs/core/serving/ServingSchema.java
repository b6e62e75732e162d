package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.codec.PsdbLayout;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.types.DataType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What serving needs to know about entities, resolved once per registry snapshot: the lookups a
 * request makes are map gets and array indexes.
 */
final class ServingSchema {
  private ServingSchema() {}

  /** Resolves entities by label; implementations answer from one immutable snapshot per call. */
  interface Source {
    /** The entity, or null when the registry does not have it. */
    @Nullable
    Entity entity(String entityLabel);

    /**
     * Throws {@link ErrorCode#QUARANTINED_FEATURE_GROUP} with the registry's reason when this feature
     * group (or, with a null label, this entity as a whole) is missing because it is quarantined.
     */
    default void checkNotQuarantined(String entityLabel, @Nullable String featureGroupLabel) {}

    /**
     * The entity a request names; fails with {@link ErrorCode#QUARANTINED_FEATURE_GROUP} when it is
     * quarantined, else {@link ErrorCode#UNKNOWN_ENTITY} when the registry does not have it.
     */
    default Entity requireEntity(String entityLabel) {
      Entity entity = entity(entityLabel);
      if (entity == null) {
        checkNotQuarantined(entityLabel, null);
        throw new OnfsException(
            ErrorCode.UNKNOWN_ENTITY, "entity '" + entityLabel + "' (entityLabel) is not in the registry");
      }
      return entity;
    }
  }

  /**
   * @param keyLabels the entity's key names as requests use them, in key sequence order
   * @param keyColumns the store primary-key column of each key, parallel to {@code keyLabels}
   */
  record Entity(
      String label,
      List<String> keyLabels,
      List<String> keyColumns,
      CacheSettings inMemoryCache,
      Map<String, FeatureGroup> featureGroups,
      Map<String, StoreTable> tables) {
    Entity {
      requireNonNull(label, "label is null");
      keyLabels = List.copyOf(keyLabels);
      keyColumns = List.copyOf(keyColumns);
      requireNonNull(inMemoryCache, "inMemoryCache is null");
      featureGroups = Map.copyOf(featureGroups);
      tables = Map.copyOf(tables);
    }

    /**
     * For each of the entity's keys, its position in a query's {@code keysSchema}, which must name each
     * key exactly once, in any order.
     */
    int[] keyPositions(List<String> keysSchema) {
      int[] positions = new int[keyLabels.size()];
      boolean ok = keysSchema.size() == keyLabels.size();
      for (int k = 0; ok && k < keyLabels.size(); k++) {
        positions[k] = keysSchema.indexOf(keyLabels.get(k));
        ok = positions[k] >= 0 && keysSchema.lastIndexOf(keyLabels.get(k)) == positions[k];
      }
      if (!ok) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT,
            "keysSchema " + keysSchema + " must name each key of entity '" + label + "' exactly once: " + keyLabels);
      }
      return positions;
    }

    /** For each primary-key column of {@code table}, the index of that key in the entity's key order. */
    int[] columnOrder(StoreTable table) {
      List<String> pk = table.primaryKeyColumns();
      if (pk.size() != keyColumns.size()) {
        throw new OnfsException(
            ErrorCode.INVALID_REGISTRY,
            "store '" + table.storeId() + "' has primary keys " + pk + " but entity '" + label + "' has key columns "
                + keyColumns);
      }
      int[] order = new int[pk.size()];
      for (int c = 0; c < pk.size(); c++) {
        int k = keyColumns.indexOf(pk.get(c));
        if (k < 0) {
          throw new OnfsException(
              ErrorCode.INVALID_REGISTRY,
              "primary key '" + pk.get(c) + "' of store '" + table.storeId() + "' is not a key column of entity '"
                  + label + "' " + keyColumns);
        }
        order[c] = k;
      }
      return order;
    }

    /** The store key of one entity key (values in the entity's key order), in {@link #columnOrder} order. */
    static EntityKey storeKey(List<String> key, int[] columnOrder) {
      String[] values = new String[columnOrder.length];
      for (int c = 0; c < columnOrder.length; c++) {
        values[c] = key.get(columnOrder[c]);
      }
      return new EntityKey(List.of(values));
    }

    StoreTable table(FeatureGroup fg) {
      StoreTable table = tables.get(fg.storeId());
      if (table == null) {
        throw new OnfsException(
            ErrorCode.INVALID_REGISTRY,
            "store '" + fg.storeId() + "' of feature group '" + fg.label() + "' in entity '" + label
                + "' is not configured");
      }
      return table;
    }
  }

  record CacheSettings(boolean enabled, long ttlSeconds, int jitterPercentage) {
    static final CacheSettings DISABLED = new CacheSettings(false, 0, 0);
  }

  /**
   * A feature group as serving reads it. A class rather than a record so that the active version is
   * resolved once here instead of by a map lookup per block read.
   */
  static final class FeatureGroup {
    private final String label;
    private final int id;
    private final DataType dataType;
    private final String storeId;
    private final StoreFeatureGroup storeFeatureGroup;
    private final long ttlSeconds;
    private final boolean inMemoryCacheEnabled;
    private final int activeVersion;
    private final Map<Integer, Version> versions;
    private final Version active;

    FeatureGroup(
        String label,
        int id,
        DataType dataType,
        String storeId,
        StoreFeatureGroup storeFeatureGroup,
        long ttlSeconds,
        boolean inMemoryCacheEnabled,
        int activeVersion,
        Map<Integer, Version> versions) {
      this.label = requireNonNull(label, "label is null");
      this.id = id;
      this.dataType = requireNonNull(dataType, "dataType is null");
      this.storeId = requireNonNull(storeId, "storeId is null");
      this.storeFeatureGroup = requireNonNull(storeFeatureGroup, "storeFeatureGroup is null");
      this.ttlSeconds = ttlSeconds;
      this.inMemoryCacheEnabled = inMemoryCacheEnabled;
      this.activeVersion = activeVersion;
      this.versions = Map.copyOf(versions);
      Version activeSchema = this.versions.get(activeVersion);
      if (activeSchema == null) {
        throw new OnfsException(
            ErrorCode.INVALID_REGISTRY,
            "feature group '" + label + "' has active version " + activeVersion + " but no features for it");
      }
      this.active = activeSchema;
    }

    String label() {
      return label;
    }

    int id() {
      return id;
    }

    DataType dataType() {
      return dataType;
    }

    String storeId() {
      return storeId;
    }

    StoreFeatureGroup storeFeatureGroup() {
      return storeFeatureGroup;
    }

    long ttlSeconds() {
      return ttlSeconds;
    }

    boolean inMemoryCacheEnabled() {
      return inMemoryCacheEnabled;
    }

    int activeVersion() {
      return activeVersion;
    }

    Map<Integer, Version> versions() {
      return versions;
    }

    Version active() {
      return active;
    }

    @Nullable
    Version version(int version) {
      return version == activeVersion ? active : versions.get(version);
    }
  }

  /** One schema version: its features in sequence order and the block layout they make. */
  static final class Version {
    final int number;
    final List<Feature> features;
    final int[] vectorLengths;
    final int[] stringLengths;
    final PsdbLayout layout;
    private final Map<String, Feature> byLabel;

    Version(int number, DataType dataType, List<Feature> features) {
      this.number = number;
      this.features = List.copyOf(features);
      this.vectorLengths = new int[features.size()];
      this.stringLengths = new int[features.size()];
      this.byLabel = new HashMap<>();
      for (int i = 0; i < features.size(); i++) {
        Feature f = features.get(i);
        if (f.sequence() != i) {
          throw new OnfsException(
              ErrorCode.INVALID_REGISTRY,
              "version " + number + ": feature '" + f.label() + "' has sequence " + f.sequence() + ", expected " + i);
        }
        vectorLengths[i] = f.vectorLength();
        // The registry's 0 means "not limited": the format's own limit then applies.
        stringLengths[i] = f.stringLength() > 0 ? f.stringLength() : PsdbLayout.MAX_LENGTH;
        byLabel.put(f.label(), f);
      }
      try {
        this.layout = PsdbLayout.of(dataType, features.size(), vectorLengths, stringLengths);
      } catch (OnfsException e) {
        throw new OnfsException(ErrorCode.INVALID_REGISTRY, "version " + number + ": " + e.getMessage(), e);
      }
    }

    @Nullable
    Feature feature(String label) {
      return byLabel.get(label);
    }

    int size() {
      return features.size();
    }
  }

  /**
   * @param defaultCell the registry's default bytes, returned as the cell when there is no value (as
   *     the reference does)
   * @param defaultText the default as decoded text
   */
  record Feature(
      String label, int sequence, byte[] defaultCell, int stringLength, int vectorLength, String defaultText) {
    Feature {
      requireNonNull(label, "label is null");
      requireNonNull(defaultCell, "defaultCell is null");
      requireNonNull(defaultText, "defaultText is null");
    }
  }
}
