package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * Pushes typed {@link FeatureRow}s to the ingestion topic as {@code persist.Query} records.
 *
 * <p>Each row is checked against the registry before anything is sent. Rows go to the partition of
 * their entity key (Kafka's default murmur2 of {@link FeatureRows#key}), so one entity's updates
 * stay in order; consecutive rows for the same partition with the same entity and feature set are
 * batched into one query of up to {@code maxRowsPerQuery} rows. {@link #flush()} sends what is
 * buffered and waits for the broker to acknowledge everything sent so far.
 *
 * <p>Not thread-safe: use one pusher per thread (or task).
 */
public final class FeaturePusher implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final boolean ownsProducer;
  private final String topic;
  private final SchemaCatalog catalog;
  private final int maxRowsPerQuery;
  private final Duration ackTimeout;
  private final Map<Integer, Open> open = new HashMap<>();
  private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();
  private int partitions = -1;
  private long rowsPushed;
  private long recordsSent;

  private FeaturePusher(Builder b) {
    this.topic = requireNonNull(b.topic, "topic is not set");
    this.catalog = requireNonNull(b.catalog, "catalog is not set");
    this.maxRowsPerQuery = b.maxRowsPerQuery;
    this.ackTimeout = b.ackTimeout;
    if (b.producer != null) {
      this.producer = b.producer;
      this.ownsProducer = false;
    } else {
      Properties p = new Properties();
      p.putAll(b.security.clientProperties());
      p.putAll(b.producerProperties);
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, requireNonNull(b.bootstrapServers, "bootstrapServers is not set"));
      p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
      p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
      p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
      this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
      this.ownsProducer = true;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks and buffers one row; sends the buffered query of its partition when full or when the
   * row's shape differs.
   *
   * @throws OnfsException a permanent one when the row does not match the registry (nothing of it
   *     is sent); a transient one when an earlier send failed
   */
  public void push(FeatureRow row) {
    requireNonNull(row, "row is null");
    // Check the row alone first so a bad row never poisons a batch.
    FeatureRows.toQuery(List.of(row), catalog);
    byte[] key = FeatureRows.key(row);
    int partition = FeatureRows.partition(key, partitionCount());
    Open current = open.get(partition);
    if (current != null && !FeatureRows.sameShape(current.rows.get(0), row)) {
      send(partition, current);
      current = null;
    }
    if (current == null) {
      current = new Open(key);
      open.put(partition, current);
    }
    current.rows.add(row);
    rowsPushed++;
    if (current.rows.size() >= maxRowsPerQuery) {
      send(partition, current);
    }
  }

  /** Sends every buffered query and waits until the broker acknowledged all sent records. */
  public void flush() {
    for (Map.Entry<Integer, Open> e : new ArrayList<>(open.entrySet())) {
      send(e.getKey(), e.getValue());
    }
    producer.flush();
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    try {
      for (Future<RecordMetadata> f : inFlight) {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "interrupted while waiting for Kafka", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "records to topic " + topic + " not acknowledged: " + e, e);
    } finally {
      inFlight.clear();
    }
  }

  /** Rows accepted by {@link #push} so far. */
  public long rowsPushed() {
    return rowsPushed;
  }

  /** Kafka records (queries) sent so far. */
  public long recordsSent() {
    return recordsSent;
  }

  private void send(int partition, Open batch) {
    open.remove(partition);
    byte[] value = PersistQueryCodec.encode(FeatureRows.toQuery(batch.rows, catalog));
    inFlight.add(producer.send(new ProducerRecord<>(topic, partition, batch.key, value)));
    recordsSent++;
  }

  private int partitionCount() {
    if (partitions < 0) {
      partitions = producer.partitionsFor(topic).size();
      if (partitions == 0) {
        throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "topic " + topic + " has no partitions");
      }
    }
    return partitions;
  }

  /** Flushes, then closes the producer if the pusher created it. */
  @Override
  public void close() {
    try {
      flush();
    } finally {
      if (ownsProducer) {
        producer.close(Duration.ofSeconds(10));
      }
    }
  }

  private static final class Open {
    final byte[] key;
    final List<FeatureRow> rows = new ArrayList<>();

    Open(byte[] key) {
      this.key = key;
    }
  }

  /** Builds a {@link FeaturePusher}; each setter validates its argument. */
  public static final class Builder {
    private @Nullable Producer<byte[], byte[]> producer;
    private @Nullable String bootstrapServers;
    private final Map<String, String> producerProperties = new HashMap<>();
    private KafkaSecurity security = KafkaSecurity.none();
    private String topic = ConsumerSettings.DEFAULT_TOPIC;
    private @Nullable SchemaCatalog catalog;
    private int maxRowsPerQuery = 100;
    private Duration ackTimeout = Duration.ofMinutes(2);

    private Builder() {}

    /** Uses this producer (not closed by the pusher) instead of creating one. */
    public Builder producer(Producer<byte[], byte[]> producer) {
      this.producer = requireNonNull(producer, "producer is null");
      return this;
    }

    public Builder bootstrapServers(String servers) {
      requireNonNull(servers, "bootstrapServers is null");
      if (servers.isBlank()) {
        throw new IllegalArgumentException("bootstrapServers is blank");
      }
      this.bootstrapServers = servers;
      return this;
    }

    /** Protocol, SASL credentials and TLS of the producer (default: PLAINTEXT). */
    public Builder security(KafkaSecurity security) {
      this.security = requireNonNull(security, "security is null");
      return this;
    }

    /** Any Kafka producer property (compression, batching, security settings beyond {@link #security}). */
    public Builder producerProperty(String name, String value) {
      requireNonNull(name, "name is null");
      producerProperties.put(name, requireNonNull(value, "value of " + name + " is null"));
      return this;
    }

    public Builder topic(String topic) {
      requireNonNull(topic, "topic is null");
      if (topic.isBlank()) {
        throw new IllegalArgumentException("topic is blank");
      }
      this.topic = topic;
      return this;
    }

    public Builder catalog(SchemaCatalog catalog) {
      this.catalog = requireNonNull(catalog, "catalog is null");
      return this;
    }

    public Builder maxRowsPerQuery(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("maxRowsPerQuery must be >= 1: " + rows);
      }
      this.maxRowsPerQuery = rows;
      return this;
    }

    public Builder ackTimeout(Duration timeout) {
      requireNonNull(timeout, "ackTimeout is null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("ackTimeout must be positive: " + timeout);
      }
      this.ackTimeout = timeout;
      return this;
    }

    public FeaturePusher build() {
      return new FeaturePusher(this);
    }
  }
}
