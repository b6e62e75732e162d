package dev.onfs.controlplane.compat;

import dev.onfs.core.registry.RegistrySnapshot;

/** Whether a reader or writer is registered; the one place that reads the snapshot's callers. */
final class Registered {
  private Registered() {}

  static boolean reader(RegistrySnapshot snapshot, String id) {
    return snapshot.reader(id) != null;
  }

  static boolean writer(RegistrySnapshot snapshot, String id) {
    return snapshot.writer(id) != null;
  }
}
