package dev.onfs.registry.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The etcd keys of the reference's worked example, verbatim from the specification. */
final class WorkedExampleTree {
  private WorkedExampleTree() {}

  static Map<String, String> load() {
    try (InputStream in = WorkedExampleTree.class.getResourceAsStream("/worked-example-tree.txt")) {
      Map<String, String> keys = new LinkedHashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.trim().split("\\s+", 2);
        keys.put(parts[0], parts[1]);
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Follow-up 1: feature {@code aov} (default 1) added to {@code user_stats} as version 2. */
  static Map<String, String> followUp1() {
    String p = "/config/onfs/entities/user/feature-groups/user_stats";
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(p + "/columns/seg_0/current-size-in-bytes", "21");
    keys.put(p + "/features/2/labels", "ctr,orders_30d,aov");
    keys.put(p + "/features/2/default-values", "0.0,0.0,1");
    keys.put(p + "/features/2/feature-meta", "{\"aov\":{\"sequence\":2,\"default-value\":\"AACAPw==\",\"string-length\":0,"
        + "\"vector-length\":0},\"ctr\":{\"sequence\":0,\"default-value\":\"AAAAAA==\",\"string-length\":0,\"vector-length\":0},"
        + "\"orders_30d\":{\"sequence\":1,\"default-value\":\"AAAAAA==\",\"string-length\":0,\"vector-length\":0}}");
    keys.put(p + "/active-version", "2");
    keys.put("/config/onfs/source/user|user_stats|aov", "TABLE|ds.user_agg|aov_30d|1");
    return keys;
  }
}
