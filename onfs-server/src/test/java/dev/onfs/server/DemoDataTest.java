package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.serving.PersistQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoDataTest {
  @Test
  void bundledRegistryHasTheUserEntityAndADemoReader() {
    RegistrySnapshot registry = DemoData.registry();
    Entity user = registry.entity("user");
    assertThat(user).isNotNull();
    assertThat(user.keyLabels()).containsExactly("user_id");
    assertThat(user.featureGroups()).containsKeys("user_stats", "user_profile", "user_flags");
    assertThat(registry.reader("test").token()).isEqualTo("test");
  }

  @Test
  void sampleRowsCoverEveryFeatureGroupWithOneValueOrVectorPerFeature() {
    RegistrySnapshot registry = DemoData.registry();
    List<PersistQuery> queries = DemoData.sampleRows(registry);
    PersistQuery user = queries.stream().filter(q -> q.entityLabel().equals("user")).findFirst().orElseThrow();
    assertThat(user.featureGroupSchema()).hasSize(registry.entity("user").featureGroups().size());
    assertThat(user.data()).hasSize(DemoData.SAMPLE_KEYS);
    for (PersistQuery.Data row : user.data()) {
      for (int g = 0; g < user.featureGroupSchema().size(); g++) {
        var values = row.featureValues().get(g);
        int features = user.featureGroupSchema().get(g).featureLabels().size();
        int count = values.fp32Values().size() + values.fp64Values().size() + values.int32Values().size()
            + values.int64Values().size() + values.uint32Values().size() + values.uint64Values().size()
            + values.stringValues().size() + values.boolValues().size() + values.vectors().size();
        assertThat(count).as(user.featureGroupSchema().get(g).label()).isEqualTo(features);
      }
    }
  }
}
