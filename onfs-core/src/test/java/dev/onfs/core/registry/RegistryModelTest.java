package dev.onfs.core.registry;

import static dev.onfs.core.registry.testing.WorkedExample.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.testing.WorkedExample;
import dev.onfs.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryModelTest {
  @Test
  void lookupsOnTheWorkedExample() {
    RegistrySnapshot snapshot = WorkedExample.snapshot();
    Entity user = snapshot.entity("user");
    assertThat(user).isNotNull();
    assertThat(user.keyLabels()).containsExactly("user_id");
    assertThat(user.keyIndex("user_id")).isZero();
    assertThat(user.keyIndex("nope")).isEqualTo(-1);
    assertThat(snapshot.featureGroup("user", "user_stats")).isSameAs(user.featureGroup(0));
    assertThat(snapshot.featureGroup("user", 1)).isSameAs(user.featureGroup("user_embedding"));
    assertThat(snapshot.featureGroup("user", 2)).isNull();
    assertThat(snapshot.featureGroup("user", 5000)).isNull();
    assertThat(snapshot.featureGroup("item", 0)).isNull();
    assertThat(snapshot.reader("ranker").token()).isEqualTo("rtok");
    assertThat(snapshot.reader("nobody")).isNull();
    assertThat(snapshot.writer("user_daily_job").token()).isEqualTo("jtok");

    FeatureGroup stats = snapshot.featureGroup("user", "user_stats");
    FeatureVersion active = stats.activeFeatures();
    assertThat(active.labels()).containsExactly("ctr", "orders_30d");
    assertThat(active.indexOf("orders_30d")).isEqualTo(1);
    assertThat(active.indexOf("missing")).isEqualTo(-1);
    assertThat(active.defaultValue(1)).isEqualTo(b64("AAAAAA=="));
    assertThat(stats.version(1)).isSameAs(active);
    assertThat(stats.version(2)).isNull();
    assertThat(stats.version(-1)).isNull();

    FeatureVersion emb = snapshot.featureGroup("user", "user_embedding").activeFeatures();
    assertThat(emb.vectorLengths()).containsExactly(8);
    assertThat(emb.stringLengths()).containsExactly(0);
    assertThat(emb.defaultValue(0)).hasSize(16);
  }

  @Test
  void equalityIgnoresRevisionAndToBuilderRoundTrips() {
    RegistrySnapshot snapshot = WorkedExample.snapshot();
    assertThat(snapshot.toBuilder().revision(42).build()).isEqualTo(snapshot);
    assertThat(WorkedExample.afterAddingAov()).isNotEqualTo(snapshot);
    FeatureGroup stats = WorkedExample.afterAddingAov().featureGroup("user", "user_stats");
    assertThat(stats.activeVersion()).isEqualTo(2);
    assertThat(stats.versions().keySet()).containsExactly(1, 2);
    assertThat(stats.columns()).containsExactly(new Column("seg_0", 21));
  }

  @Test
  void columnsSortAsStringsLikeTheReference() {
    FeatureGroup group = WorkedExample.userStats().toBuilder().column("seg_2", 1).column("seg_10", 1).build();
    assertThat(group.columnLabels()).containsExactly("seg_0", "seg_10", "seg_2");
  }

  @Test
  void labelGrammar() {
    for (String bad : List.of("a,b", "a|b", "a/b", "a b", "a\tb", "")) {
      assertThatThrownBy(() -> Entity.builder(bad))
          .isInstanceOf(OnfsException.class)
          .hasMessageContaining("entity label");
      assertThatThrownBy(() -> FeatureVersion.builder(1).feature(bad, new byte[4]))
          .hasMessageContaining("feature label");
    }
    assertThatThrownBy(() -> Entity.builder("a,b")).hasMessageContaining("'a,b' contains ','");
    assertThatThrownBy(() -> new EntityKey(0, "user id", "user_id")).hasMessageContaining("key entity-label 'user id'");
    assertThatThrownBy(() -> RegistrySnapshot.builder().readerToken("a/b", "t")).hasMessageContaining("reader id 'a/b'");
  }

  @Test
  void entityNeedsKeysWithContiguousSequences() {
    assertThatThrownBy(() -> Entity.builder("user").build())
        .hasMessage("entity 'user' has no keys (an entity needs at least one)")
        .extracting(e -> ((OnfsException) e).code()).isEqualTo(ErrorCode.INVALID_REGISTRY);
    assertThatThrownBy(() -> Entity.builder("user").key(new EntityKey(1, "a", "a")).build())
        .hasMessageContaining("key 'a' has sequence 1, expected 0");
    assertThatThrownBy(() -> Entity.builder("user").key("a", "x").key("a", "y").build())
        .hasMessageContaining("key entity-label 'a' appears twice");
  }

  @Test
  void featureGroupIdsAreUniquePerEntity() {
    FeatureGroup clash = WorkedExample.userEmbedding().toBuilder().id(0).build();
    assertThatThrownBy(() -> Entity.builder("user").key("user_id", "user_id")
            .featureGroup(WorkedExample.userStats()).featureGroup(clash).build())
        .hasMessageContaining("have the same id 0");
  }

  @Test
  void activeVersionMustExist() {
    assertThatThrownBy(() -> WorkedExample.userStats().toBuilder().activeVersion(3).build())
        .hasMessage("feature group 'user_stats' active-version 3 has no features/3 (versions present: [1])");
  }

  @Test
  void missingFieldsAreNamed() {
    assertThatThrownBy(() -> FeatureGroup.builder("g").dataType(DataType.FP32).storeId("1").activeVersion(1).build())
        .hasMessage("feature group 'g' id is missing");
    assertThatThrownBy(() -> FeatureGroup.builder("g").id(0).storeId("1").activeVersion(1).build())
        .hasMessage("feature group 'g' data-type is missing");
    assertThatThrownBy(() -> FeatureGroup.builder("g").dataType(DataType.UNKNOWN))
        .hasMessageContaining("DataTypeUnknown");
    assertThatThrownBy(() -> FeatureGroup.builder("g").layoutVersion(2))
        .hasMessageContaining("layout-version is 2, only 1 is supported");
  }

  @Test
  void defaultsMustFitTheDataType() {
    assertThatThrownBy(() -> WorkedExample.userStats().toBuilder()
            .version(FeatureVersion.builder(1).feature("ctr", new byte[3]).build()).build())
        .hasMessage("feature group 'user_stats' version 1 feature 'ctr': default-value has 3 bytes, DataTypeFP32 needs 4");
    assertThatThrownBy(() -> WorkedExample.userEmbedding().toBuilder()
            .version(FeatureVersion.builder(1).feature("emb", new byte[0], 0, 0).build()).build())
        .hasMessageContaining("feature 'emb': vector-length is 0, DataTypeFP16Vector needs at least 1");
    assertThatThrownBy(() -> FeatureVersion.builder(1).feature("s", new byte[0], 70000, 0))
        .hasMessageContaining("feature 's' string-length is 70000, must be between 0 and 65535");
  }

  @Test
  void versionSequencesRunWithoutGaps() {
    List<Feature> features = new ArrayList<>();
    features.add(new Feature("a", 0, new byte[4], 0, 0));
    features.add(new Feature("b", 2, new byte[4], 0, 0));
    assertThatThrownBy(() -> FeatureVersion.of(1, features))
        .hasMessageContaining("version 1: feature 'b' has sequence 2, expected 1");
    features.set(1, new Feature("a", 1, new byte[4], 0, 0));
    assertThatThrownBy(() -> FeatureVersion.of(1, features))
        .hasMessageContaining("feature label 'a' appears twice");
  }

  @Test
  void storeMustExistAndMatchEntityKeys() {
    assertThatThrownBy(() -> WorkedExample.snapshot().toBuilder()
            .entity(WorkedExample.user().toBuilder()
                .featureGroup(WorkedExample.userStats().toBuilder().storeId("9").build()).build())
            .build())
        .hasMessage("entity 'user' feature group 'user_stats' store-id 9 does not exist (stores: [1])");
    assertThatThrownBy(() -> WorkedExample.snapshot().toBuilder()
            .store(StoreConfig.of("1", "scylla", 1, "user_features", List.of("uid"), 0))
            .build())
        .hasMessageContaining("store 1 primary-keys [uid] differ from the entity's key column-labels [user_id]");
    assertThatThrownBy(() -> StoreConfig.of("1", "scylla", 1, "t", List.of("a", "a"), 0))
        .hasMessageContaining("store '1' primary-keys [a, a] contain a duplicate");
  }

  @Test
  void inMemoryRegistrySwapsAndNotifies() {
    List<String> events = new ArrayList<>();
    try (InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(WorkedExample.snapshot())) {
      registry.addListener(new RegistryListener() {
        @Override
        public void onChange(RegistrySnapshot previous, RegistrySnapshot current) {
          events.add("change to v" + current.featureGroup("user", "user_stats").activeVersion());
        }

        @Override
        public void onRejected(OnfsException error) {
          events.add("rejected: " + error.getMessage());
        }
      });
      registry.update(WorkedExample.snapshot());
      registry.update(WorkedExample.afterAddingAov());
      registry.reject(new OnfsException(ErrorCode.INVALID_REGISTRY, "bad"));
      assertThat(registry.featureGroup("user", "user_stats").activeVersion()).isEqualTo(2);
      assertThat(registry.reader("test").token()).isEqualTo("test");
    }
    assertThat(events).containsExactly("change to v2", "rejected: bad");
  }
}
