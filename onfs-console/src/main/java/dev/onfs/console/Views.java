package dev.onfs.console;

import dev.onfs.controlplane.audit.AuditEntry;
import dev.onfs.controlplane.compat.Change;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.users.UserInfo;
import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.StoreConfig;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The data each page template renders; built from control-plane reads, never from anything else. */
public final class Views {
  private Views() {}

  /** A time as the console shows it, in UTC; empty for none. */
  public static String time(java.time.@Nullable Instant at) {
    return Pages.time(at);
  }

  /** A catalog row: one feature group, with the features a search matched. */
  public record CatalogRow(String entity, String group, String dataType, String storeId, String jobId,
      int activeVersion, int features, List<String> matchedFeatures) {}

  public record Catalog(String q, String type, String store, String job, List<String> types, List<String> stores,
      List<String> jobs, List<CatalogRow> rows, int total, int page, int pages, int entities) {
    /** The query string of another page of these results. */
    public String pageQuery(int p) {
      return Console.query("q", q, "type", type, "store", store, "job", job, "page", Integer.toString(p));
    }
  }

  public record FeatureRow(String label, String defaultValue, int stringLength, int vectorLength, String source) {}

  public record VersionRow(int version, int count, String labels, boolean active) {}

  public record HistoryRow(long id, String kind, String requester, String reviewer, String at, String outcome) {}

  public record Group(String entity, List<String> keyLabels, CacheConfig entityDistributedCache,
      CacheConfig entityInMemoryCache, String group, int id, String dataType, long ttlInSeconds,
      boolean inMemoryCacheEnabled, boolean distributedCacheEnabled, int layoutVersion, int activeVersion,
      String storeId, @Nullable StoreConfig store, String jobId, List<String> readers, List<FeatureRow> features,
      List<VersionRow> versions, List<HistoryRow> history, Freshness.@Nullable Writes writes, String key,
      @Nullable List<Map.Entry<String, String>> sample, @Nullable String sampleError) {}

  public record StoreRow(StoreConfig store, List<String> groups) {}

  public record Stores(List<StoreRow> stores) {}

  public record CallerRow(String id, String scopes, List<String> groups) {}

  public record Callers(List<CallerRow> jobs, List<CallerRow> clients, String kind, String id) {}

  public record RequestRow(long id, String kind, String target, String requester, String status, String submittedAt,
      String reviewer, String reason) {}

  public record Requests(String scope, String status, List<RequestRow> rows) {}

  public record DiffRow(String field, String current, String proposed, boolean changed) {}

  public record Plan(String changeClass, List<Change> changes, List<String> warnings, String outcome) {}

  public record Request(ChangeRequest request, String target, String payload, @Nullable Plan plan,
      @Nullable String planNote, List<DiffRow> diff, boolean canReview, boolean canWithdraw, String submittedAt,
      String reviewedAt) {}

  /** The new feature-group form, with what was entered so far. */
  public record NewGroup(List<String> entities, List<String> types, List<String> stores, List<String> jobs,
      Map<String, String> values) {
    public String value(String field) {
      return values.getOrDefault(field, "");
    }
  }

  public record Token(long requestId, String caller, String token) {}

  public record Users(List<UserInfo> users, List<String> roles) {}

  public record Audit(List<AuditEntry> entries, long after, long next, boolean more) {}

  /** A node of the lineage picture, placed in its column. */
  public record Node(String id, String label, String kind, int x, int y, int width, @Nullable String href) {
    public int cx() {
      return x + width;
    }

    public int cy() {
      return y + 12;
    }
  }

  public record Edge(Node from, Node to) {
    /** The SVG path of the edge: a curve from the right side of {@code from} to the left of {@code to}. */
    public String path() {
      int x1 = from.x() + from.width();
      int y1 = from.cy();
      int x2 = to.x();
      int y2 = to.cy();
      int mid = (x1 + x2) / 2;
      return "M" + x1 + " " + y1 + " C" + mid + " " + y1 + " " + mid + " " + y2 + " " + x2 + " " + y2;
    }
  }

  public record Lineage(String q, List<Node> nodes, List<Edge> edges, int width, int height, int groups) {}
}
