package dev.onfs.testing;

import static java.util.Objects.requireNonNull;

import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The one instance of a fixture per test JVM behind {@code shared()}; launched again once destroyed. */
final class SharedInstance<T> {
  private final Supplier<T> launch;
  private final Predicate<T> destroyed;
  private @Nullable T instance;

  SharedInstance(Supplier<T> launch, Predicate<T> destroyed) {
    this.launch = requireNonNull(launch, "launch is null");
    this.destroyed = requireNonNull(destroyed, "destroyed is null");
  }

  synchronized T get() {
    T current = instance;
    if (current == null || destroyed.test(current)) {
      current = launch.get();
      instance = current;
    }
    return current;
  }
}
