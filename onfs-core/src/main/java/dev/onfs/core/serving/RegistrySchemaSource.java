package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.DefaultValues;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.types.DataType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Serving's view of a {@link FeatureRegistry}: each entity is resolved once per registry snapshot and
 * reused until the registry publishes a new snapshot.
 */
final class RegistrySchemaSource implements ServingSchema.Source {
  private final FeatureRegistry registry;
  private volatile Resolved resolved;

  private record Resolved(RegistrySnapshot snapshot, Map<String, ServingSchema.Entity> entities) {}

  RegistrySchemaSource(FeatureRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
    this.resolved = new Resolved(registry.snapshot(), new ConcurrentHashMap<>());
  }

  @Override
  public ServingSchema.@Nullable Entity entity(String entityLabel) {
    RegistrySnapshot snapshot = registry.snapshot();
    Resolved current = resolved;
    if (current.snapshot != snapshot) {
      current = new Resolved(snapshot, new ConcurrentHashMap<>());
      resolved = current;
    }
    ServingSchema.Entity cached = current.entities.get(entityLabel);
    if (cached != null) {
      return cached;
    }
    Entity entity = snapshot.entity(entityLabel);
    if (entity == null) {
      return null;
    }
    ServingSchema.Entity view = resolve(snapshot, entity);
    current.entities.put(entityLabel, view);
    return view;
  }

  @Override
  public void checkNotQuarantined(String entityLabel, @Nullable String featureGroupLabel) {
    RegistrySnapshot snapshot = registry.snapshot();
    if (snapshot.quarantined().isEmpty()) {
      return;
    }
    String reason = featureGroupLabel == null
        ? snapshot.quarantineReason(entityLabel)
        : snapshot.quarantineReason(entityLabel, featureGroupLabel);
    if (reason != null) {
      String what = featureGroupLabel == null
          ? "entity '" + entityLabel + "'"
          : "feature group '" + featureGroupLabel + "' of entity '" + entityLabel + "'";
      throw new OnfsException(ErrorCode.QUARANTINED_FEATURE_GROUP,
          what + " is quarantined: its registry definition is invalid: " + reason);
    }
  }

  private static ServingSchema.Entity resolve(RegistrySnapshot snapshot, Entity entity) {
    Map<String, ServingSchema.FeatureGroup> groups = new HashMap<>();
    Map<String, StoreTable> tables = new HashMap<>();
    for (dev.onfs.core.registry.FeatureGroup fg : entity.featureGroups().values()) {
      Map<Integer, ServingSchema.Version> versions = new HashMap<>();
      for (FeatureVersion version : fg.versions().values()) {
        List<ServingSchema.Feature> features = new ArrayList<>(version.size());
        for (int i = 0; i < version.size(); i++) {
          dev.onfs.core.registry.Feature f = version.feature(i);
          features.add(new ServingSchema.Feature(
              f.label(), i, f.defaultValue(), f.stringLength(), f.vectorLength(),
              defaultText(fg.dataType(), f.defaultValue(), f.vectorLength())));
        }
        versions.put(version.version(), new ServingSchema.Version(version.version(), fg.dataType(), features));
      }
      groups.put(fg.label(), new ServingSchema.FeatureGroup(
          fg.label(), fg.id(), fg.dataType(), fg.storeId(),
          StoreFeatureGroup.withReferenceColumnOrder(fg.id(), fg.columnLabels()),
          fg.ttlInSeconds(), fg.inMemoryCacheEnabled(), fg.activeVersion(), versions));
      StoreConfig store = snapshot.store(fg.storeId());
      if (store != null && !tables.containsKey(store.id())) {
        List<String> primaryKeys = store.primaryKeys().isEmpty() ? entity.keyColumns() : store.primaryKeys();
        tables.put(store.id(), new StoreTable(
            entity.label(), store.id(), "", store.table(), primaryKeys, store.maxColumnSizeInBytes()));
      }
    }
    var cache = entity.inMemoryCache();
    return new ServingSchema.Entity(
        entity.label(), entity.keyLabels(), entity.keyColumns(),
        new ServingSchema.CacheSettings(cache.enabled(), cache.ttlInSeconds(), cache.jitterPercentage()),
        groups, tables);
  }

  /**
   * The decoded text of a default value. The reference hands the registry's default bytes back as the
   * cell unchanged, and those bytes differ from stored cells for bools (0x80 for true), bool vectors
   * (bit-packed) and string vectors (prefix and varint lengths); the text here is what the default
   * means, not the reference's misreading of those bytes.
   */
  static String defaultText(DataType type, byte[] value, int vectorLength) {
    try {
      switch (type) {
        case BOOL:
          return value.length > 0 && value[0] != 0 ? "true" : "false";
        case BOOL_VECTOR: {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < vectorLength; i++) {
            boolean set = (i >>> 3) < value.length && (value[i >>> 3] & (0x80 >>> (i & 7))) != 0;
            sb.append(i == 0 ? "" : ":").append(set ? '1' : '0');
          }
          return sb.toString();
        }
        case STRING_VECTOR: {
          StringBuilder sb = new StringBuilder();
          List<byte[]> elements = DefaultValues.stringVectorElements(value, vectorLength);
          for (int i = 0; i < elements.size(); i++) {
            sb.append(i == 0 ? "" : ":").append(new String(elements.get(i), StandardCharsets.UTF_8));
          }
          return sb.toString();
        }
        default:
          return CellText.render(type, value, vectorLength);
      }
    } catch (OnfsException e) {
      throw new OnfsException(ErrorCode.INVALID_REGISTRY, "default value does not fit " + type.registryName() + ": "
          + e.getMessage(), e);
    }
  }
}
