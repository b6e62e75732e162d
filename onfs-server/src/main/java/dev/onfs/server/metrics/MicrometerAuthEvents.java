package dev.onfs.server.metrics;

import static java.util.Objects.requireNonNull;

import dev.onfs.grpc.AuthEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts refused calls as {@code onfs.auth.denied} by caller and reason. The caller label is a
 * registered caller id or {@code unknown} (never the raw header), so the series stay bounded by the
 * registry's size.
 */
public final class MicrometerAuthEvents implements AuthEvents {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  public MicrometerAuthEvents(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
  }

  @Override
  public void denied(String caller, String reason) {
    counters.computeIfAbsent(caller + '\0' + reason, k -> Counter.builder("onfs.auth.denied")
        .description("calls refused by caller authentication or authorization")
        .tag("caller", caller).tag("reason", reason).register(registry)).increment();
  }
}
