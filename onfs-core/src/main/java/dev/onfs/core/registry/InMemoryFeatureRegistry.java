package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnfsException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A {@link FeatureRegistry} whose snapshot is set by code: the reference implementation, used by
 * tests, embedders and as the holder inside the file and etcd registries.
 */
public final class InMemoryFeatureRegistry implements FeatureRegistry {
  private volatile RegistrySnapshot snapshot;
  private final CopyOnWriteArrayList<RegistryListener> listeners = new CopyOnWriteArrayList<>();
  private final Object updateLock = new Object();

  public InMemoryFeatureRegistry(RegistrySnapshot initial) {
    this.snapshot = requireNonNull(initial, "initial is null");
  }

  public InMemoryFeatureRegistry() {
    this(RegistrySnapshot.empty());
  }

  @Override
  public RegistrySnapshot snapshot() {
    return snapshot;
  }

  /** Replaces the snapshot and tells the listeners when the content changed. */
  public void update(RegistrySnapshot next) {
    requireNonNull(next, "next is null");
    // Listeners run under the lock so that they see changes in the order they were made.
    synchronized (updateLock) {
      RegistrySnapshot previous = snapshot;
      snapshot = next;
      if (previous.equals(next)) {
        return;
      }
      for (RegistryListener listener : listeners) {
        try {
          listener.onChange(previous, next);
        } catch (RuntimeException e) {
          // A faulty listener must not stop the others or the source's update loop.
        }
      }
    }
  }

  /** Applies a change to the current snapshot atomically with respect to other updates. */
  public RegistrySnapshot update(UnaryOperator<RegistrySnapshot> change) {
    RegistrySnapshot next;
    synchronized (updateLock) {
      next = requireNonNull(change.apply(snapshot), "change returned null");
      update(next);
    }
    return next;
  }

  /** Reports a rejected source change to the listeners; the snapshot stays as it is. */
  public void reject(OnfsException error) {
    requireNonNull(error, "error is null");
    for (RegistryListener listener : listeners) {
      try {
        listener.onRejected(error);
      } catch (RuntimeException e) {
        // see update
      }
    }
  }

  @Override
  public void addListener(RegistryListener listener) {
    listeners.add(requireNonNull(listener, "listener is null"));
  }

  @Override
  public void removeListener(RegistryListener listener) {
    listeners.remove(listener);
  }

  @Override
  public void close() {
    listeners.clear();
  }
}
