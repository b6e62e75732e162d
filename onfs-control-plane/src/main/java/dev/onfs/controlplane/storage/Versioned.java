package dev.onfs.controlplane.storage;

import static java.util.Objects.requireNonNull;

/**
 * A stored record and the modification revision it was read at, to change it only if nobody else
 * has since.
 */
public record Versioned<T>(T value, long modRevision) {
  public Versioned {
    requireNonNull(value, "value is null");
  }
}
