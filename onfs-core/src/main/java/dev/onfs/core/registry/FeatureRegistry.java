package dev.onfs.core.registry;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The source of the registry a server runs with: a file, etcd, or an in-memory value.
 *
 * <p>{@link #snapshot()} returns the current immutable {@link RegistrySnapshot}; implementations
 * replace it atomically when their source changes, and keep the last good one when a change is
 * invalid (telling listeners through {@link RegistryListener#onRejected}). The file and etcd
 * registries check each feature group on its own: one whose definition is invalid is quarantined
 * ({@link #quarantined()}) and the rest keep serving. A request should call
 * {@code snapshot()} once and resolve every label against that one snapshot; the convenience
 * lookups below each read the current snapshot.
 */
public interface FeatureRegistry extends AutoCloseable {
  /** The current snapshot; a volatile read. */
  RegistrySnapshot snapshot();

  /** Registers a listener; it is not called for the snapshot already in force. */
  void addListener(RegistryListener listener);

  void removeListener(RegistryListener listener);

  default @Nullable Entity entity(String label) {
    return snapshot().entity(label);
  }

  default @Nullable FeatureGroup featureGroup(String entityLabel, String featureGroupLabel) {
    return snapshot().featureGroup(entityLabel, featureGroupLabel);
  }

  default @Nullable FeatureGroup featureGroup(String entityLabel, int featureGroupId) {
    return snapshot().featureGroup(entityLabel, featureGroupId);
  }

  /** The reader registered as {@code callerId} in the current snapshot, or null. */
  default @Nullable Caller reader(String callerId) {
    return snapshot().reader(callerId);
  }

  /** The writer registered as {@code jobId} in the current snapshot, or null. */
  default @Nullable Caller writer(String jobId) {
    return snapshot().writer(jobId);
  }

  /**
   * The feature groups the current snapshot quarantines (their definition failed validation), by
   * {@code <entity>/<group>}, with the reason; see {@link RegistrySnapshot#quarantined()}. Empty when
   * every definition is valid.
   */
  default Map<String, String> quarantined() {
    return snapshot().quarantined();
  }

  /** Stops watching the source; the last snapshot stays readable. */
  @Override
  void close();
}
