package dev.onfs.controlplane.request;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** List copying shared by the payload records: input lists may be null or hold nulls. */
final class Specs {
  private Specs() {}

  static <T> List<T> copy(@Nullable List<T> list) {
    // Not List.copyOf: a null element must survive to be reported with its index by the planner.
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }
}
