package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.internal.RegistryChecks;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One consistent, immutable view of the whole registry: stores, entities with their feature groups,
 * and the registered readers and writers ({@link Caller}s with their tokens and scopes). Lookups are
 * hash-map or array reads that allocate nothing.
 *
 * <p>A snapshot read from a file or etcd may also list {@linkplain #quarantined() quarantined}
 * feature groups: groups whose definition failed validation, left out so that the rest serves.
 *
 * <p>Two snapshots are equal when their content (quarantine included) is equal; {@link #revision()}
 * is not compared.
 */
public final class RegistrySnapshot {
  private static final RegistrySnapshot EMPTY = builder().build();

  private final long revision;
  private final Map<String, StoreConfig> stores;
  private final Map<String, Entity> entities;
  private final Map<String, Caller> readers;
  private final Map<String, Caller> writers;
  private final Map<String, String> quarantined;
  private final Map<String, String> quarantinedEntities;

  private RegistrySnapshot(Builder b) {
    this.revision = b.revision;
    this.stores = sortedCopy(b.stores);
    this.entities = sortedCopy(b.entities);
    this.readers = sortedCopy(b.readers);
    this.writers = sortedCopy(b.writers);
    this.quarantined = sortedCopy(b.quarantined);
    this.quarantinedEntities = sortedCopy(b.quarantinedEntities);
  }

  private static <V> Map<String, V> sortedCopy(Map<String, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(map)));
  }

  /** A snapshot with nothing in it. */
  public static RegistrySnapshot empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this snapshot's content, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder().revision(revision);
    stores.values().forEach(b::store);
    entities.values().forEach(b::entity);
    readers.values().forEach(b::reader);
    writers.values().forEach(b::writer);
    b.quarantined.putAll(quarantined);
    b.quarantinedEntities.putAll(quarantinedEntities);
    return b;
  }

  /**
   * Where this snapshot came from in its source's history (the etcd revision, a file's load count);
   * 0 when unknown. Not part of equality.
   */
  public long revision() {
    return revision;
  }

  /** Stores by id, in id order. */
  public Map<String, StoreConfig> stores() {
    return stores;
  }

  /** Entities by label, in label order. */
  public Map<String, Entity> entities() {
    return entities;
  }

  /** Readers (serving callers) by caller id, in id order. */
  public Map<String, Caller> readers() {
    return readers;
  }

  /** Writers (ingestion jobs) by job id, in id order. */
  public Map<String, Caller> writers() {
    return writers;
  }

  public @Nullable StoreConfig store(String id) {
    return stores.get(id);
  }

  public @Nullable Entity entity(String label) {
    return entities.get(label);
  }

  public @Nullable FeatureGroup featureGroup(String entityLabel, String featureGroupLabel) {
    Entity entity = entities.get(entityLabel);
    return entity == null ? null : entity.featureGroup(featureGroupLabel);
  }

  public @Nullable FeatureGroup featureGroup(String entityLabel, int featureGroupId) {
    Entity entity = entities.get(entityLabel);
    return entity == null ? null : entity.featureGroup(featureGroupId);
  }

  /** The reader registered as {@code callerId}, or null. */
  public @Nullable Caller reader(String callerId) {
    return readers.get(callerId);
  }

  /** The writer registered as {@code jobId}, or null. */
  public @Nullable Caller writer(String jobId) {
    return writers.get(jobId);
  }

  /**
   * Feature groups whose definition in the source failed validation, by {@code <entity>/<group>}
   * ({@link #quarantineName}), with the reason, in name order; the groups of an entity that failed as
   * a whole are listed with the entity's reason.
   *
   * <p>A listed feature group is left out of {@link #entities()}, unless it served before the change
   * that broke it: then its last good definition stays in force, and the reason says so.
   */
  public Map<String, String> quarantined() {
    return quarantined;
  }

  /**
   * Entities whose own definition (label, keys, caches) failed validation, by label, with the reason.
   * Such an entity is left out of {@link #entities()} (unless it served before), and its feature
   * groups are in {@link #quarantined()}.
   */
  public Map<String, String> quarantinedEntities() {
    return quarantinedEntities;
  }

  /** Why this feature group is quarantined, or null when it is not. */
  public @Nullable String quarantineReason(String entityLabel, String featureGroupLabel) {
    return quarantined.isEmpty() ? null : quarantined.get(quarantineName(entityLabel, featureGroupLabel));
  }

  /** Why this entity is quarantined as a whole, or null when it is not. */
  public @Nullable String quarantineReason(String entityLabel) {
    return quarantinedEntities.get(entityLabel);
  }

  /** The name {@link #quarantined()} lists a feature group under: {@code <entity>/<group>}. */
  public static String quarantineName(String entityLabel, String featureGroupLabel) {
    return entityLabel + "/" + featureGroupLabel;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistrySnapshot other
        && stores.equals(other.stores)
        && entities.equals(other.entities)
        && readers.equals(other.readers)
        && writers.equals(other.writers)
        && quarantined.equals(other.quarantined)
        && quarantinedEntities.equals(other.quarantinedEntities);
  }

  @Override
  public int hashCode() {
    return (stores.hashCode() * 31 + entities.hashCode()) * 31 + readers.hashCode();
  }

  @Override
  public String toString() {
    return "RegistrySnapshot[revision=" + revision + ", stores=" + stores.keySet() + ", entities="
        + entities.values() + ", readers=" + readers.keySet() + ", writers=" + writers.keySet()
        + (quarantined.isEmpty() ? "" : ", quarantined=" + quarantined.keySet()) + "]";
  }

  /** Builds a validated {@link RegistrySnapshot}. */
  public static final class Builder {
    private long revision;
    private final Map<String, StoreConfig> stores = new TreeMap<>();
    private final Map<String, Entity> entities = new TreeMap<>();
    private final Map<String, Caller> readers = new TreeMap<>();
    private final Map<String, Caller> writers = new TreeMap<>();
    private final Map<String, String> quarantined = new TreeMap<>();
    private final Map<String, String> quarantinedEntities = new TreeMap<>();

    private Builder() {}

    public Builder revision(long revision) {
      this.revision = revision;
      return this;
    }

    /** Adds or replaces a store. */
    public Builder store(StoreConfig store) {
      requireNonNull(store, "store is null");
      stores.put(store.id(), store);
      return this;
    }

    /** Adds or replaces an entity. */
    public Builder entity(Entity entity) {
      requireNonNull(entity, "entity is null");
      entities.put(entity.label(), entity);
      return this;
    }

    /** Adds or replaces a reader with one token and no scope limits. */
    public Builder readerToken(String callerId, String token) {
      RegistryChecks.label(requireNonNull(callerId, "callerId is null"), "reader id");
      return reader(Caller.of(callerId, requireNonNull(token, "token is null")));
    }

    /** Adds or replaces a writer with one token and no scope limits. */
    public Builder writerToken(String jobId, String token) {
      RegistryChecks.label(requireNonNull(jobId, "jobId is null"), "writer id");
      return writer(Caller.of(jobId, requireNonNull(token, "token is null")));
    }

    /** Adds or replaces a reader. */
    public Builder reader(Caller reader) {
      requireNonNull(reader, "reader is null");
      readers.put(reader.id(), reader);
      return this;
    }

    /** Adds or replaces a writer. */
    public Builder writer(Caller writer) {
      requireNonNull(writer, "writer is null");
      writers.put(writer.id(), writer);
      return this;
    }

    /**
     * Quarantines a feature group: records why its definition is invalid. The caller leaves the group
     * out of its entity (or keeps its last good definition).
     */
    public Builder quarantineFeatureGroup(String entityLabel, String featureGroupLabel, String reason) {
      requireNonNull(entityLabel, "entityLabel is null");
      requireNonNull(featureGroupLabel, "featureGroupLabel is null");
      quarantined.put(quarantineName(entityLabel, featureGroupLabel), requireNonNull(reason, "reason is null"));
      return this;
    }

    /**
     * Quarantines an entity that failed as a whole, and with it the feature groups its source
     * defines; the caller leaves the entity out.
     */
    public Builder quarantineEntity(String entityLabel, Collection<String> featureGroupLabels, String reason) {
      requireNonNull(entityLabel, "entityLabel is null");
      requireNonNull(reason, "reason is null");
      quarantinedEntities.put(entityLabel, reason);
      for (String group : featureGroupLabels) {
        quarantineFeatureGroup(entityLabel, group, reason);
      }
      return this;
    }

    /**
     * Checks references across the tree: every feature group's store exists, and when that store
     * lists primary keys they are the entity's key columns (same set, as the reference checks when a
     * feature group is created).
     *
     * @throws OnfsException INVALID_REGISTRY naming the first feature group that fails
     */
    public RegistrySnapshot build() {
      for (Entity entity : entities.values()) {
        for (FeatureGroup group : entity.featureGroups().values()) {
          String problem = crossCheck(entity, group);
          if (problem != null) {
            throw RegistryChecks.invalid(problem);
          }
        }
      }
      return new RegistrySnapshot(this);
    }

    /**
     * Like {@link #build()}, but a feature group that fails the cross-checks is left out of its
     * entity and quarantined instead of failing the snapshot.
     */
    public RegistrySnapshot buildQuarantining() {
      for (Entity entity : List.copyOf(entities.values())) {
        Entity.Builder kept = null;
        for (FeatureGroup group : entity.featureGroups().values()) {
          String problem = crossCheck(entity, group);
          if (problem != null) {
            kept = kept == null ? entity.toBuilder() : kept;
            kept.removeFeatureGroup(group.label());
            quarantineFeatureGroup(entity.label(), group.label(), problem);
          }
        }
        if (kept != null) {
          entities.put(entity.label(), kept.build());
        }
      }
      return new RegistrySnapshot(this);
    }

    private @Nullable String crossCheck(Entity entity, FeatureGroup group) {
      String where = "entity '" + entity.label() + "' feature group '" + group.label() + "'";
      StoreConfig store = stores.get(group.storeId());
      if (store == null) {
        return where + " store-id " + group.storeId() + " does not exist (stores: " + stores.keySet() + ")";
      }
      List<String> primaryKeys = store.primaryKeys();
      if (!primaryKeys.isEmpty()
          && (primaryKeys.size() != entity.keyColumns().size()
              || !new HashSet<>(primaryKeys).equals(Set.copyOf(entity.keyColumns())))) {
        return where + ": store " + store.id() + " primary-keys " + primaryKeys
            + " differ from the entity's key column-labels " + entity.keyColumns();
      }
      return null;
    }
  }
}
