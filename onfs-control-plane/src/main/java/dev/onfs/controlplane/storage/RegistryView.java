package dev.onfs.controlplane.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.request.Target;
import dev.onfs.core.registry.RegistrySnapshot;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The published registry as read at one revision: the snapshot, the source mappings, and the keys
 * with their revisions, so that an approval can publish only if nothing it builds on changed.
 */
public final class RegistryView {
  private final RegistrySnapshot snapshot;
  private final SortedMap<String, KeyValueStore.Entry> keys;
  private final Map<String, KeyValueStore.Entry> fences;
  private final Map<String, String> sources;
  private final RegistryKeys layout;

  RegistryView(RegistrySnapshot snapshot, SortedMap<String, KeyValueStore.Entry> keys,
      Map<String, KeyValueStore.Entry> fences, RegistryKeys layout) {
    this.snapshot = requireNonNull(snapshot, "snapshot is null");
    this.keys = keys;
    this.fences = fences;
    this.layout = layout;
    Map<String, String> s = new TreeMap<>();
    String prefix = layout.sourcePrefix();
    for (KeyValueStore.Entry entry : keys.tailMap(prefix).values()) {
      if (!entry.key().startsWith(prefix)) {
        break;
      }
      s.put(entry.key().substring(prefix.length()), entry.value());
    }
    this.sources = Collections.unmodifiableMap(s);
  }

  public RegistrySnapshot snapshot() {
    return snapshot;
  }

  /** Source mappings, {@code <entity>|<group>|<feature>} to {@code <provider>|<path>|<column>|<default>}. */
  public Map<String, String> sources() {
    return sources;
  }

  /** The newest modification revision among the target's keys; 0 when it has none. */
  public long revision(Target target) {
    long max = 0;
    for (KeyValueStore.Entry entry : keys.values()) {
      if (layout.belongsTo(entry.key(), target)) {
        max = Math.max(max, entry.modRevision());
      }
    }
    return max;
  }

  SortedMap<String, KeyValueStore.Entry> keys() {
    return keys;
  }

  Map<String, KeyValueStore.Entry> fences() {
    return fences;
  }
}
