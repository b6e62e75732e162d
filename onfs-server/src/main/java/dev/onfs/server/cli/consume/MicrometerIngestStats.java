package dev.onfs.server.cli.consume;

import dev.onfs.ingest.kafka.IngestStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/** Publishes ingestion measurements as Micrometer meters named {@code onfs.ingest.*}. */
public final class MicrometerIngestStats implements IngestStats {
  private final MeterRegistry registry;
  private final Counter recordsIn;
  private final Counter recordsStored;
  private final Counter rowsStored;
  private final Counter deadLettered;
  private final Counter retries;
  private final Timer batchOk;
  private final Timer batchFailed;
  private final Timer freshness;
  private final Map<TopicPartition, AtomicLong> lags = new ConcurrentHashMap<>();

  public MicrometerIngestStats(MeterRegistry registry) {
    this.registry = registry;
    recordsIn = Counter.builder("onfs.ingest.records.in").description("records polled from Kafka").register(registry);
    recordsStored = Counter.builder("onfs.ingest.records.stored")
        .description("records whose rows the store acknowledged").register(registry);
    rowsStored = Counter.builder("onfs.ingest.rows.stored").description("entity rows stored").register(registry);
    deadLettered = Counter.builder("onfs.ingest.records.dead_lettered")
        .description("invalid records sent to the dead-letter topic").register(registry);
    retries = Counter.builder("onfs.ingest.retries").description("transient failures that paused the consumer")
        .register(registry);
    batchOk = Timer.builder("onfs.ingest.batch.write").tag("outcome", "success").register(registry);
    batchFailed = Timer.builder("onfs.ingest.batch.write").tag("outcome", "failure").register(registry);
    freshness = Timer.builder("onfs.ingest.freshness")
        .description("record timestamp to stored").publishPercentiles(0.5, 0.99).register(registry);
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
  public void recordsDeadLettered(int count) {
    deadLettered.increment(count);
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
  public void freshness(long millis) {
    freshness.record(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void lag(TopicPartition partition, long lag) {
    lags.computeIfAbsent(partition, tp -> {
      AtomicLong holder = new AtomicLong();
      registry.gauge(
          "onfs.ingest.lag",
          Tags.of("topic", tp.topic(), "partition", Integer.toString(tp.partition())),
          holder,
          AtomicLong::doubleValue);
      return holder;
    }).set(lag);
  }
}
