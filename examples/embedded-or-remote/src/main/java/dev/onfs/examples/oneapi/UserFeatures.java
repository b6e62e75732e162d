package dev.onfs.examples.oneapi;

import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.serving.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The application code: written once against {@link OnlineFeatureStore}, it does not know whether the
 * store is embedded or a client of a server.
 */
public final class UserFeatures {
  private UserFeatures() {}

  static final RetrieveQuery QUERY = new RetrieveQuery(
      "user",
      List.of(
          new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr")),
          new RetrieveQuery.FeatureGroup("user_orders", List.of("orders_30d")),
          new RetrieveQuery.FeatureGroup("user_profile", List.of("city")),
          new RetrieveQuery.FeatureGroup("user_flags", List.of("is_premium")),
          new RetrieveQuery.FeatureGroup("user_embedding", List.of("emb"))),
      List.of("user_id"),
      List.of(RetrieveQuery.Keys.of("42"), RetrieveQuery.Keys.of("7")));

  /**
   * Writes user 42's features, reads users 42 and 7 (never written) back as Java values, and asks for a
   * feature that does not exist; returns one line per finding.
   */
  public static List<String> writeAndRead(OnlineFeatureStore onfs) {
    onfs.persist(new PersistQuery(
        "user",
        List.of("user_id"),
        List.of(
            new PersistQuery.FeatureGroupSchema("user_stats", List.of("ctr")),
            new PersistQuery.FeatureGroupSchema("user_orders", List.of("orders_30d")),
            new PersistQuery.FeatureGroupSchema("user_profile", List.of("city")),
            new PersistQuery.FeatureGroupSchema("user_flags", List.of("is_premium")),
            new PersistQuery.FeatureGroupSchema("user_embedding", List.of("emb"))),
        List.of(new PersistQuery.Data(
            List.of("42"),
            List.of(
                Values.fp32(0.125),
                Values.int64(17),
                Values.strings("Pune"),
                Values.bools(true),
                Values.vectors(Values.fp32(0.5, -1, 2, 0)))))));

    List<String> lines = new ArrayList<>();
    RetrieveResult result = onfs.retrieve(QUERY);
    for (RetrieveResult.Row row : result.rows()) {
      // Column indexes follow the query: ctr, orders_30d, city, is_premium, emb.
      lines.add("user " + row.keys().get(0)
          + ": ctr=" + row.getFloat(0) + mark(row, 0)
          + " orders_30d=" + row.getLong(1) + mark(row, 1)
          + " city=" + row.getString(2) + mark(row, 2)
          + " premium=" + row.getBoolean(3) + mark(row, 3)
          + " emb=" + Arrays.toString(row.getFloatArray(4)) + mark(row, 4));
    }
    try {
      result.rows().get(0).getLong(0);
    } catch (OnfsException e) {
      lines.add("getLong on ctr: " + e.code());
    }
    try {
      onfs.retrieve(new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("clicks"))),
          List.of("user_id"), List.of(RetrieveQuery.Keys.of("42"))));
    } catch (OnfsException e) {
      lines.add("unknown feature: " + e.code());
    }
    return lines;
  }

  /** Marks a value that is the registry default, not a stored one. */
  private static String mark(RetrieveResult.Row row, int column) {
    return row.isDefault(column) ? " (default)" : "";
  }
}
