package dev.onfs.controlplane.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * A key-value store with etcd's transaction semantics, the one storage interface of the control
 * plane. Every committed transaction gets the next store revision; a key remembers the revision it
 * was created at and last modified at. {@link #commit} applies all its writes only when every
 * condition holds, atomically: readers see all of a transaction or none of it, and a crash leaves one
 * or the other.
 *
 * <p>Failures to reach the store throw {@link dev.onfs.controlplane.ControlPlaneException} with
 * reason {@code UNAVAILABLE}.
 */
public interface KeyValueStore extends AutoCloseable {
  /** A key, its value and its revisions. */
  record Entry(String key, String value, long createRevision, long modRevision) {
    public Entry {
      requireNonNull(key, "key is null");
      requireNonNull(value, "value is null");
    }
  }

  /** Every key under a prefix, as of one store revision. */
  record Range(SortedMap<String, Entry> entries, long revision) {}

  /** Holds when {@code key}'s modification revision is {@code modRevision}; 0 means the key is absent. */
  record Condition(String key, long modRevision) {
    public Condition {
      requireNonNull(key, "key is null");
    }

    public static Condition absent(String key) {
      return new Condition(key, 0);
    }
  }

  /** A change of one key. */
  sealed interface Write {
    String key();

    record Put(String key, String value) implements Write {
      public Put {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
      }
    }

    record Delete(String key) implements Write {
      public Delete {
        requireNonNull(key, "key is null");
      }
    }
  }

  /** Every key starting with {@code prefix}, in key order. */
  Range range(String prefix);

  /** One key, or null when absent. */
  @Nullable Entry get(String key);

  /**
   * Applies {@code writes} if every condition holds.
   *
   * @return the revision of the transaction, or -1 when a condition did not hold (nothing written)
   */
  long commit(List<Condition> conditions, List<Write> writes);

  @Override
  void close();
}
