package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * One at-least-once ingestion consumer: polls {@code persist.Query} records, validates them against
 * the registry, writes each poll batch through a {@link FeatureSink} in a few batch writes, and
 * commits offsets only after the sink acknowledged them.
 *
 * <ul>
 *   <li>Invalid records go to the dead-letter topic with the reason and their source coordinates
 *       in headers; the consumer keeps going.
 *   <li>When the sink (or the registry, or the dead-letter topic) is unavailable, the consumer
 *       pauses its partitions, keeps the batch, retries it with bounded jittered exponential
 *       backoff while still polling (so it keeps its group membership), and resumes on success.
 *   <li>On rebalance it commits what is durable and drops uncommitted work of revoked partitions;
 *       their next owner re-reads it from the committed offset. Writes are idempotent, so replays
 *       are harmless.
 *   <li>A partition's records are processed in offset order; one thread per consumer.
 *   <li>It joins with a static group instance id ({@link ConsumerSettings#groupInstanceId()}), so
 *       after a crash its restart takes its partitions back without waiting for the session timeout.
 * </ul>
 *
 * <p>{@link #run()} blocks until {@link #close()} is called from another thread.
 */
public final class FeatureConsumer implements Runnable, AutoCloseable {
  /** Header with the reason a record was dead-lettered. */
  public static final String HEADER_REASON = "onfs.dlq.reason";
  /** Header with the {@link ErrorCode} name of the rejection. */
  public static final String HEADER_ERROR_CODE = "onfs.dlq.error-code";
  public static final String HEADER_SOURCE_TOPIC = "onfs.dlq.source-topic";
  public static final String HEADER_SOURCE_PARTITION = "onfs.dlq.source-partition";
  public static final String HEADER_SOURCE_OFFSET = "onfs.dlq.source-offset";
  public static final String HEADER_SOURCE_TIMESTAMP = "onfs.dlq.source-timestamp";

  private static final System.Logger LOG = System.getLogger(FeatureConsumer.class.getName());
  private static final Duration DLQ_ACK_TIMEOUT = Duration.ofSeconds(30);
  private static final long LAG_REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ConsumerSettings settings;
  private final Consumer<byte[], byte[]> consumer;
  private final @Nullable Producer<byte[], byte[]> deadLetters;
  private final SchemaCatalog catalog;
  private final FeatureSink sink;
  private final IngestStats stats;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean started = new AtomicBoolean();
  /** Longest gap between polls of a healthy loop: a poll timeout plus a store write bounded by its timeouts. */
  private final long pollStallNanos;
  /** Longest time without a group heartbeat before the coordinator is taken as lost. */
  private final long heartbeatStallNanos;

  // Written by the loop thread, read by health checks on other threads.
  private volatile long lastPollNanos;
  private volatile long joinedAtNanos;
  private volatile boolean joined;
  private volatile int assignedPartitions;
  private volatile double heartbeatSecondsAgo = -1;
  private volatile int pendingAttempt;
  private @Nullable Metric heartbeatMetric;

  // Loop-thread state.
  private @Nullable Batch pending;
  private int attempt;
  private long retryAtNanos;
  private final Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
  private long lagReportedNanos;

  FeatureConsumer(
      ConsumerSettings settings,
      Consumer<byte[], byte[]> consumer,
      @Nullable Producer<byte[], byte[]> deadLetters,
      SchemaCatalog catalog,
      FeatureSink sink,
      IngestStats stats) {
    this.settings = requireNonNull(settings, "settings is null");
    this.consumer = requireNonNull(consumer, "consumer is null");
    this.deadLetters = deadLetters;
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.sink = requireNonNull(sink, "sink is null");
    this.stats = requireNonNull(stats, "stats is null");
    if (settings.deadLetterTopic().isPresent() && deadLetters == null) {
      throw new IllegalArgumentException("a dead-letter topic is set but no producer was given");
    }
    this.pollStallNanos = Math.max(TimeUnit.SECONDS.toNanos(15), 3 * settings.pollTimeout().toNanos());
    long heartbeatMillis = heartbeatIntervalMillis(settings);
    this.heartbeatStallNanos = TimeUnit.MILLISECONDS.toNanos(
        Math.min(settings.sessionTimeout().toMillis(), Math.max(3 * heartbeatMillis, 1000)));
  }

  private static long heartbeatIntervalMillis(ConsumerSettings settings) {
    String configured = settings.clientProperties().get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
    if (configured != null) {
      try {
        return Long.parseLong(configured.trim());
      } catch (NumberFormatException e) {
        // Kafka refuses it when the consumer is built; fall back to its default here.
      }
    }
    return 3000;
  }

  /** A consumer with its own Kafka clients built from {@code settings}. */
  public static FeatureConsumer create(
      ConsumerSettings settings, SchemaCatalog catalog, FeatureSink sink, IngestStats stats) {
    Consumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(consumerProperties(settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Producer<byte[], byte[]> producer = null;
    if (settings.deadLetterTopic().isPresent()) {
      producer = new KafkaProducer<>(deadLetterProperties(settings), new ByteArraySerializer(), new ByteArraySerializer());
    }
    return new FeatureConsumer(settings, consumer, producer, catalog, sink, stats);
  }

  static Properties consumerProperties(ConsumerSettings s) {
    Properties p = new Properties();
    p.putAll(s.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, s.clientId());
    s.groupInstanceId().ifPresent(id -> p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(s.sessionTimeout().toMillis()));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, s.autoOffsetReset());
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(s.maxPollRecords()));
    return p;
  }

  static Properties deadLetterProperties(ConsumerSettings s) {
    Properties p = new Properties();
    // Security settings apply to both clients; consumer-only keys are ignored with a warning.
    s.clientProperties().forEach((k, v) -> {
      if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
        p.put(k, v);
      }
    });
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, s.clientId() + "-dlq");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return p;
  }

  @Override
  public void run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a FeatureConsumer runs once");
    }
    subscribe();
    try {
      while (running.get()) {
        pollOnce();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (FencedInstanceIdException e) {
      // Another consumer joined with our static id; two members cannot share it, so this one stops.
      throw new IllegalStateException("group.instance.id '" + settings.groupInstanceId().orElse("")
          + "' of group '" + settings.groupId() + "' is now used by another consumer, so this one stops; give"
          + " every consumer process its own group-instance-id", e);
    } finally {
      try {
        commitDurable(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "final commit failed; records will be re-read (idempotent)", e);
      }
      consumer.close(Duration.ofSeconds(5));
      if (deadLetters != null) {
        deadLetters.close(Duration.ofSeconds(5));
      }
    }
  }

  void subscribe() {
    consumer.subscribe(List.of(settings.topic()), new Listener());
  }

  private void resumeAll() {
    Set<TopicPartition> paused = new HashSet<>(consumer.paused());
    paused.retainAll(consumer.assignment());
    consumer.resume(paused);
  }

  /** One loop iteration; package-private so pure-logic tests can step the loop. */
  void pollOnce() {
    Duration timeout = settings.pollTimeout();
    if (pending != null) {
      long waitNanos = Math.max(0, retryAtNanos - System.nanoTime());
      timeout = Duration.ofNanos(Math.min(timeout.toNanos(), waitNanos));
    }
    ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
    noteProgress();
    if (!durable.isEmpty()) {
      commitDurable(Duration.ofSeconds(1));
    }
    reportLag();
    if (pending != null) {
      if (!records.isEmpty()) {
        // Paused partitions return nothing; anything else is re-read later, never dropped.
        rewind(records);
      }
      if (System.nanoTime() - retryAtNanos >= 0) {
        tryBatch(pending);
      }
      return;
    }
    if (records.isEmpty()) {
      return;
    }
    stats.recordsIn(records.count());
    tryBatch(Batch.decode(records));
  }

  private void tryBatch(Batch batch) {
    try {
      batch.process(catalog, sink, this);
    } catch (RuntimeException e) {
      if (e instanceof OnfsException && !((OnfsException) e).isTransient()) {
        // process() only lets transient failures out; anything else is a bug: keep the data anyway.
        LOG.log(System.Logger.Level.ERROR, "unexpected permanent failure outside record validation", e);
      }
      backOff(batch, e);
      return;
    }
    long now = System.currentTimeMillis();
    for (long ts : batch.timestamps) {
      if (ts >= 0) {
        stats.delay(Math.max(0, now - ts));
      }
    }
    batch.newestByGroup.forEach((group, ts) -> stats.groupStored(group.entity(), group.featureGroup(), ts));
    stats.recordsStored(batch.storedRecords, batch.storedRows);
    durable.putAll(batch.offsets);
    if (pending != null) {
      pending = null;
      attempt = 0;
      pendingAttempt = 0;
      resumeAll();
    }
    commitDurable(Duration.ofSeconds(10));
  }

  private void backOff(Batch batch, RuntimeException cause) {
    if (pending == null) {
      pending = batch;
      consumer.pause(consumer.assignment());
    }
    attempt++;
    pendingAttempt = attempt;
    long delay = settings.backoff().delayMillis(attempt);
    if (outcomeUnknown(cause)) {
      // The store timed out: the abandoned write may still be running on the server and would race
      // the retry, landing older values after newer ones. Give it the longest delay to drain.
      delay = Math.max(delay, settings.backoff().max().toMillis());
    }
    retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
    stats.retried();
    LOG.log(
        System.Logger.Level.WARNING,
        "batch of {0} records not stored (attempt {1}), partitions paused, retrying in {2} ms: {3}",
        batch.size(), attempt, delay, cause.toString());
  }

  /** True when a failed write may still be applied later (a timeout, not a refused connection). */
  static boolean outcomeUnknown(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OnfsException && ((OnfsException) t).code() == ErrorCode.STORE_TIMEOUT) {
        return true;
      }
    }
    return false;
  }

  private void rewind(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
      consumer.seek(tp, list.get(0).offset());
    }
    consumer.pause(records.partitions());
  }

  private void commitDurable(Duration timeout) {
    if (durable.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>(durable);
    try {
      consumer.commitSync(toCommit, timeout);
      toCommit.forEach(durable::remove);
    } catch (CommitFailedException e) {
      // We no longer own these partitions; the new owner re-reads from the last commit (idempotent).
      stats.commitFailed();
      LOG.log(System.Logger.Level.INFO, "offsets not committed after losing partitions: " + e.getMessage());
      durable.clear();
    } catch (RebalanceInProgressException | org.apache.kafka.common.errors.TimeoutException e) {
      stats.commitFailed();
      LOG.log(System.Logger.Level.DEBUG, "commit deferred: " + e);
    } catch (WakeupException | FencedInstanceIdException e) {
      throw e;
    } catch (KafkaException e) {
      stats.commitFailed();
      LOG.log(System.Logger.Level.WARNING, "commit failed, will retry: " + e);
    }
  }

  /** Publishes what {@link #health()} reads; on the loop thread, after each poll. */
  private void noteProgress() {
    lastPollNanos = System.nanoTime();
    assignedPartitions = consumer.assignment().size();
    if (heartbeatMetric == null) {
      for (Map.Entry<MetricName, ? extends Metric> m : consumer.metrics().entrySet()) {
        if (m.getKey().name().equals("last-heartbeat-seconds-ago")
            && m.getKey().group().equals("consumer-coordinator-metrics")) {
          heartbeatMetric = m.getValue();
        }
      }
    }
    if (heartbeatMetric != null && heartbeatMetric.metricValue() instanceof Number seconds) {
      heartbeatSecondsAgo = seconds.doubleValue();
    }
  }

  /**
   * Whether this consumer makes progress: it runs, has joined its group (it may own no partitions when
   * the group has more members than partitions), polls, hears from the group coordinator, and is not
   * holding a batch back for a store that fails. Safe from any thread.
   */
  public Health health() {
    if (!running.get()) {
      return new Health(false, "stopped");
    }
    if (!started.get() || !joined) {
      return new Health(false, "joining group " + settings.groupId());
    }
    long now = System.nanoTime();
    long sincePoll = now - lastPollNanos;
    if (sincePoll > pollStallNanos) {
      return new Health(false, "no poll for " + TimeUnit.NANOSECONDS.toSeconds(sincePoll) + " s");
    }
    double heartbeat = heartbeatSecondsAgo;
    long stallSeconds = TimeUnit.NANOSECONDS.toSeconds(heartbeatStallNanos);
    // Kafka reports -1 until the first heartbeat after joining; past the limit that is a coordinator lost early.
    boolean stale = heartbeat < 0 ? now - joinedAtNanos > heartbeatStallNanos : heartbeat > stallSeconds;
    if (stale) {
      return new Health(false, "no heartbeat to the group coordinator for more than " + stallSeconds
          + " s: the brokers are unreachable");
    }
    int attempts = pendingAttempt;
    if (attempts > 0) {
      return new Health(false, "a batch is not stored yet (attempt " + attempts + "), partitions paused");
    }
    int partitions = assignedPartitions;
    return new Health(true, partitions + (partitions == 1 ? " partition" : " partitions") + " of "
        + settings.topic());
  }

  /** A consumer's {@link #health()}: whether it is up, and why (or what it holds). */
  public record Health(boolean up, String detail) {
    public Health {
      requireNonNull(detail, "detail is null");
    }
  }

  private void reportLag() {
    long now = System.nanoTime();
    if (now - lagReportedNanos < LAG_REPORT_NANOS) {
      return;
    }
    lagReportedNanos = now;
    for (TopicPartition tp : consumer.assignment()) {
      consumer.currentLag(tp).ifPresent(lag -> stats.lag(tp, lag));
    }
  }

  /**
   * Sends dead letters and waits for the broker's acknowledgment.
   *
   * @throws OnfsException a transient one when the dead-letter topic cannot be written now
   */
  void deadLetter(List<Rejected> rejected) {
    if (rejected.isEmpty()) {
      return;
    }
    if (deadLetters == null) {
      for (Rejected r : rejected) {
        LOG.log(
            System.Logger.Level.WARNING,
            "skipping invalid record {0}-{1}@{2}: {3}",
            r.record.topic(), r.record.partition(), r.record.offset(), r.reason);
      }
      countDeadLettered(rejected);
      return;
    }
    String topic = settings.deadLetterTopic().orElseThrow();
    List<Future<RecordMetadata>> acks = new ArrayList<>(rejected.size());
    for (Rejected r : rejected) {
      ConsumerRecord<byte[], byte[]> rec = r.record;
      List<Header> headers = new ArrayList<>();
      rec.headers().forEach(headers::add);
      headers.add(header(HEADER_REASON, r.reason));
      headers.add(header(HEADER_ERROR_CODE, r.code.name()));
      headers.add(header(HEADER_SOURCE_TOPIC, rec.topic()));
      headers.add(header(HEADER_SOURCE_PARTITION, Integer.toString(rec.partition())));
      headers.add(header(HEADER_SOURCE_OFFSET, Long.toString(rec.offset())));
      headers.add(header(HEADER_SOURCE_TIMESTAMP, Long.toString(rec.timestamp())));
      acks.add(deadLetters.send(new ProducerRecord<>(topic, null, rec.key(), rec.value(), headers)));
    }
    deadLetters.flush();
    try {
      long deadline = System.nanoTime() + DLQ_ACK_TIMEOUT.toNanos();
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "interrupted while writing to dead-letter topic " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "dead-letter topic " + topic + " is not writable: " + e, e);
    }
    countDeadLettered(rejected);
  }

  private void countDeadLettered(List<Rejected> rejected) {
    Map<ErrorCode, Integer> byReason = new java.util.EnumMap<>(ErrorCode.class);
    for (Rejected r : rejected) {
      byReason.merge(r.code, 1, Integer::sum);
    }
    byReason.forEach(stats::recordsDeadLettered);
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(UTF_8));
  }

  /** Stops the loop; safe from any thread. {@link #run()} commits what is durable and returns. */
  @Override
  public void close() {
    if (running.compareAndSet(true, false)) {
      consumer.wakeup();
    }
  }

  /** True while a batch waits for the store to come back. */
  boolean isBackingOff() {
    return pending != null;
  }

  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Commit what is already stored, then forget uncommitted work for those partitions.
      Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>();
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata o = durable.get(tp);
        if (o != null) {
          mine.put(tp, o);
        }
      }
      if (!mine.isEmpty()) {
        try {
          consumer.commitSync(mine, Duration.ofSeconds(10));
        } catch (KafkaException e) {
          stats.commitFailed();
          LOG.log(System.Logger.Level.INFO, "commit on revoke failed, next owner re-reads (idempotent): " + e);
        }
      }
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // The group dropped this member; it is out until it joins again.
      joined = false;
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // Called after every join, also with no partitions.
      if (!joined) {
        joinedAtNanos = System.nanoTime();
        joined = true;
      }
      if (pending != null) {
        consumer.pause(partitions);
      }
    }

    private void forget(Collection<TopicPartition> partitions) {
      partitions.forEach(durable::remove);
      partitions.forEach(stats::released);
      if (pending != null) {
        pending = pending.without(new HashSet<>(partitions));
        if (pending.size() == 0) {
          pending = null;
          attempt = 0;
          pendingAttempt = 0;
          resumeAll();
        }
      }
    }
  }

  /** An entity's feature group, as a validated record names it. */
  record GroupLabel(String entity, String featureGroup) {}

  /** A record that failed validation. */
  static final class Rejected {
    final ConsumerRecord<byte[], byte[]> record;
    final String reason;
    final ErrorCode code;

    Rejected(ConsumerRecord<byte[], byte[]> record, String reason, ErrorCode code) {
      this.record = record;
      this.reason = reason;
      this.code = code;
    }
  }

  /** One poll batch: records in partition-offset order, decoded once, kept across retries. */
  static final class Batch {
    private final List<ConsumerRecord<byte[], byte[]>> records;
    private final List<@Nullable PersistQuery> queries;
    private final List<@Nullable OnfsException> decodeErrors;
    final Map<TopicPartition, OffsetAndMetadata> offsets;
    long[] timestamps = new long[0];
    Map<GroupLabel, Long> newestByGroup = Map.of();
    int storedRecords;
    int storedRows;
    private boolean deadLettersSent;

    private Batch(List<ConsumerRecord<byte[], byte[]>> records) {
      this.records = records;
      this.queries = new ArrayList<>(records.size());
      this.decodeErrors = new ArrayList<>(records.size());
      this.offsets = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        if (r.value() == null) {
          queries.add(null);
          decodeErrors.add(new OnfsException(ErrorCode.INVALID_ARGUMENT, "record has no value"));
          continue;
        }
        try {
          queries.add(PersistQueryCodec.decode(r.value()));
          decodeErrors.add(null);
        } catch (OnfsException e) {
          queries.add(null);
          decodeErrors.add(e);
        }
      }
    }

    static Batch decode(ConsumerRecords<byte[], byte[]> polled) {
      List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(polled.count());
      for (TopicPartition tp : polled.partitions()) {
        list.addAll(polled.records(tp));
      }
      return new Batch(list);
    }

    int size() {
      return records.size();
    }

    Batch without(Set<TopicPartition> revoked) {
      List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>(records.size());
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if (!revoked.contains(new TopicPartition(r.topic(), r.partition()))) {
          kept.add(r);
        }
      }
      return new Batch(kept);
    }

    /**
     * Validates, writes, dead-letters. Throws only transient failures (the batch is then retried
     * whole; writes already made are idempotent).
     */
    void process(SchemaCatalog catalog, FeatureSink sink, FeatureConsumer owner) {
      List<Rejected> rejected = new ArrayList<>();
      List<PersistQuery> valid = new ArrayList<>(records.size());
      List<ConsumerRecord<byte[], byte[]>> validRecords = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        PersistQuery q = queries.get(i);
        OnfsException error = decodeErrors.get(i);
        if (q != null) {
          try {
            catalog.validate(q);
          } catch (OnfsException e) {
            if (e.isTransient()) {
              throw e;
            }
            error = e;
          }
        }
        if (error != null) {
          rejected.add(new Rejected(records.get(i), requireNonNull(error.getMessage()), error.code()));
        } else {
          valid.add(q);
          validRecords.add(records.get(i));
        }
      }
      write(valid, validRecords, sink, owner, rejected);
      if (!deadLettersSent) {
        owner.deadLetter(rejected);
        deadLettersSent = true;
      }
      storedRecords = valid.size() - countRejectedValid(rejected, validRecords);
      timestamps = new long[validRecords.size()];
      Set<ConsumerRecord<byte[], byte[]>> refused = new HashSet<>();
      rejected.forEach(r -> refused.add(r.record));
      Map<GroupLabel, Long> newest = new HashMap<>();
      for (int i = 0; i < validRecords.size(); i++) {
        ConsumerRecord<byte[], byte[]> record = validRecords.get(i);
        timestamps[i] = record.timestamp();
        if (record.timestamp() >= 0 && !refused.contains(record)) {
          PersistQuery q = valid.get(i);
          for (PersistQuery.FeatureGroupSchema group : q.featureGroupSchema()) {
            newest.merge(new GroupLabel(q.entityLabel(), group.label()), record.timestamp(), Math::max);
          }
        }
      }
      newestByGroup = newest;
    }

    private static int countRejectedValid(List<Rejected> rejected, List<ConsumerRecord<byte[], byte[]>> validRecords) {
      Set<ConsumerRecord<byte[], byte[]>> set = new HashSet<>(validRecords);
      int n = 0;
      for (Rejected r : rejected) {
        if (set.contains(r.record)) {
          n++;
        }
      }
      return n;
    }

    private void write(
        List<PersistQuery> valid,
        List<ConsumerRecord<byte[], byte[]>> validRecords,
        FeatureSink sink,
        FeatureConsumer owner,
        List<Rejected> rejected) {
      int rows = 0;
      int from = 0;
      int chunkRows = 0;
      for (int i = 0; i < valid.size(); i++) {
        int queryRows = valid.get(i).data().size();
        // A chunk stays within writeBatchRows unless one query alone is larger: the store refuses a write
        // over its keys-per-request limit, which is the same number by default.
        if (chunkRows > 0 && chunkRows + queryRows > owner.settings.writeBatchRows()) {
          writeChunk(valid.subList(from, i), validRecords.subList(from, i), sink, owner, rejected);
          rows += chunkRows;
          from = i;
          chunkRows = 0;
        }
        chunkRows += queryRows;
      }
      if (from < valid.size()) {
        writeChunk(valid.subList(from, valid.size()), validRecords.subList(from, valid.size()), sink, owner, rejected);
        rows += chunkRows;
      }
      storedRows = rows;
    }

    private static void writeChunk(
        List<PersistQuery> chunk,
        List<ConsumerRecord<byte[], byte[]>> chunkRecords,
        FeatureSink sink,
        FeatureConsumer owner,
        List<Rejected> rejected) {
      long start = System.nanoTime();
      try {
        sink.persist(chunk);
        owner.stats.batchWritten(System.nanoTime() - start, true);
        return;
      } catch (OnfsException e) {
        owner.stats.batchWritten(System.nanoTime() - start, false);
        if (e.isTransient()) {
          throw e;
        }
      }
      // The store rejected something the validator let through: find it query by query.
      for (int i = 0; i < chunk.size(); i++) {
        try {
          sink.persist(List.of(chunk.get(i)));
        } catch (OnfsException e) {
          if (e.isTransient()) {
            throw e;
          }
          rejected.add(new Rejected(chunkRecords.get(i), requireNonNull(e.getMessage()), e.code()));
        }
      }
    }
  }
}
