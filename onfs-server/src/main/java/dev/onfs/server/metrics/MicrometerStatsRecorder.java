package dev.onfs.server.metrics;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.metrics.OnfsStatsRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
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
 * {@code onfs.retrieve.values} by feature group and validity. Entity and feature-group tags go through
 * {@link RegistryLabels}: a label the registry does not define is tagged {@code unknown}. For the
 * registry: the {@code onfs.registry.quarantined.feature.groups} gauge and
 * {@code onfs.registry.reload.failures} by source ({@code file}, {@code etcd}, else {@code other}).
 */
public final class MicrometerStatsRecorder implements OnfsStatsRecorder {
  private final MeterRegistry registry;
  private final RegistryLabels labels;
  private final LongAdder nearHits = new LongAdder();
  private final LongAdder nearLookups = new LongAdder();
  // Meters by "name\0tag values", as in GrpcMetricsInterceptor: registering looks a meter up by its sorted
  // tags, which costs more than the measurement, and these are recorded on every call. Keys hold tag
  // values after RegistryLabels, so the maps stay as small as the registry.
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, DistributionSummary> summaries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final AtomicInteger quarantined = new AtomicInteger();
  private final Map<String, Counter> reloadFailures;

  public MicrometerStatsRecorder(MeterRegistry registry, RegistryLabels labels) {
    this.registry = requireNonNull(registry, "registry is null");
    this.labels = requireNonNull(labels, "labels is null");
    Gauge.builder("onfs.registry.quarantined.feature.groups", quarantined, AtomicInteger::get)
        .description("feature groups left out of serving because their registry definition is invalid")
        .register(registry);
    // Registered up front, so that a rate over them exists before the first failure.
    reloadFailures = Map.of(
        "file", reloadFailureCounter("file"),
        "etcd", reloadFailureCounter("etcd"),
        "other", reloadFailureCounter("other"));
    Gauge.builder("onfs.near.cache.hit.ratio", this, recorder -> {
      long lookups = recorder.nearLookups.sum();
      return lookups == 0 ? 0 : (double) recorder.nearHits.sum() / lookups;
    }).description("near-cache hits / lookups since start").register(registry);
  }

  @Override
  public void recordRetrieve(String entityLabel, int keyRows, long nanos) {
    String entity = labels.entity(entityLabel);
    timer("onfs.retrieve", "core retrieve time per request", entity).record(nanos, TimeUnit.NANOSECONDS);
    summaries.computeIfAbsent("onfs.retrieve.keys\0" + entity, k -> DistributionSummary.builder("onfs.retrieve.keys")
        .description("key rows per retrieve").tag("entity", entity)
        .serviceLevelObjectives(GrpcMetricsInterceptor.KEY_BUCKETS).register(registry))
        .record(keyRows);
  }

  @Override
  public void recordPersist(String entityLabel, int rows, long nanos) {
    String entity = labels.entity(entityLabel);
    timer("onfs.persist", "core persist time per request", entity).record(nanos, TimeUnit.NANOSECONDS);
    summaries.computeIfAbsent("onfs.persist.rows\0" + entity, k -> DistributionSummary.builder("onfs.persist.rows")
        .description("data rows per persist").tag("entity", entity).register(registry)).record(rows);
  }

  @Override
  public void recordError(String entityLabel, String errorCode) {
    String entity = labels.entity(entityLabel);
    counters.computeIfAbsent("onfs.errors\0" + entity + '\0' + errorCode, k -> Counter.builder("onfs.errors")
        .description("failed retrieves and persists by error code").tag("entity", entity).tag("code", errorCode)
        .register(registry)).increment();
  }

  @Override
  public void recordNearCache(String entityLabel, int hits, int misses) {
    nearHits.add(hits);
    nearLookups.add((long) hits + misses);
    String entity = labels.entity(entityLabel);
    nearCache(entity, "hit").increment(hits);
    nearCache(entity, "miss").increment(misses);
  }

  @Override
  public void recordStoreRead(String entityLabel, int keys, long nanos) {
    timer("onfs.store.read", "store read time per batch", labels.entity(entityLabel))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void recordStoreWrite(String entityLabel, int rows, long nanos) {
    timer("onfs.store.write", "store write time per batch", labels.entity(entityLabel))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void recordValidity(String entityLabel, String featureGroupLabel, int valid, int expired, int missing) {
    String entity = labels.entity(entityLabel);
    String featureGroup = labels.featureGroup(entityLabel, featureGroupLabel);
    validity(entity, featureGroup, "valid").increment(valid);
    validity(entity, featureGroup, "expired").increment(expired);
    validity(entity, featureGroup, "missing").increment(missing);
  }

  @Override
  public void recordQuarantinedFeatureGroups(int featureGroups) {
    quarantined.set(featureGroups);
  }

  @Override
  public void recordRegistryReloadFailure(String source) {
    requireNonNull(reloadFailures.getOrDefault(source, reloadFailures.get("other"))).increment();
  }

  private Counter reloadFailureCounter(String source) {
    return Counter.builder("onfs.registry.reload.failures").tag("source", source)
        .description("registry source changes rejected as a whole; the last good snapshot stays")
        .register(registry);
  }

  private Counter nearCache(String entity, String result) {
    return counters.computeIfAbsent("onfs.near.cache.requests\0" + entity + '\0' + result, k -> Counter
        .builder("onfs.near.cache.requests").description("near-cache lookups by result")
        .tag("entity", entity).tag("result", result).register(registry));
  }

  private Counter validity(String entity, String featureGroup, String validity) {
    return counters.computeIfAbsent("onfs.retrieve.values\0" + entity + '\0' + featureGroup + '\0' + validity,
        k -> Counter.builder("onfs.retrieve.values").description("feature-group values served, by validity")
            .tag("entity", entity).tag("feature_group", featureGroup).tag("validity", validity).register(registry));
  }

  private Timer timer(String name, String description, String entity) {
    return timers.computeIfAbsent(name + '\0' + entity, k -> Timer.builder(name).description(description)
        .tag("entity", entity).publishPercentileHistogram().register(registry));
  }
}
