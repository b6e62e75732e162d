package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;

/**
 * One primary-key part of an entity.
 *
 * @param sequence position of the key, 0-based; keys of an entity are contiguous from 0
 * @param entityLabel the key's public name, used in {@code keys_schema} of API requests
 * @param columnLabel the store's primary-key column holding it
 */
public record EntityKey(int sequence, String entityLabel, String columnLabel) {
  public EntityKey {
    requireNonNull(entityLabel, "entityLabel is null");
    requireNonNull(columnLabel, "columnLabel is null");
    RegistryChecks.nonNegative(sequence, "key sequence");
    RegistryChecks.label(entityLabel, "key entity-label");
    RegistryChecks.label(columnLabel, "key column-label");
  }
}
