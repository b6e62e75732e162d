package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** An entity (e.g. {@code user}): its ordered keys, cache settings and feature groups. */
public final class Entity {
  /** Feature-group ids below this are looked up in an array; larger ones in a map. */
  private static final int ID_TABLE_LIMIT = 4096;

  private final String label;
  private final List<EntityKey> keys;
  private final List<String> keyLabels;
  private final List<String> keyColumns;
  private final Map<String, Integer> keyIndexByLabel;
  private final CacheConfig distributedCache;
  private final CacheConfig inMemoryCache;
  private final CacheConfig p2pCache;
  private final Map<String, FeatureGroup> featureGroups;
  private final FeatureGroup[] groupsById;
  private final Map<Integer, FeatureGroup> largeIds;

  private Entity(Builder b, List<EntityKey> keys, Map<String, FeatureGroup> featureGroups) {
    this.label = b.label;
    this.keys = keys;
    List<String> labels = new ArrayList<>(keys.size());
    List<String> columns = new ArrayList<>(keys.size());
    Map<String, Integer> keyIndex = new HashMap<>();
    for (EntityKey key : keys) {
      keyIndex.put(key.entityLabel(), labels.size());
      labels.add(key.entityLabel());
      columns.add(key.columnLabel());
    }
    this.keyLabels = Collections.unmodifiableList(labels);
    this.keyColumns = Collections.unmodifiableList(columns);
    this.keyIndexByLabel = keyIndex;
    this.distributedCache = b.distributedCache;
    this.inMemoryCache = b.inMemoryCache;
    this.p2pCache = b.p2pCache;
    this.featureGroups = featureGroups;
    int maxSmall = -1;
    Map<Integer, FeatureGroup> large = new HashMap<>();
    for (FeatureGroup group : featureGroups.values()) {
      if (group.id() < ID_TABLE_LIMIT) {
        maxSmall = Math.max(maxSmall, group.id());
      } else {
        large.put(group.id(), group);
      }
    }
    this.groupsById = new FeatureGroup[maxSmall + 1];
    for (FeatureGroup group : featureGroups.values()) {
      if (group.id() < ID_TABLE_LIMIT) {
        groupsById[group.id()] = group;
      }
    }
    this.largeIds = large;
  }

  public static Builder builder(String label) {
    return new Builder(label);
  }

  /** A builder holding this entity's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(label)
        .distributedCache(distributedCache)
        .inMemoryCache(inMemoryCache)
        .p2pCache(p2pCache);
    keys.forEach(b::key);
    featureGroups.values().forEach(b::featureGroup);
    return b;
  }

  public String label() {
    return label;
  }

  /** The keys in sequence order. */
  public List<EntityKey> keys() {
    return keys;
  }

  /** The keys' public names ({@code entity-label}) in sequence order. */
  public List<String> keyLabels() {
    return keyLabels;
  }

  /** The keys' store columns ({@code column-label}) in sequence order. */
  public List<String> keyColumns() {
    return keyColumns;
  }

  /** The sequence of the key with this public name, or -1. */
  public int keyIndex(String keyLabel) {
    Integer index = keyIndexByLabel.get(keyLabel);
    return index == null ? -1 : index;
  }

  public CacheConfig distributedCache() {
    return distributedCache;
  }

  public CacheConfig inMemoryCache() {
    return inMemoryCache;
  }

  /** Read by the reference but written by nobody; kept for compatibility. */
  public CacheConfig p2pCache() {
    return p2pCache;
  }

  /** Feature groups by label, in label order. */
  public Map<String, FeatureGroup> featureGroups() {
    return featureGroups;
  }

  /** The feature group with this label, or null. */
  public @Nullable FeatureGroup featureGroup(String label) {
    return featureGroups.get(label);
  }

  /** The feature group with this id, or null; an array read for ids below 4096. */
  public @Nullable FeatureGroup featureGroup(int id) {
    if (id >= 0 && id < groupsById.length) {
      return groupsById[id];
    }
    return id >= ID_TABLE_LIMIT ? largeIds.get(id) : null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entity other
        && label.equals(other.label)
        && keys.equals(other.keys)
        && distributedCache.equals(other.distributedCache)
        && inMemoryCache.equals(other.inMemoryCache)
        && p2pCache.equals(other.p2pCache)
        && featureGroups.equals(other.featureGroups);
  }

