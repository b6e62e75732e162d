package dev.onfs.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.luben.zstd.Zstd;
import dev.onfs.core.serving.OnlineFeatureStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/** No two packages of the core depend on each other, directly or through others (read by jdeps). */
class PackageCyclesTest {
  @Test
  void theCorePackagesFormNoCycle() {
    Map<String, Set<String>> dependencies = packageDependencies();
    // the graph was read: a dependency every build has is in it
    assertThat(dependencies.get("dev.onfs.core.serving")).contains("dev.onfs.core.registry");

    List<String> cycles = new ArrayList<>();
    for (String from : dependencies.keySet()) {
      if (reaches(dependencies, from, from, new HashSet<>())) {
        cycles.add(from);
      }
    }

    assertThat(cycles).as("packages on a dependency cycle, with %s", dependencies).isEmpty();
  }

  @Test
  void theErrorModelDependsOnNothingElseInTheCore() {
    assertThat(packageDependencies().getOrDefault("dev.onfs.core", Set.of())).isEmpty();
  }

  private static boolean reaches(Map<String, Set<String>> graph, String from, String target, Set<String> seen) {
    for (String next : graph.getOrDefault(from, Set.of())) {
      if (next.equals(target) || (seen.add(next) && reaches(graph, next, target, seen))) {
        return true;
      }
    }
    return false;
  }

  /** Package -> the other core packages its classes use, from jdeps over the compiled main classes. */
  private static Map<String, Set<String>> packageDependencies() {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    String modulePath = location(Zstd.class) + java.io.File.pathSeparator + location(Caffeine.class);
    int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out),
        "--multi-release", "17", "--module-path", modulePath, "-verbose:package", "-filter:none",
        location(OnlineFeatureStore.class).toString());
    assertThat(exit).as(out.toString()).isZero();

    Map<String, Set<String>> graph = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      String[] words = line.trim().split("\\s+");
      // "<package> -> <package> <module>"
      if (words.length >= 3 && words[1].equals("->") && words[0].startsWith("dev.onfs.core")) {
        graph.computeIfAbsent(words[0], k -> new TreeSet<>());
        if (words[2].startsWith("dev.onfs.core") && !words[2].equals(words[0])) {
          graph.get(words[0]).add(words[2]);
        }
      }
    }
    return graph;
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
