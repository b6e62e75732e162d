package dev.onfs.controlplane.compat;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A change of one source mapping ({@code source/<entity>|<group>|<feature>} in the etcd tree).
 *
 * @param key {@code <entity>|<group>|<feature>}
 * @param value {@code <provider>|<base-path>|<column>|<default>}, or null to delete the mapping
 */
public record SourceChange(String key, @Nullable String value) {
  public SourceChange {
    requireNonNull(key, "key is null");
  }
}
