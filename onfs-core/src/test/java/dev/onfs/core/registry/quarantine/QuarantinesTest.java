package dev.onfs.core.registry.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.registry.testing.WorkedExample;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuarantinesTest {
  private static final RegistrySnapshot GOOD = WorkedExample.snapshot();

  /** The worked example as a source would read it with {@code user_stats} broken. */
  private static RegistrySnapshot statsBroken(String reason) {
    return GOOD.toBuilder()
        .entity(WorkedExample.user().toBuilder().removeFeatureGroup("user_stats").build())
        .quarantineFeatureGroup("user", "user_stats", reason)
        .build();
  }

  @Test
  void aGroupThatServedKeepsItsLastGoodDefinition() {
    RegistrySnapshot next = Quarantines.keepLastGood(statsBroken("bad ttl"), GOOD);
    assertThat(next.featureGroup("user", "user_stats")).isEqualTo(WorkedExample.userStats());
    assertThat(next.quarantined()).containsExactly(
        java.util.Map.entry("user/user_stats", "bad ttl" + Quarantines.SERVING_LAST_GOOD));
    // Kept across later changes, without the reason growing.
    assertThat(Quarantines.keepLastGood(statsBroken("bad ttl"), next)).isEqualTo(next);
  }

  @Test
  void aGroupThatNeverServedStaysOut() {
    RegistrySnapshot next = Quarantines.keepLastGood(statsBroken("bad ttl"), RegistrySnapshot.empty());
    assertThat(next.featureGroup("user", "user_stats")).isNull();
    assertThat(next.quarantined()).containsEntry("user/user_stats", "bad ttl");
  }

  @Test
  void aKeptGroupWhoseIdIsNowTakenOrWhoseStoreIsGoneStaysOut() {
    FeatureGroup taker = WorkedExample.userEmbedding().toBuilder().id(0).build();
    RegistrySnapshot idTaken = statsBroken("bad ttl").toBuilder()
        .entity(Entity.builder("user").key("user_id", "user_id").featureGroup(taker).build())
        .build();
    assertThat(Quarantines.keepLastGood(idTaken, GOOD).featureGroup("user", "user_stats")).isNull();

    RegistrySnapshot storeGone = RegistrySnapshot.builder()
        .store(StoreConfig.of("2", "scylla", 1, "t", List.of("user_id"), 0))
        .entity(Entity.builder("user").key("user_id", "user_id").build())
        .quarantineFeatureGroup("user", "user_stats", "bad ttl")
        .build();
    RegistrySnapshot next = Quarantines.keepLastGood(storeGone, GOOD);
    assertThat(next.featureGroup("user", "user_stats")).isNull();
    assertThat(next.quarantineReason("user", "user_stats")).contains("store-id 1 does not exist");
  }

  @Test
  void anEntityThatBreaksKeepsAllOfItsLastGoodDefinition() {
    // The source as read: the broken entity is absent, only its quarantine is recorded.
    RegistrySnapshot broken = RegistrySnapshot.builder()
        .store(GOOD.stores().get("1"))
        .quarantineEntity("user", List.of("user_stats", "user_embedding"), "bad key")
        .build();
    RegistrySnapshot next = Quarantines.keepLastGood(broken, GOOD);
    assertThat(next.entity("user")).isEqualTo(WorkedExample.user());
    assertThat(next.quarantineReason("user")).isEqualTo("bad key" + Quarantines.SERVING_LAST_GOOD);
    assertThat(next.quarantined()).containsOnlyKeys("user/user_embedding", "user/user_stats")
        .allSatisfy((name, reason) -> assertThat(reason).endsWith(Quarantines.SERVING_LAST_GOOD));
  }

  @Test
  void buildQuarantiningLeavesOutGroupsFailingTheCrossChecksWhereBuildFails() {
    RegistrySnapshot.Builder builder = RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "scylla", 1, "t", List.of("user_id"), 0))
        .entity(WorkedExample.user().toBuilder()
            .featureGroup(WorkedExample.userEmbedding().toBuilder().storeId("9").build())
            .build());
    assertThatThrownBy(builder::build).hasMessageContaining("store-id 9 does not exist");
    RegistrySnapshot snapshot = builder.buildQuarantining();
    assertThat(snapshot.featureGroup("user", "user_stats")).isEqualTo(WorkedExample.userStats());
    assertThat(snapshot.featureGroup("user", "user_embedding")).isNull();
    assertThat(snapshot.quarantineReason("user", "user_embedding")).contains("store-id 9 does not exist");
  }

  @Test
  void idClashesListEveryGroupOfTheClash() {
    assertThat(Quarantines.idClashes("user", WorkedExample.user().featureGroups().values())).isEmpty();
    FeatureGroup third = FeatureGroup.builder("third").id(1).storeId("1")
        .dataType(WorkedExample.userStats().dataType()).activeVersion(1)
        .version(WorkedExample.userStats().version(1)).build();
    assertThat(Quarantines.idClashes("user", List.of(WorkedExample.userEmbedding(), WorkedExample.userStats(), third)))
        .containsOnlyKeys("user_embedding", "third")
        .containsEntry("third", "entity 'user' feature groups 'user_embedding' and 'third' have the same id 1"
            + " (ids must be unique per entity)");
  }
}
