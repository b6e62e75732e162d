package dev.onfs.core.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.List;

/**
 * The primary-key values of one entity, in the order of {@link StoreTable#primaryKeyColumns()}.
 *
 * @param values one value per primary-key column; never empty
 */
public record EntityKey(List<String> values) {
  public EntityKey {
    requireNonNull(values, "values is null");
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "entity key has no values");
    }
  }

  public static EntityKey of(String... values) {
    return new EntityKey(List.of(values));
  }

  public int size() {
    return values.size();
  }

  public String get(int index) {
    return values.get(index);
  }
}
