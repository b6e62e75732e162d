package dev.onfs.console;

import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.Feature;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The catalog's search: a case-insensitive substring of entity, feature-group or feature labels, and
 * filters by data type, store and writer job. Paged, so a large registry renders a page at a time.
 */
final class CatalogSearch {
  static final int PAGE_SIZE = 50;
  /** Matched features listed per group; the rest is on the group's page. */
  private static final int MATCHES_SHOWN = 8;

  private CatalogSearch() {}

  static Views.Catalog search(RegistrySnapshot snapshot, String q, String type, String store, String job, int page) {
    String needle = q.toLowerCase(Locale.ROOT);
    TreeSet<String> types = new TreeSet<>();
    TreeSet<String> jobs = new TreeSet<>(snapshot.writers().keySet());
    List<Views.CatalogRow> matches = new ArrayList<>();
    for (Entity e : snapshot.entities().values()) {
      boolean entityMatches = needle.isEmpty() || contains(e.label(), needle);
      for (FeatureGroup g : e.featureGroups().values()) {
        String dataType = g.dataType().name();
        types.add(dataType);
        jobs.add(g.jobId());
        if ((!type.isEmpty() && !type.equals(dataType)) || (!store.isEmpty() && !store.equals(g.storeId()))
            || (!job.isEmpty() && !job.equals(g.jobId()))) {
          continue;
        }
        List<String> matched = new ArrayList<>();
        if (!needle.isEmpty()) {
          for (Feature f : g.activeFeatures().features()) {
            if (contains(f.label(), needle)) {
              matched.add(f.label());
              if (matched.size() == MATCHES_SHOWN) {
                break;
              }
            }
          }
        }
        if (entityMatches || contains(g.label(), needle) || !matched.isEmpty()) {
          matches.add(new Views.CatalogRow(e.label(), g.label(), dataType, g.storeId(), g.jobId(), g.activeVersion(),
              g.activeFeatures().size(), matched));
        }
      }
    }
    int pages = Math.max(1, (matches.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int current = Math.min(page, pages);
    List<Views.CatalogRow> shown = matches.subList((current - 1) * PAGE_SIZE, Math.min(matches.size(), current * PAGE_SIZE));
    return new Views.Catalog(q, type, store, job, List.copyOf(types), List.copyOf(snapshot.stores().keySet()),
        List.copyOf(jobs), List.copyOf(shown), matches.size(), current, pages, snapshot.entities().size());
  }

  /** Whether {@code label} holds {@code needle} (lower case), ignoring case, without allocating. */
  private static boolean contains(String label, String needle) {
    int n = needle.length();
    for (int i = 0; i + n <= label.length(); i++) {
      if (label.regionMatches(true, i, needle, 0, n)) {
        return true;
      }
    }
    return false;
  }
}
