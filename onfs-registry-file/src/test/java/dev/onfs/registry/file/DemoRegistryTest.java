package dev.onfs.registry.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.types.DataType;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The example registry the demo mode serves must load and cover every data type. */
class DemoRegistryTest {
  static final Path DEMO = Path.of("..", "examples", "registry", "demo-registry.yaml");

  @Test
  void demoRegistryLoadsAndCoversEveryDataType() {
    RegistrySnapshot snapshot = RegistryFiles.load(DEMO);
    Entity user = snapshot.entity("user");
    assertThat(user).isNotNull();
    assertThat(user.keyLabels()).containsExactly("user_id");
    Set<DataType> types = EnumSet.noneOf(DataType.class);
    for (FeatureGroup group : user.featureGroups().values()) {
      types.add(group.dataType());
      assertThat(group.columns()).as(group.label() + " columns").isNotEmpty();
    }
    assertThat(types).containsAll(EnumSet.complementOf(EnumSet.of(DataType.UNKNOWN)));

    FeatureGroup stats = user.featureGroup("user_stats");
    assertThat(stats.activeVersion()).isEqualTo(2);
    assertThat(stats.version(1).labels()).containsExactly("ctr", "orders_30d");
    assertThat(stats.columns()).extracting(c -> c.label() + "=" + c.currentSizeInBytes()).containsExactly("seg_0=21");
    assertThat(user.featureGroup("user_embedding").activeFeatures().vectorLengths()).containsExactly(8);
    assertThat(user.featureGroup("user_flags").activeFeatures().defaultValue(1)).containsExactly(0x80);
    assertThat(user.featureGroup("user_profile").activeFeatures().defaultValue(1)).isEqualTo("unknown".getBytes());
    assertThat(snapshot.reader("test").token()).isEqualTo("test");
    // Export and re-import give the same registry.
    assertThat(RegistryFiles.parse("export.yaml", RegistryFiles.toYaml(snapshot))).isEqualTo(snapshot);
  }
}
