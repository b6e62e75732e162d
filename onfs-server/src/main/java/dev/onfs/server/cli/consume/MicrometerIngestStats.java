package dev.onfs.server.cli.consume;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.ingest.kafka.IngestStats;
import dev.onfs.server.metrics.RegistryLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * Publishes ingestion measurements as Micrometer meters named {@code onfs.ingest.*}. Entity and
 * feature-group tags go through {@link RegistryLabels}, so only names the registry defines become series.
 */
public final class MicrometerIngestStats implements IngestStats {
  private final MeterRegistry registry;
  private final RegistryLabels labels;
  private final Counter recordsIn;
  private final Counter recordsStored;
  private final Counter rowsStored;
  private final Counter retries;
  private final Counter commitFailures;
  private final Timer batchOk;
  private final Timer batchFailed;
  private final Timer delay;
  private final Map<ErrorCode, Counter> deadLettered = new ConcurrentHashMap<>();
  private final Map<Tags, AtomicLong> newestEvent = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Lag> lags = new ConcurrentHashMap<>();

  public MicrometerIngestStats(MeterRegistry registry, RegistryLabels labels) {
    this.registry = requireNonNull(registry, "registry is null");
    this.labels = requireNonNull(labels, "labels is null");
    recordsIn = Counter.builder("onfs.ingest.records.in").description("Records polled from Kafka").register(registry);
    recordsStored = Counter.builder("onfs.ingest.records.stored")
        .description("Records whose rows the store acknowledged").register(registry);
    rowsStored = Counter.builder("onfs.ingest.rows.stored").description("Entity rows stored").register(registry);
    retries = Counter.builder("onfs.ingest.retries")
        .description("Transient failures (store, registry or dead-letter topic) that paused the consumer")
        .register(registry);
    commitFailures = Counter.builder("onfs.ingest.commit.failures")
        .description("Offset commits that failed; the records are re-read (writes are idempotent)")
        .register(registry);
    batchOk = batchTimer("success");
    batchFailed = batchTimer("failure");
    delay = Timer.builder("onfs.ingest.delay")
        .description("Time from a record's Kafka timestamp to the store acknowledging its rows")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(registry);
  }

  private Timer batchTimer(String outcome) {
    return Timer.builder("onfs.ingest.batch.write")
        .description("Latency of each store write of a poll batch's rows")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  @Override
  public void recordsIn(int count) {
    recordsIn.increment(count);
  }

  @Override
  public void recordsStored(int count, int rows) {
    recordsStored.increment(count);
    rowsStored.increment(rows);
  }

  @Override
  public void groupStored(String entity, String featureGroup, long newestEventMillis) {
    String entityTag = labels.entity(entity);
    Tags tags = Tags.of("entity", entityTag, "feature_group", labels.featureGroup(entity, featureGroup));
    newestEvent.computeIfAbsent(tags, t -> {
      AtomicLong newest = new AtomicLong(Long.MIN_VALUE);
      Gauge.builder("onfs.ingest.freshness", newest, MicrometerIngestStats::secondsSince)
          .description("Seconds since the event time (Kafka timestamp) of the newest record stored for the"
              + " feature group; grows while nothing new arrives or the consumer falls behind")
          .tags(t)
          .baseUnit("seconds")
          .register(registry);
      return newest;
    }).accumulateAndGet(newestEventMillis, Math::max);
  }

  private static double secondsSince(AtomicLong epochMillis) {
    long millis = epochMillis.get();
    return millis == Long.MIN_VALUE ? Double.NaN : Math.max(0, System.currentTimeMillis() - millis) / 1000.0;
  }

  @Override
  public void recordsDeadLettered(ErrorCode reason, int count) {
    deadLettered.computeIfAbsent(reason, code -> Counter.builder("onfs.ingest.records.dead_lettered")
        .description("Invalid records sent to the dead-letter topic (or skipped without one), by the error"
            + " code that rejected them")
        .tag("reason", code.name().toLowerCase(Locale.ROOT))
        .register(registry)).increment(count);
  }

  @Override
  public void batchWritten(long nanos, boolean success) {
    (success ? batchOk : batchFailed).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void retried() {
    retries.increment();
  }

  @Override
  public void commitFailed() {
    commitFailures.increment();
  }

  @Override
  public void delay(long millis) {
    delay.record(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void lag(TopicPartition partition, long lag) {
    lags.computeIfAbsent(partition, tp -> {
      AtomicLong holder = new AtomicLong();
      Gauge gauge = Gauge.builder("onfs.ingest.lag", holder, AtomicLong::doubleValue)
          .description("Records of the partition not yet consumed by this process (log end minus position)")
          .tags("topic", tp.topic(), "partition", Integer.toString(tp.partition()))
          .baseUnit("records")
          .register(registry);
      return new Lag(holder, gauge);
    }).value().set(lag);
  }

  @Override
  public void released(TopicPartition partition) {
    Lag lag = lags.remove(partition);
    if (lag != null) {
      registry.remove(lag.gauge());
    }
  }

  private record Lag(AtomicLong value, Gauge gauge) {}
}
