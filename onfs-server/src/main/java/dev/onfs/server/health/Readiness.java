package dev.onfs.server.health;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.storage.OnlineStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Whether the server can serve: not shutting down, the registry loaded (it holds at least one entity),
 * and every store answering {@link OnlineStore#ping()} within the store timeout. Thread-safe.
 *
 * <p>A {@link #check()} waits at most the store timeout; a store that does not answer in time is down.
 * Its ping goes on in the background (bounded by the adapter's own timeouts) and the next check waits for
 * that same ping instead of starting another, so a hung store holds one thread, not one per probe.
 * Registry and store results are reused for the cache period, so probes cannot hammer the stores.
 */
public final class Readiness implements AutoCloseable {
  /** Default store timeout: a store slower than this to answer a ping would fail its callers too. */
  public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofMillis(250);
  /** Default period for which a result is reused. */
  public static final Duration DEFAULT_CACHE_PERIOD = Duration.ofSeconds(1);

  private final FeatureRegistry registry;
  private final List<StoreProbe> stores;
  private final Duration storeTimeout;
  private final Duration cachePeriod;
  private final Supplier<? extends Collection<String>> quarantined;
  private final ExecutorService pings;
  private volatile boolean shuttingDown;
  private @Nullable ReadinessReport cached; // guarded by this
  private long cachedAtNanos; // guarded by this

  private Readiness(Builder builder) {
    this.registry = builder.registry;
    this.storeTimeout = builder.storeTimeout;
    this.cachePeriod = builder.cachePeriod;
    this.quarantined = builder.quarantined;
    List<StoreProbe> probes = new ArrayList<>();
    builder.stores.forEach((name, store) -> probes.add(new StoreProbe(name, store)));
    this.stores = List.copyOf(probes);
    AtomicInteger count = new AtomicInteger();
    // At most one ping per store runs at a time, so this pool holds at most one thread per store.
    this.pings = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "onfs-readiness-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Readiness of a server that serves from {@code registry}; add its stores to the builder. */
  public static Builder builder(FeatureRegistry registry) {
    return new Builder(registry);
  }

  /** The registry the server serves from. */
  public FeatureRegistry registry() {
    return registry;
  }

  /** From now on the server is not ready: it is draining its calls before it stops. */
  public void markShuttingDown() {
    shuttingDown = true;
  }

  public boolean isShuttingDown() {
    return shuttingDown;
  }

  /** The current answer; waits at most the store timeout, and not at all within the cache period. */
  public ReadinessReport check() {
    ReadinessReport probed;
    synchronized (this) {
      long now = System.nanoTime();
      if (cached == null || now - cachedAtNanos >= cachePeriod.toNanos()) {
        cached = probe();
        cachedAtNanos = now;
      }
      probed = cached;
    }
    List<ReadinessReport.Check> checks = new ArrayList<>(probed.checks().size() + 1);
    checks.add(new ReadinessReport.Check("server", !shuttingDown, shuttingDown ? "shutting down" : "accepting calls"));
    checks.addAll(probed.checks());
    return new ReadinessReport(checks, probed.quarantined());
  }

  /** Stops the ping threads; later checks report every store down. */
  @Override
  public void close() {
    pings.shutdownNow();
  }

  private ReadinessReport probe() {
    List<CompletableFuture<Long>> pending = new ArrayList<>(stores.size());
    for (StoreProbe store : stores) {
      pending.add(store.ping());
    }
    List<ReadinessReport.Check> checks = new ArrayList<>(stores.size() + 1);
    checks.add(registryCheck(registry.snapshot()));
    long deadline = System.nanoTime() + storeTimeout.toNanos();
    for (int i = 0; i < stores.size(); i++) {
      checks.add(stores.get(i).await(pending.get(i), deadline));
    }
    return new ReadinessReport(checks, List.copyOf(quarantined.get()));
  }

  private static ReadinessReport.Check registryCheck(RegistrySnapshot snapshot) {
    int entities = snapshot.entities().size();
    if (entities == 0) {
      return new ReadinessReport.Check("registry", false, "no entities loaded");
    }
    return new ReadinessReport.Check("registry", true,
        entities + (entities == 1 ? " entity" : " entities") + ", revision " + snapshot.revision());
  }

  private final class StoreProbe {
    private final String name;
    private final OnlineStore store;
    private @Nullable CompletableFuture<Long> inFlight; // guarded by Readiness.this

    StoreProbe(String name, OnlineStore store) {
      this.name = "store:" + name;
      this.store = store;
    }

    /** The running ping, or a new one: nanoseconds it took. */
    CompletableFuture<Long> ping() {
      if (inFlight == null || inFlight.isDone()) {
        try {
          inFlight = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            store.ping();
            return System.nanoTime() - start;
          }, pings);
        } catch (RejectedExecutionException e) {
          inFlight = CompletableFuture.failedFuture(new IllegalStateException("readiness is closed"));
        }
      }
      return inFlight;
    }

    ReadinessReport.Check await(CompletableFuture<Long> ping, long deadlineNanos) {
      try {
        long nanos = ping.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        return new ReadinessReport.Check(name, true, "answered in " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms");
      } catch (TimeoutException e) {
        return new ReadinessReport.Check(name, false, "no answer within " + storeTimeout.toMillis() + " ms");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String detail = cause instanceof OnfsException onfs
            ? onfs.code() + ": " + onfs.getMessage()
            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new ReadinessReport.Check(name, false, detail);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ReadinessReport.Check(name, false, "interrupted");
      }
    }
  }

  /** Builds a {@link Readiness}. */
  public static final class Builder {
    private final FeatureRegistry registry;
    private final Map<String, OnlineStore> stores = new LinkedHashMap<>();
    private Duration storeTimeout = DEFAULT_STORE_TIMEOUT;
    private Duration cachePeriod = DEFAULT_CACHE_PERIOD;
    private Supplier<? extends Collection<String>> quarantined = List::of;

    private Builder(FeatureRegistry registry) {
      this.registry = requireNonNull(registry, "registry is null");
    }

    /** A store that must answer pings; {@code name} labels its check ({@code store:<name>}). */
    public Builder store(String name, OnlineStore store) {
      requireNonNull(name, "name is null");
      requireNonNull(store, "store is null");
      if (stores.putIfAbsent(name, store) != null) {
        throw new IllegalArgumentException("store '" + name + "' is already checked");
      }
      return this;
    }

    /** How long a check waits for the stores' pings. */
    public Builder storeTimeout(Duration timeout) {
      this.storeTimeout = positive("storeTimeout", timeout);
      return this;
    }

    /** How long a result is reused. */
    public Builder cachePeriod(Duration period) {
      requireNonNull(period, "period is null");
      if (period.isNegative()) {
        throw new IllegalArgumentException("cachePeriod must not be negative, got " + period);
      }
      this.cachePeriod = period;
      return this;
    }

    /**
     * Names of the feature groups the registry holds back from serving, listed in every answer;
     * none by default. Called on each (uncached) check, so it must be cheap.
     */
    public Builder quarantined(Supplier<? extends Collection<String>> groups) {
      this.quarantined = requireNonNull(groups, "groups is null");
      return this;
    }

    public Readiness build() {
      return new Readiness(this);
    }

    private static Duration positive(String name, Duration value) {
      requireNonNull(value, name + " is null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }
  }
}
