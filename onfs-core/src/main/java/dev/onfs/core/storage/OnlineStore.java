package dev.onfs.core.storage;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A store of encoded feature-group blocks, keyed by entity key and feature group. Thread-safe.
 *
 * <p>Contract (checked by the contract suite every adapter runs):
 * <ul>
 *   <li>{@link #read} returns, for every requested key and feature group, the block last written, or
 *       missing when none was written, it was deleted, or its header expiry has passed;
 *   <li>{@link #write} replaces the blocks of the feature groups it carries and keeps the entity's other
 *       feature groups; the store's expiry of an entity follows the longest block expiry it holds;
 *   <li>a failed call throws {@link dev.onfs.core.OnfsException}: transient ({@code STORE_UNAVAILABLE},
 *       {@code STORE_TIMEOUT}) when retrying later may work, {@code STORE_REJECTED} when it will not;
 *       after a failed write some rows may be written and others not, but every block read back is one
 *       that was written whole;
 *   <li>when {@link StoreCapabilities#conditionalWrite()} is declared, {@link #writeIfUnchanged} writes a
 *       row only while the store still holds the blocks the row expects, comparing and writing in one
 *       atomic step, and reports the blocks it found for every row it did not write.
 * </ul>
 *
 * <p>The async variants default to running the blocking call on the calling thread; adapters whose
 * drivers are asynchronous override them. Async failures complete the stage with the same
 * {@link dev.onfs.core.OnfsException}s.
 */
public interface OnlineStore extends AutoCloseable {

  /** The adapter's name, as its {@link StoreFactory#name()}. */
  String name();

  StoreCapabilities capabilities();

  /**
   * The room this store frames a row's blocks with, so that writers can lay the blocks out with it and
   * the store can fill it in place instead of copying every block (see {@link BlockFraming}). {@link
   * BlockFraming#NONE} by default; rows laid out otherwise must still be accepted.
   */
  default BlockFraming blockFraming() {
    return BlockFraming.NONE;
  }

  /**
   * Reads the blocks of {@code featureGroups} for every key in one batch.
   *
   * @param keys entity keys, one value per primary-key column of {@code table}; duplicates allowed
   * @param featureGroups the feature groups to read; columns must be given for column stores
   */
  ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups);

  /**
   * Writes one block per feature group for every row, leaving other feature groups of those entities as
   * they were.
   *
   * @param featureGroups the feature groups written, in the order of each row's blocks
   */
  void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows);

  /** Deletes all blocks of the given entities; deleting a missing entity is not an error. */
  void delete(StoreTable table, List<EntityKey> keys);

  /**
   * Checks that the store answers: one cheap round trip to every server a read may need, bounded by the
   * adapter's configured timeouts, reading no data. Readiness probes call it. The default suits stores
   * that live in the process and are always there.
   *
   * @throws dev.onfs.core.OnfsException {@code STORE_UNAVAILABLE} or {@code STORE_TIMEOUT} when the store
   *     cannot be reached or does not answer in time, {@code STORE_REJECTED} when it refuses the client
   *     (credentials, for one)
   */
  default void ping() {}

  /**
   * Compare-and-set per row: writes a row's blocks (as {@link #write} would, other feature groups kept)
   * only if, for every feature group of the call, the store holds exactly the row's expected block, or no
   * block when the expectation is null. Comparison and write happen in one atomic step per row, so a
   * concurrent write of the same entity either lands before the comparison (and the row conflicts) or
   * after the row's write. "Holds" means the stored bytes, an expired block included: a block that
   * {@link #read} reports as missing because it expired makes an expectation of null conflict, and the
   * conflict reports the expired bytes for the retry to expect. Rows are independent: some may be
   * written and others conflict; each key appears at most once per call.
   *
   * <p>Supported when {@link StoreCapabilities#conditionalWrite()} says so; the default refuses with
   * {@link ErrorCode#STORE_REJECTED}.
   *
   * @param featureGroups the feature groups written and compared, in the order of each row's blocks
   * @return the rows not written, in ascending row order, each with the blocks the store held
   */
  default List<WriteConflict> writeIfUnchanged(
      StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
    throw new OnfsException(
        ErrorCode.STORE_REJECTED, "store '" + name() + "' does not support conditional writes");
  }

  default CompletionStage<ReadResult> readAsync(
      StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    try {
      return CompletableFuture.completedFuture(read(table, keys, featureGroups));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  default CompletionStage<Void> writeAsync(
      StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    try {
      write(table, featureGroups, rows);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  default CompletionStage<Void> deleteAsync(StoreTable table, List<EntityKey> keys) {
    try {
      delete(table, keys);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The DDL this store needs before feature groups can be written to it (column stores), or empty
   * when it needs none (key-value stores).
   */
  default Optional<SchemaManager> schemaManager() {
    return Optional.empty();
  }

  /** Releases connections and threads; idempotent. */
  @Override
  void close();
}
