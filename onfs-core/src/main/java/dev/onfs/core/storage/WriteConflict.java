package dev.onfs.core.storage;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A row that a {@link OnlineStore#writeIfUnchanged conditional write} left unwritten because the store
 * held other blocks than the row expected.
 *
 * @param row the row's index in the call's row list
 * @param current per feature group of the call: the exact bytes the store held when it compared (an
 *     expired block included), or null when it held none; a retry passes these as its expectation
 */
public record WriteConflict(int row, List<@Nullable ByteRange> current) {
  public WriteConflict {
    requireNonNull(current, "current is null");
    current = Collections.unmodifiableList(new ArrayList<>(current));
  }
}
