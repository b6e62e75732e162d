package dev.onfs.console;

import dev.onfs.controlplane.storage.RegistryView;
import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lineage picture: four columns (writer jobs, feature groups, stores, clients) and an edge for
 * each job that writes a group, each group's store, and each client whose scopes allow the group.
 */
final class Lineages {
  /** Groups drawn at most; a search narrows a larger registry. */
  static final int MAX_GROUPS = 150;
  private static final int ROW = 34;
  private static final int TOP = 40;
  private static final int WIDTH = 200;
  private static final int[] COLUMNS = {10, 290, 570, 850};

  private Lineages() {}

  static Views.Lineage of(RegistryView view, String q) {
    RegistrySnapshot snapshot = view.snapshot();
    String needle = q.toLowerCase(Locale.ROOT);
    Map<String, Views.Node> jobs = new LinkedHashMap<>();
    Map<String, Views.Node> stores = new LinkedHashMap<>();
    Map<String, Views.Node> clients = new LinkedHashMap<>();
    List<Views.Node> groups = new ArrayList<>();
    List<Views.Edge> edges = new ArrayList<>();
    int matched = 0;
    for (Entity e : snapshot.entities().values()) {
      for (FeatureGroup g : e.featureGroups().values()) {
        String name = e.label() + "/" + g.label();
        if (!needle.isEmpty() && !name.toLowerCase(Locale.ROOT).contains(needle)
            && !g.jobId().toLowerCase(Locale.ROOT).contains(needle)) {
          continue;
        }
        matched++;
        if (groups.size() == MAX_GROUPS) {
          continue;
        }
        Views.Node group = new Views.Node("g" + groups.size(), name, "group", COLUMNS[1], TOP + groups.size() * ROW, WIDTH,
            Console.PREFIX + "groups/" + Console.segment(e.label()) + "/" + Console.segment(g.label()));
        groups.add(group);
        Views.Node job = jobs.computeIfAbsent(g.jobId(), id -> new Views.Node("j" + jobs.size(), id, "job", COLUMNS[0],
            TOP + jobs.size() * ROW, WIDTH, Console.PREFIX + "callers"));
        Views.Node store = stores.computeIfAbsent(g.storeId(), id -> new Views.Node("s" + stores.size(), "store " + id,
            "store", COLUMNS[2], TOP + stores.size() * ROW, WIDTH, Console.PREFIX + "stores"));
        edges.add(new Views.Edge(job, group));
        edges.add(new Views.Edge(group, store));
        for (Caller reader : snapshot.readers().values()) {
          if (GroupPage.allows(reader.scopes(), e.label(), g.label())) {
            Views.Node client = clients.computeIfAbsent(reader.id(), id -> new Views.Node("c" + clients.size(), id,
                "client", COLUMNS[3], TOP + clients.size() * ROW, WIDTH, Console.PREFIX + "callers"));
            edges.add(new Views.Edge(store, client));
          }
        }
      }
    }
    List<Views.Node> nodes = new ArrayList<>(jobs.values());
    nodes.addAll(groups);
    nodes.addAll(stores.values());
    nodes.addAll(clients.values());
    int rows = Math.max(Math.max(jobs.size(), groups.size()), Math.max(stores.size(), clients.size()));
    // Every group of a store adds the same store-to-client edges: draw each once.
    Map<String, Views.Edge> distinct = new LinkedHashMap<>();
    for (Views.Edge edge : edges) {
      distinct.putIfAbsent(edge.from().id() + ">" + edge.to().id(), edge);
    }
    return new Views.Lineage(q, nodes, List.copyOf(distinct.values()), COLUMNS[3] + WIDTH + 10, TOP + Math.max(1, rows) * ROW + 10, matched);
  }
}