  @Override
  public int hashCode() {
    return (label.hashCode() * 31 + keys.hashCode()) * 31 + featureGroups.hashCode();
  }

  @Override
  public String toString() {
    return "Entity[" + label + " keys=" + keyLabels + " featureGroups=" + featureGroups.keySet() + "]";
  }

  /** Builds a validated {@link Entity}. */
  public static final class Builder {
    private final String label;
    private final List<EntityKey> keys = new ArrayList<>();
    private CacheConfig distributedCache = CacheConfig.DISABLED;
    private CacheConfig inMemoryCache = CacheConfig.DISABLED;
    private CacheConfig p2pCache = CacheConfig.DISABLED;
    private final Map<String, FeatureGroup> featureGroups = new TreeMap<>();

    private Builder(String label) {
      this.label = RegistryChecks.label(requireNonNull(label, "label is null"), "entity label");
    }

    /** Adds a key; sequences must end up 0..n-1. */
    public Builder key(EntityKey key) {
      keys.add(requireNonNull(key, "key is null"));
      return this;
    }

    /** Adds the next key (sequence = number of keys added so far). */
    public Builder key(String entityLabel, String columnLabel) {
      return key(new EntityKey(keys.size(), entityLabel, columnLabel));
    }

    public Builder distributedCache(CacheConfig cache) {
      this.distributedCache = requireNonNull(cache, "cache is null");
      return this;
    }

    public Builder inMemoryCache(CacheConfig cache) {
      this.inMemoryCache = requireNonNull(cache, "cache is null");
      return this;
    }

    public Builder p2pCache(CacheConfig cache) {
      this.p2pCache = requireNonNull(cache, "cache is null");
      return this;
    }

    /** Adds or replaces the feature group with this group's label. */
    public Builder featureGroup(FeatureGroup group) {
      requireNonNull(group, "group is null");
      featureGroups.put(group.label(), group);
      return this;
    }

    public Builder removeFeatureGroup(String label) {
      featureGroups.remove(label);
      return this;
    }

    /** Checks: at least one key, key sequences 0..n-1, unique key names, unique feature-group ids. */
    public Entity build() {
      String where = "entity '" + label + "'";
      if (keys.isEmpty()) {
        throw RegistryChecks.invalid(where + " has no keys (an entity needs at least one)");
      }
      List<EntityKey> sorted = new ArrayList<>(keys);
      sorted.sort(Comparator.comparingInt(EntityKey::sequence));
      Map<String, Integer> names = new HashMap<>();
      Map<String, Integer> columns = new HashMap<>();
      for (int i = 0; i < sorted.size(); i++) {
        EntityKey key = sorted.get(i);
        if (key.sequence() != i) {
          throw RegistryChecks.invalid(where + " key '" + key.entityLabel() + "' has sequence " + key.sequence()
              + ", expected " + i + " (key sequences must run 0.." + (sorted.size() - 1) + ")");
        }
        if (names.put(key.entityLabel(), i) != null) {
          throw RegistryChecks.invalid(where + " key entity-label '" + key.entityLabel() + "' appears twice");
        }
        if (columns.put(key.columnLabel(), i) != null) {
          throw RegistryChecks.invalid(where + " key column-label '" + key.columnLabel() + "' appears twice");
        }
      }
      Map<Integer, String> ids = new HashMap<>();
      for (FeatureGroup group : featureGroups.values()) {
        String previous = ids.put(group.id(), group.label());
        if (previous != null) {
          throw RegistryChecks.invalid(where + " feature groups '" + previous + "' and '" + group.label()
              + "' have the same id " + group.id() + " (ids must be unique per entity)");
        }
      }
      return new Entity(this, List.copyOf(sorted),
          Collections.unmodifiableMap(new LinkedHashMap<>(featureGroups)));
    }
  }
}
