package dev.onfs.server.metrics;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.metrics.OnfsStatsRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reports the core's serving measurements as Micrometer meters, all tagged by entity:
 * {@code onfs.retrieve} / {@code onfs.persist} timers, {@code onfs.retrieve.keys} sizes,
 * {@code onfs.errors} by error code, {@code onfs.near.cache.requests} by result (hit/miss) plus a
 * {@code onfs.near.cache.hit.ratio} gauge, {@code onfs.store.read} / {@code onfs.store.write} timers and
 * {@code onfs.retrieve.values} by feature group and validity; and for the registry, the
 * {@code onfs.registry.quarantined.feature.groups} gauge and {@code onfs.registry.reload.failures}
 * by source ({@code file}, {@code etcd}, else {@code other}).
 */
public final class MicrometerStatsRecorder implements OnfsStatsRecorder {
  private final MeterRegistry registry;
  private final LongAdder nearHits = new LongAdder();
  private final LongAdder nearLookups = new LongAdder();
  // Meters by "name\0tag values", as in GrpcMetricsInterceptor: registering looks a meter up by its sorted
  // tags, which costs more than the measurement, and these are recorded on every call. Errors are not
  // cached: their entity label may be any string a caller sent.
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, DistributionSummary> summaries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final AtomicInteger quarantined = new AtomicInteger();
  private final Map<String, Counter> reloadFailures;

  public MicrometerStatsRecorder(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
    registry.gauge("onfs.registry.quarantined.feature.groups", quarantined);
    // Registered up front, so that a rate over them exists before the first failure.
    reloadFailures = Map.of(
        "file", reloadFailureCounter("file"),
        "etcd", reloadFailureCounter("etcd"),
        "other", reloadFailureCounter("other"));
    registry.gauge("onfs.near.cache.hit.ratio", this, recorder -> {
      long lookups = recorder.nearLookups.sum();
      return lookups == 0 ? 0 : (double) recorder.nearHits.sum() / lookups;
    });
  }

  @Override
  public void recordRetrieve(String entityLabel, int keyRows, long nanos) {
    timer("onfs.retrieve", entityLabel).record(nanos, TimeUnit.NANOSECONDS);
    summaries.computeIfAbsent("onfs.retrieve.keys\0" + entityLabel, k -> DistributionSummary.builder("onfs.retrieve.keys")
        .tag("entity", entityLabel).serviceLevelObjectives(GrpcMetricsInterceptor.KEY_BUCKETS).register(registry))
        .record(keyRows);
  }

  @Override
  public void recordPersist(String entityLabel, int rows, long nanos) {
    timer("onfs.persist", entityLabel).record(nanos, TimeUnit.NANOSECONDS);
    summaries.computeIfAbsent("onfs.persist.rows\0" + entityLabel, k -> DistributionSummary.builder("onfs.persist.rows")
        .tag("entity", entityLabel).register(registry)).record(rows);
  }

  @Override
  public void recordError(String entityLabel, String errorCode) {
    Counter.builder("onfs.errors").tag("entity", entityLabel).tag("code", errorCode).register(registry).increment();
  }

  @Override
  public void recordNearCache(String entityLabel, int hits, int misses) {
    nearHits.add(hits);
    nearLookups.add((long) hits + misses);
    nearCache(entityLabel, "hit").increment(hits);
    nearCache(entityLabel, "miss").increment(misses);
  }

  @Override
  public void recordStoreRead(String entityLabel, int keys, long nanos) {
    timer("onfs.store.read", entityLabel).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void recordStoreWrite(String entityLabel, int rows, long nanos) {
    timer("onfs.store.write", entityLabel).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void recordValidity(String entityLabel, String featureGroupLabel, int valid, int expired, int missing) {
    validity(entityLabel, featureGroupLabel, "valid").increment(valid);
    validity(entityLabel, featureGroupLabel, "expired").increment(expired);
    validity(entityLabel, featureGroupLabel, "missing").increment(missing);
  }

  @Override
  public void recordQuarantinedFeatureGroups(int featureGroups) {
    quarantined.set(featureGroups);
  }

  @Override
  public void recordRegistryReloadFailure(String source) {
    reloadFailures.getOrDefault(source, reloadFailures.get("other")).increment();
  }

  private Counter reloadFailureCounter(String source) {
    return Counter.builder("onfs.registry.reload.failures").tag("source", source)
        .description("registry source changes rejected as a whole; the last good snapshot stays")
        .register(registry);
  }

  private Counter nearCache(String entity, String result) {
    return counters.computeIfAbsent("onfs.near.cache.requests\0" + entity + '\0' + result, k -> Counter
        .builder("onfs.near.cache.requests").tag("entity", entity).tag("result", result).register(registry));
  }

  private Counter validity(String entity, String featureGroup, String validity) {
    return counters.computeIfAbsent("onfs.retrieve.values\0" + entity + '\0' + featureGroup + '\0' + validity,
        k -> Counter.builder("onfs.retrieve.values").tag("entity", entity).tag("feature_group", featureGroup)
            .tag("validity", validity).register(registry));
  }

  private Timer timer(String name, String entity) {
    return timers.computeIfAbsent(name + '\0' + entity,
        k -> Timer.builder(name).tag("entity", entity).publishPercentileHistogram().register(registry));
  }
}
