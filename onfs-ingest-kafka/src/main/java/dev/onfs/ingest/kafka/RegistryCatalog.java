package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.serving.Limits;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.PersistValidator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SchemaCatalog} over a live {@link FeatureRegistry}: entities are resolved against the
 * current snapshot and cached until the registry publishes a new one. Queries are validated by core's
 * {@link PersistValidator} with the default {@link Limits}, those of a store built without limits.
 */
public final class RegistryCatalog implements SchemaCatalog {
  private final FeatureRegistry registry;
  private final PersistValidator validator;
  private volatile Cached cached;

  public RegistryCatalog(FeatureRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
    this.validator = PersistValidator.create(registry, Limits.defaults());
    this.cached = new Cached(registry.snapshot());
  }

  @Override
  public void validate(PersistQuery query) {
    validator.validate(query);
  }

  @Override
  public @Nullable EntitySchema entity(String label) {
    RegistrySnapshot snapshot = registry.snapshot();
    Cached c = cached;
    if (c.snapshot != snapshot) {
      c = new Cached(snapshot);
      cached = c;
    }
    return c.entities.computeIfAbsent(label, l -> Optional.ofNullable(toSchema(snapshot.entity(l)))).orElse(null);
  }

  private static @Nullable EntitySchema toSchema(@Nullable Entity entity) {
    if (entity == null) {
      return null;
    }
    Map<String, GroupSchema> groups = new LinkedHashMap<>();
    for (FeatureGroup fg : entity.featureGroups().values()) {
      groups.put(fg.label(), new GroupSchema(fg.label(), fg.dataType(), fg.activeFeatures().labels()));
    }
    return new EntitySchema(entity.label(), entity.keyLabels(), groups);
  }

  private static final class Cached {
    final RegistrySnapshot snapshot;
    final Map<String, Optional<EntitySchema>> entities = new ConcurrentHashMap<>();

    Cached(RegistrySnapshot snapshot) {
      this.snapshot = snapshot;
    }
  }
}
