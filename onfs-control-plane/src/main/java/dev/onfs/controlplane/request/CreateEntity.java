package dev.onfs.controlplane.request;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Registers an entity.
 *
 * @param entity the entity label
 * @param keys its keys in order (at least one)
 * @param distributedCache the distributed cache setting, null for off
 * @param inMemoryCache the in-memory cache setting, null for off
 */
public record CreateEntity(
    String entity, List<KeySpec> keys, @Nullable CacheSpec distributedCache, @Nullable CacheSpec inMemoryCache)
    implements Payload {
  public CreateEntity {
    keys = Specs.copy(keys);
  }

  @Override
  public RequestKind kind() {
    return RequestKind.CREATE_ENTITY;
  }

  @Override
  public List<Target> targets() {
    return List.of(Target.entity(entity));
  }
}
