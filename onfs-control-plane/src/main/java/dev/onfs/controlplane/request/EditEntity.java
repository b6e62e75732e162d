package dev.onfs.controlplane.request;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Changes an entity's cache settings (a compatible, in-place change). Keys cannot change: blocks are
 * stored under them.
 *
 * @param entity the entity label
 * @param distributedCache the new distributed cache setting, or null to keep it
 * @param inMemoryCache the new in-memory cache setting, or null to keep it
 */
public record EditEntity(String entity, @Nullable CacheSpec distributedCache, @Nullable CacheSpec inMemoryCache)
    implements Payload {
  @Override
  public RequestKind kind() {
    return RequestKind.EDIT_ENTITY;
  }

  @Override
  public List<Target> targets() {
    return List.of(Target.entity(entity));
  }
}
