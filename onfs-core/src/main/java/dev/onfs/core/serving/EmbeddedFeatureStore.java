package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.cache.NearCache;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/** The {@link OnlineFeatureStore} the builder makes: stateless services plus an optional near cache. */
final class EmbeddedFeatureStore implements OnlineFeatureStore {
  private final Retriever retriever;
  private final Persister persister;
  private final @Nullable NearCache nearCache;
  private final Executor executor;
  private final Limits limits;

  EmbeddedFeatureStore(
      Retriever retriever, Persister persister, @Nullable NearCache nearCache, Executor executor, Limits limits) {
    this.retriever = retriever;
    this.persister = persister;
    this.nearCache = nearCache;
    this.executor = executor;
    this.limits = limits;
  }

  @Override
  public Limits limits() {
    return limits;
  }

  @Override
  public RetrieveResult retrieve(RetrieveQuery query) {
    return retriever.retrieve(requireNonNull(query, "query is null"));
  }

  @Override
  public DecodedResult retrieveDecoded(RetrieveQuery query) {
    return retriever.retrieveDecoded(requireNonNull(query, "query is null"));
  }

  @Override
  public PersistResult persist(PersistQuery query) {
    return persister.persist(requireNonNull(query, "query is null"));
  }

  @Override
  public CompletableFuture<RetrieveResult> retrieveAsync(RetrieveQuery query) {
    requireNonNull(query, "query is null");
    return CompletableFuture.supplyAsync(() -> retriever.retrieve(query), executor);
  }

  @Override
  public CompletableFuture<DecodedResult> retrieveDecodedAsync(RetrieveQuery query) {
    requireNonNull(query, "query is null");
    return CompletableFuture.supplyAsync(() -> retriever.retrieveDecoded(query), executor);
  }

  @Override
  public CompletableFuture<PersistResult> persistAsync(PersistQuery query) {
    requireNonNull(query, "query is null");
    return CompletableFuture.supplyAsync(() -> persister.persist(query), executor);
  }

  @Override
  public void close() {
    if (nearCache != null) {
      nearCache.invalidateAll();
    }
  }
}
