package dev.onfs.server;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.Feature;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.core.types.DataType;
import dev.onfs.registry.file.RegistryFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The bundled demo registry and deterministic sample rows for every feature group in it. */
final class DemoData {
  static final String REGISTRY_RESOURCE = "/dev/onfs/server/demo/demo-registry.yaml";
  /** Keys that get sample rows: user ids 1 to 5 (and key columns of other entities alike). */
  static final int SAMPLE_KEYS = 5;

  private static final String[] CITIES = {"Bengaluru", "Mumbai", "Delhi", "Jaipur", "Kolkata"};
  private static final String[] SEGMENTS = {"new", "loyal", "premium", "churn_risk", "dormant"};

  private DemoData() {}

  static RegistrySnapshot registry() {
    try (InputStream in = DemoData.class.getResourceAsStream(REGISTRY_RESOURCE)) {
      if (in == null) {
        throw new OnfsException(ErrorCode.INTERNAL, "the demo registry " + REGISTRY_RESOURCE + " is not bundled");
      }
      return RegistryFiles.parse("demo-registry.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new OnfsException(ErrorCode.INTERNAL, "cannot read the demo registry: " + e.getMessage(), e);
    }
  }

  /** One write per entity covering all its feature groups' active features for keys 1..5. */
  static List<PersistQuery> sampleRows(RegistrySnapshot registry) {
    List<PersistQuery> queries = new ArrayList<>();
    for (Entity entity : registry.entities().values()) {
      List<PersistQuery.FeatureGroupSchema> schema = new ArrayList<>();
      List<FeatureGroup> groups = new ArrayList<>(entity.featureGroups().values());
      for (FeatureGroup group : groups) {
        schema.add(new PersistQuery.FeatureGroupSchema(group.label(), group.activeFeatures().labels()));
      }
      List<PersistQuery.Data> rows = new ArrayList<>();
      for (int key = 1; key <= SAMPLE_KEYS; key++) {
        List<String> keyValues = new ArrayList<>();
        for (int column = 0; column < entity.keyLabels().size(); column++) {
          keyValues.add(Integer.toString(key));
        }
        List<Values> values = new ArrayList<>();
        for (FeatureGroup group : groups) {
          values.add(values(group.dataType(), group.activeFeatures(), key));
        }
        rows.add(new PersistQuery.Data(keyValues, values));
      }
      queries.add(new PersistQuery(entity.label(), entity.keyLabels(), schema, rows));
    }
    return queries;
  }

  static Values values(DataType type, FeatureVersion features, int key) {
    int n = features.size();
    if (type.isVector()) {
      Values[] vectors = new Values[n];
      for (int i = 0; i < n; i++) {
        Feature feature = features.feature(i);
        int length = Math.max(1, feature.vectorLength());
        vectors[i] = scalars(type.scalar(), length, key, i, feature.stringLength(), features);
      }
      return Values.vectors(vectors);
    }
    return scalars(type, n, key, 0, -1, features);
  }

  /** {@code count} values of a scalar type; small numbers that every float width holds exactly. */
  // stringLength: the vector's element limit, or -1 for scalars (each feature's own limit applies)
  private static Values scalars(DataType type, int count, int key, int vectorIndex, int stringLength,
      FeatureVersion features) {
    switch (type) {
      case FP8E5M2: case FP8E4M3: case FP16: case FP32: case FP64: {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
          out[i] = 0.5 * (key + i + vectorIndex);
        }
        return type == DataType.FP64 ? Values.fp64(out) : Values.fp32(out);
      }
      case INT8: case INT16: case INT32: {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
          out[i] = (i % 2 == 0 ? 1 : -1) * (key * 10 + i + vectorIndex);
        }
        return Values.int32(out);
      }
      case INT64: {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
          out[i] = key * 1000L + i + vectorIndex;
        }
        return Values.int64(out);
      }
      case UINT8: case UINT16: case UINT32: {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
          out[i] = key * 10 + i + vectorIndex;
        }
        return Values.uint32(out);
      }
      case UINT64: {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
          out[i] = key * 1000L + i + vectorIndex;
        }
        return Values.uint64(out);
      }
      case BOOL: {
        boolean[] out = new boolean[count];
        for (int i = 0; i < count; i++) {
          out[i] = (key + i + vectorIndex) % 2 == 1;
        }
        return Values.bools(out);
      }
      case STRING: {
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
          int limit = stringLength >= 0 ? stringLength : features.stringLength(i);
          String text = text(key, i + vectorIndex);
          out[i] = limit > 0 && text.length() > limit ? text.substring(0, limit) : text;
        }
        return Values.strings(out);
      }
      default:
        throw new IllegalArgumentException("no sample values for " + type);
    }
  }

  private static String text(int key, int index) {
    String[] pool = index % 2 == 0 ? CITIES : SEGMENTS;
    return pool[(key - 1 + index / 2) % pool.length];
  }
}
