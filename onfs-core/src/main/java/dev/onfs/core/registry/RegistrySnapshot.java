package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;
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
 * and the reader and writer tokens. Lookups are hash-map or array reads that allocate nothing.
 *
 * <p>Two snapshots are equal when their content is equal; {@link #revision()} is not compared.
 */
public final class RegistrySnapshot {
  private static final RegistrySnapshot EMPTY = builder().build();

  private final long revision;
  private final Map<String, StoreConfig> stores;
  private final Map<String, Entity> entities;
  private final Map<String, String> readerTokens;
  private final Map<String, String> writerTokens;

  private RegistrySnapshot(Builder b) {
    this.revision = b.revision;
    this.stores = sortedCopy(b.stores);
    this.entities = sortedCopy(b.entities);
    this.readerTokens = sortedCopy(b.readerTokens);
    this.writerTokens = sortedCopy(b.writerTokens);
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
    readerTokens.forEach(b::readerToken);
    writerTokens.forEach(b::writerToken);
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

  /** Reader (serving caller) tokens by caller id. */
  public Map<String, String> readerTokens() {
    return readerTokens;
  }

  /** Writer (ingestion job) tokens by job id. */
  public Map<String, String> writerTokens() {
    return writerTokens;
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

  /** The token registered for this reader (caller id), or null. */
  public @Nullable String readerToken(String callerId) {
    return readerTokens.get(callerId);
  }

  public @Nullable String writerToken(String jobId) {
    return writerTokens.get(jobId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistrySnapshot other
        && stores.equals(other.stores)
        && entities.equals(other.entities)
        && readerTokens.equals(other.readerTokens)
        && writerTokens.equals(other.writerTokens);
  }

  @Override
  public int hashCode() {
    return (stores.hashCode() * 31 + entities.hashCode()) * 31 + readerTokens.hashCode();
  }

  @Override
  public String toString() {
    return "RegistrySnapshot[revision=" + revision + ", stores=" + stores.keySet() + ", entities="
        + entities.values() + ", readers=" + readerTokens.keySet() + ", writers=" + writerTokens.keySet() + "]";
  }

  /** Builds a validated {@link RegistrySnapshot}. */
  public static final class Builder {
    private long revision;
    private final Map<String, StoreConfig> stores = new TreeMap<>();
    private final Map<String, Entity> entities = new TreeMap<>();
    private final Map<String, String> readerTokens = new TreeMap<>();
    private final Map<String, String> writerTokens = new TreeMap<>();

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

    public Builder removeEntity(String label) {
      entities.remove(label);
      return this;
    }

    public Builder readerToken(String callerId, String token) {
      RegistryChecks.label(requireNonNull(callerId, "callerId is null"), "reader id");
      readerTokens.put(callerId, requireNonNull(token, "token is null"));
      return this;
    }

    public Builder writerToken(String jobId, String token) {
      RegistryChecks.label(requireNonNull(jobId, "jobId is null"), "writer id");
      writerTokens.put(jobId, requireNonNull(token, "token is null"));
      return this;
    }

    /**
     * Checks references across the tree: every feature group's store exists, and when that store
     * lists primary keys they are the entity's key columns (same set, as the reference checks when a
     * feature group is created).
     */
    public RegistrySnapshot build() {
      for (Entity entity : entities.values()) {
        for (FeatureGroup group : entity.featureGroups().values()) {
          String where = "entity '" + entity.label() + "' feature group '" + group.label() + "'";
          StoreConfig store = stores.get(group.storeId());
          if (store == null) {
            throw RegistryChecks.invalid(where + " store-id " + group.storeId()
                + " does not exist (stores: " + stores.keySet() + ")");
          }
          List<String> primaryKeys = store.primaryKeys();
          if (!primaryKeys.isEmpty()
              && (primaryKeys.size() != entity.keyColumns().size()
                  || !new HashSet<>(primaryKeys).equals(Set.copyOf(entity.keyColumns())))) {
            throw RegistryChecks.invalid(where + ": store " + store.id() + " primary-keys " + primaryKeys
                + " differ from the entity's key column-labels " + entity.keyColumns());
          }
        }
      }
      return new RegistrySnapshot(this);
    }
  }
}
