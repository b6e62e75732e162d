package dev.onfs.server.metrics;

import dev.onfs.storage.redis.DistributedCacheStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The distributed cache tier's counters: keys answered from the cache ({@code result=hit}), keys read from
 * the database for a cached group ({@code result=miss}), and failed cache calls, after which reads fell back
 * to the database and writes failed.
 */
public final class DistributedCacheMeters {
  private DistributedCacheMeters() {}

  /** Exports {@code tier}'s counters on {@code meters}. */
  public static void bindTo(MeterRegistry meters, DistributedCacheStore tier) {
    FunctionCounter.builder("onfs.distributed.cache.requests", tier, DistributedCacheStore::hits)
        .tag("result", "hit")
        .description("Keys of cached feature groups answered by the distributed cache")
        .register(meters);
    FunctionCounter.builder("onfs.distributed.cache.requests", tier, DistributedCacheStore::misses)
        .tag("result", "miss")
        .description("Keys of cached feature groups read from the database (cache misses and reads while the cache failed)")
        .register(meters);
    FunctionCounter.builder("onfs.distributed.cache.failures", tier, DistributedCacheStore::failures)
        .description("Distributed cache calls that failed")
        .register(meters);
  }
}
