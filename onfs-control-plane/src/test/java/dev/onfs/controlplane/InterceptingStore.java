package dev.onfs.controlplane;

import dev.onfs.controlplane.storage.KeyValueStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A real store with hooks run just before its next commit or range read: to land a competing change
 * between an operation's reads, or before its transaction, or to fail as if the process died there.
 * Closing it leaves the real store open.
 */
final class InterceptingStore implements KeyValueStore {
  private final KeyValueStore delegate;
  private final AtomicReference<@Nullable Runnable> beforeNextCommit = new AtomicReference<>();
  private final AtomicReference<@Nullable Runnable> beforeNextRange = new AtomicReference<>();

  InterceptingStore(KeyValueStore delegate) {
    this.delegate = delegate;
  }

  void beforeNextCommit(Runnable hook) {
    beforeNextCommit.set(hook);
  }

  void beforeNextRange(Runnable hook) {
    beforeNextRange.set(hook);
  }

  @Override
  public Range range(String prefix) {
    Runnable hook = beforeNextRange.getAndSet(null);
    if (hook != null) {
      hook.run();
    }
    return delegate.range(prefix);
  }

  @Override
  public @Nullable Entry get(String key) {
    return delegate.get(key);
  }

  @Override
  public long commit(List<Condition> conditions, List<Write> writes) {
    Runnable hook = beforeNextCommit.getAndSet(null);
    if (hook != null) {
      hook.run();
    }
    return delegate.commit(conditions, writes);
  }

  @Override
  public void close() {}
}
