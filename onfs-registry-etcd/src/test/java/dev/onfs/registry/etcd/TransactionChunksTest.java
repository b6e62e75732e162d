package dev.onfs.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransactionChunksTest {
  private static final String FG = "/config/onfs/entities/user/feature-groups/g";

  @Test
  void smallUnitsAreOneTransaction() {
    Map<String, String> unit = Map.of(FG + "/active-version", "2", FG + "/features/2/labels", "a");
    assertThat(EtcdRegistryClient.chunks(unit)).containsExactly(unit);
  }

  @Test
  void largeIndependentUnitsAreSplitAnywhere() {
    Map<String, String> stores = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      stores.put("/config/onfs/storage/stores/" + i, "{}");
    }
    List<Map<String, String>> chunks = EtcdRegistryClient.chunks(stores);
    assertThat(chunks).extracting(Map::size).containsExactly(128, 128, 44);
  }

  @Test
  void largeGroupsWriteInactiveVersionsFirstAndActivateLast() {
    Map<String, String> unit = new LinkedHashMap<>();
    unit.put(FG + "/active-version", "60");
    for (int v = 1; v <= 60; v++) {
      unit.put(FG + "/features/" + v + "/labels", "a");
      unit.put(FG + "/features/" + v + "/feature-meta", "{}");
      unit.put(FG + "/features/" + v + "/default-values", "0");
    }
    List<Map<String, String>> chunks = EtcdRegistryClient.chunks(unit);
    Map<String, String> last = chunks.get(chunks.size() - 1);
    assertThat(last).containsOnlyKeys(FG + "/active-version", FG + "/features/60/labels", FG + "/features/60/feature-meta",
        FG + "/features/60/default-values");
    assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.keySet()).noneMatch(k -> k.contains("/features/60/")));
    assertThat(chunks.stream().mapToInt(Map::size).sum()).isEqualTo(unit.size());

    Map<String, String> tooBig = new LinkedHashMap<>();
    tooBig.put(FG + "/active-version", "1");
    for (int c = 0; c < 200; c++) {
      tooBig.put(FG + "/columns/seg_" + c + "/label", "seg_" + c);
    }
    assertThatThrownBy(() -> EtcdRegistryClient.chunks(tooBig)).hasMessageContaining("more than etcd's default limit of 128");
  }
}
