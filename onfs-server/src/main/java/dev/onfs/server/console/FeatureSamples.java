package dev.onfs.server.console;

import static java.util.Objects.requireNonNull;

import dev.onfs.console.SampleReads;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.RetrieveQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's sample read: one key of one feature group through the feature store's retrieve, the
 * path gRPC callers take (limits, near cache, defaults for missing or expired blocks), rendered as
 * the reference's text. The console asks the control plane whether the user may read first.
 */
public final class FeatureSamples implements SampleReads {
  private final OnlineFeatureStore features;
  private final FeatureRegistry registry;

  public FeatureSamples(OnlineFeatureStore features, FeatureRegistry registry) {
    this.features = requireNonNull(features, "features is null");
    this.registry = requireNonNull(registry, "registry is null");
  }

  @Override
  public Map<String, String> read(String entity, String group, List<String> keyValues) {
    Entity e = registry.snapshot().entity(entity);
    FeatureGroup g = e == null ? null : e.featureGroup(group);
    if (e == null || g == null) {
      // Approved but not yet loaded by this server's registry (it reloads within seconds).
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "this server does not serve feature group '" + group
          + "' of entity '" + entity + "' yet");
    }
    List<String> labels = g.activeFeatures().labels();
    DecodedResult result = features.retrieveDecoded(new RetrieveQuery(entity,
        List.of(new RetrieveQuery.FeatureGroup(group, labels)), e.keyLabels(), List.of(new RetrieveQuery.Keys(keyValues))));
    List<String> columns = result.rows().get(0).columns();
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < labels.size() && i < columns.size(); i++) {
      values.put(labels.get(i), columns.get(i));
    }
    return values;
  }
}
