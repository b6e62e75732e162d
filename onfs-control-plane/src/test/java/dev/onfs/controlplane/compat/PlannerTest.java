package dev.onfs.controlplane.compat;

import static dev.onfs.core.registry.testing.WorkedExample.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.StoreConnection;
import dev.onfs.controlplane.request.AddFeatures;
import dev.onfs.controlplane.request.CacheSpec;
import dev.onfs.controlplane.request.CreateEntity;
import dev.onfs.controlplane.request.CreateFeatureGroup;
import dev.onfs.controlplane.request.DeleteFeatures;
import dev.onfs.controlplane.request.EditEntity;
import dev.onfs.controlplane.request.EditFeatureGroup;
import dev.onfs.controlplane.request.EditFeatures;
import dev.onfs.controlplane.request.FeatureSpec;
import dev.onfs.controlplane.request.KeySpec;
import dev.onfs.controlplane.request.Payload;
import dev.onfs.controlplane.request.RegisterClient;
import dev.onfs.controlplane.request.RegisterJob;
import dev.onfs.controlplane.request.RegisterStore;
import dev.onfs.controlplane.request.SourceSpec;
import dev.onfs.controlplane.request.Target;
import dev.onfs.core.registry.Column;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.testing.WorkedExample;
import dev.onfs.core.storage.SchemaManager;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.types.DataType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The planner against the reference's worked example (spec section 2.4 and its follow-ups). */
class PlannerTest {
  /** Stands in for a column store's DDL in planning tests: planning never calls it. */
  private static final SchemaManager UNUSED = new SchemaManager() {
    @Override
    public void createTable(StoreTable table, int defaultTtlSeconds) {
      throw new AssertionError("planning runs no DDL");
    }

    @Override
    public List<String> addColumns(StoreTable table, Collection<String> columns) {
      throw new AssertionError("planning runs no DDL");
    }
  };

  private final Planner planner = new Planner(Map.of(
      1, StoreConnection.withSchema(1, "scylla", UNUSED, "onfs"),
      4, StoreConnection.withoutSchema(4, "redis_failover")));
  private final RegistrySnapshot example = WorkedExample.snapshot();

  private Plan plan(Payload payload) {
    return planner.plan(example, Map.of(), payload);
  }

