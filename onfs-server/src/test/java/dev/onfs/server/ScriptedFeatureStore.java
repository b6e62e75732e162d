package dev.onfs.server;

import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.PersistResult;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A feature store whose retrieve answers only when the test says so: lets server tests hold a call in
 * flight (shutdown draining) or fail it with an arbitrary exception.
 */
final class ScriptedFeatureStore implements OnlineFeatureStore {
  final CompletableFuture<RetrieveResult> pending = new CompletableFuture<>();
  final CountDownLatch started = new CountDownLatch(1);
  volatile RuntimeException failWith;

  static RetrieveResult empty(RetrieveQuery query) {
    return new RetrieveResult(query.entityLabel(), query.keysSchema(), List.of(), List.of());
  }

  @Override
  public RetrieveResult retrieve(RetrieveQuery query) {
    return retrieveAsync(query).join();
  }

  @Override
  public DecodedResult retrieveDecoded(RetrieveQuery query) {
    throw new UnsupportedOperationException();
  }

  @Override
  public PersistResult persist(PersistQuery query) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<RetrieveResult> retrieveAsync(RetrieveQuery query) {
    if (failWith != null) {
      throw failWith;
    }
    started.countDown();
    return pending;
  }

  @Override
  public CompletableFuture<DecodedResult> retrieveDecodedAsync(RetrieveQuery query) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException());
  }

  @Override
  public CompletableFuture<PersistResult> persistAsync(PersistQuery query) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException());
  }

  @Override
  public void close() {}
}
