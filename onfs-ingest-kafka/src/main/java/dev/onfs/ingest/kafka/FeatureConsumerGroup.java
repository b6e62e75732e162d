package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * {@code concurrency} {@link FeatureConsumer}s of one consumer group, each on its own thread with
 * its own Kafka clients (client ids, and a given group instance id, suffixed {@code -<i>}, so each
 * thread keeps the same static membership across restarts). Kafka spreads the partitions over them
 * and over every other process in the group.
 */
public final class FeatureConsumerGroup implements AutoCloseable {
  private final List<FeatureConsumer> consumers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch stopped;
  private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

  private FeatureConsumerGroup(
      ConsumerSettings settings, int concurrency, SchemaCatalog catalog, FeatureSink sink, IngestStats stats) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1: " + concurrency);
    }
    requireNonNull(settings, "settings is null");
    stopped = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      consumers.add(FeatureConsumer.create(settings.forMember(i), catalog, sink, stats));
    }
    for (int i = 0; i < concurrency; i++) {
      FeatureConsumer c = consumers.get(i);
      Thread t = new Thread(() -> {
        try {
          c.run();
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          System.getLogger(FeatureConsumerGroup.class.getName())
              .log(System.Logger.Level.ERROR, "consumer thread stopped", e);
        } finally {
          stopped.countDown();
        }
      }, "onfs-consumer-" + i);
      threads.add(t);
    }
  }

  /** Creates and starts the consumers. */
  public static FeatureConsumerGroup start(
      ConsumerSettings settings, int concurrency, SchemaCatalog catalog, FeatureSink sink, IngestStats stats) {
    FeatureConsumerGroup group = new FeatureConsumerGroup(settings, concurrency, catalog, sink, stats);
    group.threads.forEach(Thread::start);
    return group;
  }

  /** Waits until every consumer stopped (after {@link #close()} or a failure). */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * The {@link FeatureConsumer#health()} of each consumer, in member order; a consumer whose thread ended
   * is down. Safe from any thread.
   */
  public List<FeatureConsumer.Health> health() {
    List<FeatureConsumer.Health> out = new ArrayList<>(consumers.size());
    for (int i = 0; i < consumers.size(); i++) {
      Thread thread = threads.get(i);
      if (thread.getState() != Thread.State.NEW && !thread.isAlive()) {
        Throwable cause = failure.get();
        out.add(new FeatureConsumer.Health(false, "stopped" + (cause == null ? "" : ": " + cause)));
      } else {
        out.add(consumers.get(i).health());
      }
    }
    return out;
  }

  /** The first error that stopped a consumer thread, if any. */
  public @Nullable Throwable failure() {
    return failure.get();
  }

  /** Stops every consumer (each commits what is durable) and waits for their threads. */
  @Override
  public void close() {
    consumers.forEach(FeatureConsumer::close);
    try {
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
