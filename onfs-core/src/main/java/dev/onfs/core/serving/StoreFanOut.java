package dev.onfs.core.serving;

import dev.onfs.core.storage.OnlineStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * How retrieve and persist spread one request over the stores: the request's feature groups grouped by
 * the store holding them, and each store called in slices no larger than its batch limit, each slice
 * timed for the stats.
 */
final class StoreFanOut {
  private StoreFanOut() {}

  /** One store's share of a request: its registry store id and its feature groups' request indexes. */
  record Share(String storeId, int[] groups) {}

  /** Calls the store for the items {@code [from, to)} of a share; returns what it read, if anything. */
  @FunctionalInterface
  interface Slice<R> {
    R call(int from, int to);
  }

  /** Takes in what a slice's call returned, after the call was timed. */
  @FunctionalInterface
  interface SliceResult<R> {
    void accept(R result, int from, int to);
  }

  /** Records one slice's size and duration. */
  @FunctionalInterface
  interface SliceTimer {
    void record(int items, long nanos);
  }

  /**
   * The shares of {@code groupCount} feature groups, each group's store id given by {@code storeIdOf}:
   * stores in the order their first group appears, groups in request order.
   */
  static List<Share> byStore(int groupCount, IntFunction<String> storeIdOf) {
    Map<String, List<Integer>> groupsByStore = new LinkedHashMap<>();
    for (int g = 0; g < groupCount; g++) {
      groupsByStore.computeIfAbsent(storeIdOf.apply(g), s -> new ArrayList<>()).add(g);
    }
    List<Share> shares = new ArrayList<>(groupsByStore.size());
    for (Map.Entry<String, List<Integer>> e : groupsByStore.entrySet()) {
      shares.add(new Share(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).toArray()));
    }
    return shares;
  }

  /**
   * Calls {@code slice} over {@code [0, items)} in order, in slices of at most the store's
   * {@code maxBatchSize}; reports each call's size and duration to {@code timer}, then hands its result
   * to {@code then}.
   */
  static <R> void inBatches(OnlineStore store, int items, Slice<R> slice, SliceTimer timer, SliceResult<R> then) {
    int batch = store.capabilities().maxBatchSize();
    for (int from = 0; from < items; from += batch) {
      int to = Math.min(items, from + batch);
      long start = System.nanoTime();
      R result = slice.call(from, to);
      timer.record(to - from, System.nanoTime() - start);
      then.accept(result, from, to);
    }
  }
}
