package dev.onfs.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.testing.WorkedExample;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The per-request lookups must not allocate: the serving path calls them for every row. */
class LookupAllocationTest {
  @Test
  void snapshotLookupsAllocateNothing() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    RegistrySnapshot snapshot = WorkedExample.afterAddingAov();
    // Labels as a request would carry them: equal to, not the same instance as, the registry's.
    String entity = new String("user");
    String group = new String("user_stats");
    String feature = new String("aov");
    String caller = new String("ranker");
    long sink = 0;
    for (int i = 0; i < 20_000; i++) {
      sink += lookups(snapshot, entity, group, feature, caller);
    }
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    for (int i = 0; i < 100_000; i++) {
      sink += lookups(snapshot, entity, group, feature, caller);
    }
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertThat(sink).isPositive();
    // 100k rounds of 8 lookups; a single boxed Integer per round would be 1.6 MB.
    assertThat(allocated).as("bytes allocated by 800k lookups").isLessThan(64 * 1024);
  }

  private static long lookups(RegistrySnapshot snapshot, String entityLabel, String groupLabel, String featureLabel,
      String caller) {
    Entity entity = snapshot.entity(entityLabel);
    FeatureGroup byLabel = snapshot.featureGroup(entityLabel, groupLabel);
    FeatureGroup byId = entity.featureGroup(byLabel.id());
    FeatureVersion version = byId.version(1);
    FeatureVersion active = byLabel.activeFeatures();
    int index = active.indexOf(featureLabel);
    return index + version.size() + active.vectorLengths().length + active.defaultValue(index).length
        + snapshot.reader(caller).token().length() + entity.keyIndex("user_id");
  }
}
