package dev.onfs.server.console;

import static java.util.Objects.requireNonNull;

import dev.onfs.console.Freshness;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.Limits;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.PersistResult;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A feature store that notes, per feature group, when a persist last wrote it and how many rows it
 * wrote in each of the last 60 seconds: the console's freshness figures. Persists through any other
 * process (an {@code onfs consume}, another replica) are not seen here.
 */
public final class GroupWrites implements OnlineFeatureStore, Freshness {
  private static final int SECONDS = 60;

  private final OnlineFeatureStore delegate;
  private final Clock clock;
  private final ConcurrentHashMap<String, Counts> groups = new ConcurrentHashMap<>();

  public GroupWrites(OnlineFeatureStore delegate, Clock clock) {
    this.delegate = requireNonNull(delegate, "delegate is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public RetrieveResult retrieve(RetrieveQuery query) {
    return delegate.retrieve(query);
  }

  @Override
  public DecodedResult retrieveDecoded(RetrieveQuery query) {
    return delegate.retrieveDecoded(query);
  }

  @Override
  public PersistResult persist(PersistQuery query) {
    return noted(query, delegate.persist(query));
  }

  @Override
  public CompletableFuture<RetrieveResult> retrieveAsync(RetrieveQuery query) {
    return delegate.retrieveAsync(query);
  }

  @Override
  public CompletableFuture<DecodedResult> retrieveDecodedAsync(RetrieveQuery query) {
    return delegate.retrieveDecodedAsync(query);
  }

  @Override
  public CompletableFuture<PersistResult> persistAsync(PersistQuery query) {
    return delegate.persistAsync(query).thenApply(result -> noted(query, result));
  }

  @Override
  public Limits limits() {
    return delegate.limits();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private PersistResult noted(PersistQuery query, PersistResult result) {
    if (result.rowsWritten() > 0) {
      Instant now = clock.instant();
      for (PersistQuery.FeatureGroupSchema group : query.featureGroupSchema()) {
        groups.computeIfAbsent(query.entityLabel() + "\0" + group.label(), k -> new Counts())
            .add(now, result.rowsWritten());
      }
    }
    return result;
  }

  @Override
  public @Nullable Writes of(String entity, String group) {
    Counts counts = groups.get(entity + "\0" + group);
    return counts == null ? null : counts.writes(clock.instant());
  }

  /** One group's rows per second over the last minute, in a ring of per-second buckets. */
  private static final class Counts {
    private final long[] second = new long[SECONDS];
    private final long[] rows = new long[SECONDS];
    private long total;
    private Instant last = Instant.EPOCH;

    synchronized void add(Instant at, int written) {
      long s = at.getEpochSecond();
      int i = (int) Math.floorMod(s, (long) SECONDS);
      if (second[i] != s) {
        second[i] = s;
        rows[i] = 0;
      }
      rows[i] += written;
      total += written;
      if (at.isAfter(last)) {
        last = at;
      }
    }

    synchronized Writes writes(Instant now) {
      long s = now.getEpochSecond();
      long recent = 0;
      for (int i = 0; i < SECONDS; i++) {
        if (s - second[i] < SECONDS && second[i] <= s) {
          recent += rows[i];
        }
      }
      return new Writes(last, recent / (double) SECONDS, total);
    }
  }
}