  private static void refused(Executable call, Reason reason, String field, String messagePart) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.field()).isEqualTo(field);
        })
        .hasMessageContaining(messagePart);
  }

  @Test
  void addingAFeatureIsTheReferencesFollowUpOne() {
    Plan plan = plan(new AddFeatures("user", "user_stats", List.of(new FeatureSpec("aov", "1", 0, 0,
        new SourceSpec("TABLE", "ds.user_agg", "aov_30d")))));

    assertThat(plan.changeClass()).isEqualTo(ChangeClass.ADDITIVE);
    assertThat(plan.after()).isEqualTo(WorkedExample.afterAddingAov());
    assertThat(plan.sourceChanges()).containsExactly(new SourceChange("user|user_stats|aov", "TABLE|ds.user_agg|aov_30d|1"));
    assertThat(plan.schemaSteps()).isEmpty(); // 4 more bytes fit in seg_0
    assertThat(plan.changedTargets()).containsExactly(Target.featureGroup("user", "user_stats"));
    assertThat(plan.outcome()).isEqualTo("version 2 of feature group 'user_stats'");
  }

  @Test
  void deletingAFeatureIsTheReferencesFollowUpTwo() {
    RegistrySnapshot afterAov = WorkedExample.afterAddingAov();
    Plan plan = planner.plan(afterAov, Map.of("user|user_stats|ctr", "TABLE|ds.user_agg|ctr_7d|0.0"),
        new DeleteFeatures("user", "user_stats", List.of("ctr")));

    FeatureGroup stats = plan.requireAfter().featureGroup("user", "user_stats");
    assertThat(stats.activeVersion()).isEqualTo(3);
    assertThat(stats.activeFeatures().labels()).containsExactly("orders_30d", "aov");
    assertThat(stats.activeFeatures().feature("aov").defaultValue()).isEqualTo(b64("AACAPw=="));
    assertThat(stats.versions()).containsKeys(1, 2, 3);
    assertThat(stats.columns()).containsExactly(new Column("seg_0", 17));
    assertThat(plan.sourceChanges()).containsExactly(new SourceChange("user|user_stats|ctr", null));
    assertThat(plan.changeClass()).isEqualTo(ChangeClass.COMPATIBLE);
    assertThat(plan.warnings()).singleElement().asString().contains("[ctr]");
  }

  @Test
  void changingTheDataTypeOfAPublishedVersionIsBreaking() {
    Plan plan = plan(new EditFeatureGroup("user", "user_stats", null, null, null, null, null, "FP64", null, null));

    assertThat(plan.isBreaking()).isTrue();
    assertThat(plan.after()).isNull();
    assertThatThrownBy(plan::requireAcceptable)
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BREAKING_CHANGE))
        .hasMessage("feature group 'user_stats': changing data type FP32 -> FP64 of published version 1 is breaking;"
            + " publish a new feature group instead");
  }

  @Test
  void reorderingRenamingAndInsertingInsideAPublishedVersionAreBreaking() {
    Plan reorder = plan(new EditFeatureGroup("user", "user_stats", null, null, null, null, null, null, null,
        List.of(FeatureSpec.of("orders_30d", "0"), FeatureSpec.of("ctr", "0"))));
    assertThat(reorder.isBreaking()).isTrue();
    assertThat(reorder.changes()).anySatisfy(c -> assertThat(c.description()).contains("reordering"));

    Plan rename = plan(new EditFeatureGroup("user", "user_stats", null, null, null, null, null, null, null,
        List.of(FeatureSpec.of("ctr_7d", "0"), FeatureSpec.of("orders_30d", "0"))));
    assertThat(rename.changes()).anySatisfy(c -> assertThat(c.description())
        .isEqualTo("feature group 'user_stats': renaming feature 'ctr' to 'ctr_7d' inside published version 1 is"
            + " breaking; add 'ctr_7d' as a new feature (and delete 'ctr') instead"));

    Plan insert = plan(new EditFeatureGroup("user", "user_stats", null, null, null, null, null, null, null,
        List.of(FeatureSpec.of("ctr", "0"), FeatureSpec.of("new_one", "0"), FeatureSpec.of("orders_30d", "0"))));
    assertThat(insert.changes()).anySatisfy(c -> assertThat(c.description()).contains("inserting feature 'new_one'"));
  }

  @Test
  void aWantedListThatAppendsBecomesANewVersionWithTheSettings() {
    Plan plan = plan(new EditFeatureGroup("user", "user_stats", 3600L, null, null, null, 1, "DataTypeFP32", "1",
        List.of(FeatureSpec.of("ctr", "0.0"), FeatureSpec.of("orders_30d", "0.0"), FeatureSpec.of("aov", "1"))));

    assertThat(plan.changeClass()).isEqualTo(ChangeClass.COMPATIBLE);
    FeatureGroup stats = plan.requireAfter().featureGroup("user", "user_stats");
    assertThat(stats.activeVersion()).isEqualTo(2);
    assertThat(stats.ttlInSeconds()).isEqualTo(3600);
    assertThat(stats.activeFeatures().labels()).containsExactly("ctr", "orders_30d", "aov");
  }

  @Test
  void settingsChangeInPlace() {
    Plan plan = plan(EditFeatureGroup.settings("user", "user_stats", 3600L, false, null));

    assertThat(plan.changeClass()).isEqualTo(ChangeClass.COMPATIBLE);
    FeatureGroup stats = plan.requireAfter().featureGroup("user", "user_stats");
    assertThat(stats.activeVersion()).isEqualTo(1);
    assertThat(stats.versions()).containsOnlyKeys(1);
    assertThat(stats.ttlInSeconds()).isEqualTo(3600);
    assertThat(stats.inMemoryCacheEnabled()).isFalse();
    assertThat(plan.changes()).extracting(Change::description).containsExactly(
        "feature group 'user_stats': ttl-in-seconds 86400 -> 3600",
        "feature group 'user_stats': in-memory-cache-enabled true -> false");
  }

  @Test
  void aRequestThatChangesNothingIsRefused() {
    refused(() -> plan(EditFeatureGroup.settings("user", "user_stats", 86400L, true, true)), Reason.NO_CHANGE, null,
        "changes nothing");
    refused(() -> plan(new EditEntity("user", new CacheSpec(true, 300, 10, 2), null)), Reason.NO_CHANGE, null,
        "changes nothing");
  }

  @Test
  void editingFeatures() {
    Plan newDefault = plan(new EditFeatures("user", "user_stats", List.of(FeatureSpec.of("ctr", "0.5"))));
    assertThat(newDefault.requireAfter().featureGroup("user", "user_stats").activeVersion()).isEqualTo(2);
    assertThat(newDefault.requireAfter().featureGroup("user", "user_stats").version(1))
        .isEqualTo(WorkedExample.userStats().version(1));

    Plan sourceOnly = planner.plan(example, Map.of("user|user_stats|ctr", "TABLE|ds.user_agg|ctr_7d|0.0"),
        new EditFeatures("user", "user_stats", List.of(new FeatureSpec("ctr", "0.0", 0, 0,
            new SourceSpec("TABLE", "ds.user_agg", "ctr_30d")))));
    assertThat(sourceOnly.changeClass()).isEqualTo(ChangeClass.COMPATIBLE);
    assertThat(sourceOnly.requireAfter()).isEqualTo(example);
    assertThat(sourceOnly.sourceChanges())
        .containsExactly(new SourceChange("user|user_stats|ctr", "TABLE|ds.user_agg|ctr_30d|0.0"));

    Plan vector = plan(new EditFeatures("user", "user_embedding", List.of(new FeatureSpec("emb", null, 0, 16, null))));
    assertThat(vector.isBreaking()).isTrue();
    assertThat(vector.changes()).anySatisfy(c -> assertThat(c.description()).isEqualTo(
        "feature group 'user_embedding': changing vector-length 8 -> 16 of feature 'emb' in published version 1 is"
            + " breaking; add a feature with a new label instead"));

    refused(() -> plan(new EditFeatures("user", "user_stats", List.of(FeatureSpec.of("nope", "1")))),
        Reason.NOT_FOUND, "features[0].label", "has no feature 'nope'");
  }

  @Test
  void aNewFeatureGroupGetsTheNextIdAndColumnsAfterTheEntitysLast() {
    Plan plan = plan(new CreateFeatureGroup("user", "user_flags", "Bool", "1", 0, "user_daily_job", false, false, 1,
        List.of(FeatureSpec.of("is_premium", "false"), FeatureSpec.of("is_new", null))));

    FeatureGroup flags = plan.requireAfter().featureGroup("user", "user_flags");
    assertThat(flags.id()).isEqualTo(2);
    assertThat(flags.dataType()).isEqualTo(DataType.BOOL);
    assertThat(flags.columns()).containsExactly(new Column("seg_2", 11)); // 9 header + 2 x 1 byte
    assertThat(flags.activeFeatures().feature("is_new").defaultValue()).containsExactly(0);
    assertThat(plan.schemaSteps()).containsExactly(
        new SchemaStep.CreateTable(example.store("1"), List.of("user_id")),
        new SchemaStep.AddColumns(example.store("1"), "user", List.of("user_id"), List.of("seg_2")));
  }

  @Test
  void growthFillsTheGroupsColumnsThenAddsNewOnes() {
    List<FeatureSpec> wide = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      wide.add(FeatureSpec.of("f" + i, "0"));
    }
    Plan plan = plan(new AddFeatures("user", "user_stats", wide));

    // 17 + 300 x 4 = 1217 bytes: seg_0 fills to 1024, 193 go to a new column after seg_1.
    FeatureGroup stats = plan.requireAfter().featureGroup("user", "user_stats");
    assertThat(stats.columns()).containsExactly(new Column("seg_0", 1024), new Column("seg_2", 193));
    assertThat(plan.schemaSteps()).last().isEqualTo(
        new SchemaStep.AddColumns(example.store("1"), "user", List.of("user_id"), List.of("seg_2")));
  }

  @Test
  void invalidInputNamesTheField() {
    refused(() -> plan(new CreateEntity("us,er", List.of(new KeySpec("id", "id")), null, null)), Reason.INVALID,
        "entity", "contains ','");
    refused(() -> plan(new CreateEntity("shop", List.of(), null, null)), Reason.INVALID, "keys", "keys is empty");
    refused(() -> plan(new CreateEntity("shop", List.of(new KeySpec("id", "id"), new KeySpec("id", "x")), null, null)),
        Reason.INVALID, "keys[1].entity-label", "appears twice");
    refused(() -> plan(new CreateEntity("shop", List.of(new KeySpec("id", "id")), new CacheSpec(true, 0, 10, 2), null)),
        Reason.INVALID, "distributed-cache.ttl-in-seconds", "needs a TTL");
    refused(() -> plan(new CreateEntity("user", List.of(new KeySpec("id", "id")), null, null)), Reason.ALREADY_EXISTS,
        "entity", "already exists");
    refused(() -> plan(new CreateFeatureGroup("user", "g", "FP33", "1", 0, "user_daily_job", false, false, 1, List.of())),
        Reason.INVALID, "data-type", "'FP33' is not a known data type");
    refused(() -> plan(new CreateFeatureGroup("user", "g", "FP32", "9", 0, "user_daily_job", false, false, 1, List.of())),
        Reason.NOT_FOUND, "store-id", "store 9 does not exist");
    refused(() -> plan(new CreateFeatureGroup("user", "g", "FP32", "1", 0, "no_job", false, false, 1, List.of())),
        Reason.NOT_FOUND, "job-id", "writer (job) 'no_job' is not registered");
    refused(() -> plan(new CreateFeatureGroup("user", "g", "FP32", "1", 0, "user_daily_job", false, false, 2, List.of())),
        Reason.INVALID, "layout-version", "only 1 exists");
    refused(() -> plan(new CreateFeatureGroup("user", "g", "FP32", "1", 0, "user_daily_job", false, false, 1,
        List.of(FeatureSpec.of("a", "0"), FeatureSpec.of("b", "one")))), Reason.INVALID, "features[1].default-value",
        "'one' is not a valid DataTypeFP32 value");
    refused(() -> plan(new CreateFeatureGroup("user", "g", "FP16Vector", "1", 0, "user_daily_job", false, false, 1,
        List.of(FeatureSpec.of("v", "[1,2]")))), Reason.INVALID, "features[0].vector-length", "needs at least 1");
    refused(() -> plan(new CreateFeatureGroup("user", "user_stats", "FP32", "1", 0, "user_daily_job", false, false, 1,
        List.of())), Reason.ALREADY_EXISTS, "feature-group", "already exists");
    refused(() -> plan(new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("ctr", "1")))), Reason.ALREADY_EXISTS,
        "features[0].label", "already exists");
    refused(() -> plan(new AddFeatures("user", "user_stats", List.of(new FeatureSpec("x", "1", 0, 0,
        new SourceSpec("FTP", "a", "b"))))), Reason.INVALID, "features[0].source.storage-provider", "'FTP'");
    refused(() -> plan(new DeleteFeatures("user", "user_stats", List.of("nope"))), Reason.NOT_FOUND, "features[0]",
        "has no feature 'nope'");
    refused(() -> plan(new AddFeatures("nobody", "user_stats", List.of(FeatureSpec.of("x", "1")))), Reason.NOT_FOUND,
        "entity", "entity 'nobody' does not exist");
  }

  @Test
  void stores() {
    Plan plan = plan(new RegisterStore("scylla", 1, "item_features", List.of("item_id"), 0));
    assertThat(plan.requireAfter().store("2").table()).isEqualTo("item_features");
    assertThat(plan.changedTargets()).containsExactly(Target.store("2"));
    assertThat(plan.schemaSteps()).containsExactly(
        new SchemaStep.CreateTable(plan.requireAfter().store("2"), List.of("item_id")));
    assertThat(plan.outcome()).isEqualTo("store 2");

    refused(() -> plan(new RegisterStore("scylla", 7, "t", List.of("id"), 0)), Reason.INVALID, "conf-id",
        "conf-id 7 is not a configured store connection");
    refused(() -> plan(new RegisterStore("scylla", 4, "t", List.of("id"), 0)), Reason.INVALID, "db-type",
        "does not match conf-id 4, which is redis_failover");
    refused(() -> plan(new RegisterStore("scylla", 1, "user_features", List.of("user_id"), 0)), Reason.ALREADY_EXISTS,
        "table", "is already store 1");
    refused(() -> plan(new RegisterStore("scylla", 1, "bad-table", List.of("id"), 0)), Reason.INVALID, "table",
        "not a plain CQL identifier");
    refused(() -> plan(new RegisterStore("scylla", 1, "t", List.of(), 0)), Reason.INVALID, "primary-keys",
        "needs at least one");
    assertThat(plan(new RegisterStore("redis_failover", 4, "any", List.of(), 0)).requireAfter().store("2").dbType())
        .isEqualTo("redis_failover");
  }

  @Test
  void readersAndWriters() {
    Plan writer = plan(new RegisterJob("item_job"));
    assertThat(writer.credential()).isEqualTo(Target.writer("item_job"));
    assertThat(writer.requireAfter()).isEqualTo(example); // the token is added on approval
    refused(() -> plan(new RegisterJob("user_daily_job")), Reason.ALREADY_EXISTS, "job-id", "already exists");
    refused(() -> plan(new RegisterClient("ranker")), Reason.ALREADY_EXISTS, "client-id", "already exists");
    refused(() -> plan(new RegisterClient("a/b")), Reason.INVALID, "client-id", "contains '/'");
  }

  @Test
  void entities() {
    Plan plan = plan(new CreateEntity("item", List.of(new KeySpec("item_id", "item_id"), new KeySpec("region", "region_col")),
        new CacheSpec(true, 300, 10, 2), null));
    assertThat(plan.requireAfter().entity("item").keyColumns()).containsExactly("item_id", "region_col");
    assertThat(plan.changeClass()).isEqualTo(ChangeClass.ADDITIVE);

    Plan edit = plan(new EditEntity("user", new CacheSpec(true, 600, 10, 2), null));
    assertThat(edit.changeClass()).isEqualTo(ChangeClass.COMPATIBLE);
    assertThat(edit.changes()).extracting(Change::description)
        .containsExactly("entity 'user' distributed-cache: ttl-in-seconds 300 -> 600");
    assertThat(edit.requireAfter().entity("user").distributedCache().ttlInSeconds()).isEqualTo(600);
  }
}
