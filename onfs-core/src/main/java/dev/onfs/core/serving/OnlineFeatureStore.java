package dev.onfs.core.serving;

import dev.onfs.core.ErrorKind;
import dev.onfs.core.OnfsException;
import java.util.concurrent.CompletableFuture;

/**
 * An embedded feature store: reads and writes features of the entities a registry describes, in a
 * store, with an optional near cache. Thread-safe; build one per process with {@link #builder()} and
 * share it.
 *
 * <p>Every method throws {@link OnfsException} (the async variants complete exceptionally with it):
 * {@link ErrorKind#NOT_FOUND} / {@link ErrorKind#INVALID_REQUEST} for a bad query, naming the field at
 * fault; {@link ErrorKind#TOO_LARGE} for a request over one of its {@link Limits};
 * {@link ErrorKind#UNAVAILABLE} when the store fails transiently.
 */
public interface OnlineFeatureStore extends AutoCloseable {

  /** Reads the requested features of every key row; cells hold stored bytes or registry defaults. */
  RetrieveResult retrieve(RetrieveQuery query);

  /** Like {@link #retrieve} with every cell rendered as the reference's text. */
  DecodedResult retrieveDecoded(RetrieveQuery query);

  /**
   * Validates, encodes and writes the rows in one batch write per store; invalidates near-cached keys.
   * Features of a group the query does not name keep their stored values unless the builder chose
   * {@link PartialPersist#RESET} (see {@link OnlineFeatureStoreBuilder#partialPersist}).
   */
  PersistResult persist(PersistQuery query);

  /** {@link #retrieve} on the store's executor. */
  CompletableFuture<RetrieveResult> retrieveAsync(RetrieveQuery query);

  /** {@link #retrieveDecoded} on the store's executor. */
  CompletableFuture<DecodedResult> retrieveDecodedAsync(RetrieveQuery query);

  /** {@link #persist} on the store's executor. */
  CompletableFuture<PersistResult> persistAsync(PersistQuery query);

  /** The per-request limits this store enforces ({@link OnlineFeatureStoreBuilder#limits}). */
  default Limits limits() {
    return Limits.defaults();
  }

  /** Releases the near cache; does not close the registry or store passed to the builder. */
  @Override
  void close();

  /** Starts building an embedded store. */
  static OnlineFeatureStoreBuilder builder() {
    return new OnlineFeatureStoreBuilder();
  }
}
