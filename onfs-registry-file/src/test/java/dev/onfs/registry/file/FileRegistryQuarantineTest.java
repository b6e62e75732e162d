package dev.onfs.registry.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.RegistryListener;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.file.FileFeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.storage.memory.InMemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One bad feature group (or entity) in a registry file is quarantined; the rest keeps serving. */
class FileRegistryQuarantineTest {
  private static final String STORES = "stores: {'1': {db-type: scylla, primary-keys: [id]}}\n";

  @TempDir Path dir;
  private final Logs logs = new Logs();

  /** Captures what FileFeatureRegistry logs. */
  private static final class Logs extends Handler {
    final List<LogRecord> records = new ArrayList<>();

    @Override
    public synchronized void publish(LogRecord record) {
      records.add(record);
    }

    synchronized List<String> at(Level level) {
      return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** Counts rejections, as the server's metrics listener does. */
  private static final class Rejections implements RegistryListener {
    final List<OnfsException> errors = new ArrayList<>();

    @Override
    public void onChange(RegistrySnapshot previous, RegistrySnapshot current) {}

    @Override
    public void onRejected(OnfsException error) {
      errors.add(error);
    }
  }

  @BeforeEach
  void captureLogs() {
    Logger.getLogger(FileFeatureRegistry.class.getName()).addHandler(logs);
  }

  @AfterEach
  void releaseLogs() {
    Logger.getLogger(FileFeatureRegistry.class.getName()).removeHandler(logs);
  }

  private static String registry(String stats, String prices) {
    return STORES + "entities:\n  user:\n    keys: [id]\n    feature-groups:\n"
        + "      stats: {id: 0, store-id: 1, data-type: FP32, columns: {seg_0: 17}, versions: {" + stats + "}}\n"
        + "      prices: {id: 1, store-id: 1, data-type: FP32, columns: {seg_1: 13}, features: [{label: " + prices + "}]}\n";
  }

  private static final String STATS_V1 = "1: [{label: ctr}, {label: orders}]";
  private static final String STATS_V2 = STATS_V1 + ", 2: [{label: ctr}, {label: orders}, {label: aov}]";

  @Test
  void aBadFeatureLabelQuarantinesItsGroupUntilFixedWhileOtherChangesApply() throws Exception {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, registry(STATS_V1, "'avg price'"));
    try (FileFeatureRegistry registry = FileFeatureRegistry.open(file, RegistryFiles.parser())) {
      // Opens and serves the good group; the bad one is left out with the reason.
      assertThat(registry.featureGroup("user", "stats").activeVersion()).isEqualTo(1);
      assertThat(registry.featureGroup("user", "prices")).isNull();
      assertThat(registry.quarantined()).containsOnlyKeys("user/prices");
      assertThat(registry.quarantined().get("user/prices"))
          .contains("entities.user.feature-groups.prices.features[0]")
          .contains("feature label 'avg price' contains a whitespace");
      assertThat(logs.at(Level.WARNING)).singleElement().asString()
          .contains("feature group user/prices quarantined").contains("'avg price'");

      try (OnlineFeatureStore onfs = OnlineFeatureStore.builder().registry(registry).store(InMemoryStore.create())
          .build()) {
        RetrieveQuery prices = new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("prices",
            List.of("avg price"))), List.of("id"), List.of(RetrieveQuery.Keys.of("1")));
        assertThatThrownBy(() -> onfs.retrieve(prices))
            .isInstanceOfSatisfying(OnfsException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.QUARANTINED_FEATURE_GROUP))
            .hasMessageContaining("feature group 'prices' of entity 'user' is quarantined")
            .hasMessageContaining("'avg price'");
        RetrieveQuery stats = new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("stats",
            List.of("ctr"))), List.of("id"), List.of(RetrieveQuery.Keys.of("1")));
        assertThat(onfs.retrieveDecoded(stats).rows()).hasSize(1);
      }

      // A change to the good group applies while the bad one is still bad; nothing is logged again.
      Files.writeString(file, registry(STATS_V2, "'avg price'"));
      assertThat(registry.reload()).isTrue();
      assertThat(registry.featureGroup("user", "stats").activeVersion()).isEqualTo(2);
      assertThat(registry.quarantined()).containsOnlyKeys("user/prices");
      assertThat(logs.at(Level.WARNING)).hasSize(1);

      // Fixing the bad group brings it back.
      Files.writeString(file, registry(STATS_V2, "avg_price"));
      assertThat(registry.reload()).isTrue();
      assertThat(registry.quarantined()).isEmpty();
      assertThat(registry.featureGroup("user", "prices").activeFeatures().labels()).containsExactly("avg_price");
      assertThat(logs.at(Level.INFO)).singleElement().asString().contains("user/prices is no longer quarantined");
    }
  }

  @Test
  void anUnparseableReloadIsLoggedOnceReportedAndKeepsTheLastGoodSnapshot() throws Exception {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, registry(STATS_V1, "avg_price"));
    Rejections rejections = new Rejections();
    try (FileFeatureRegistry registry = FileFeatureRegistry.open(file, RegistryFiles.parser())) {
      registry.addListener(rejections);
      RegistrySnapshot good = registry.snapshot();
      Files.writeString(file, "entities: {user: [");
      assertThatThrownBy(registry::reload).isInstanceOf(OnfsException.class);
      assertThat(registry.snapshot()).isSameAs(good);
      assertThat(rejections.errors).singleElement().asString().contains("registry.yaml");
      assertThat(logs.at(Level.WARNING)).singleElement().asString()
          .contains("registry " + file + ": change rejected, keeping the last good snapshot: registry.yaml");

      // The same bad content is not reported again.
      assertThat(registry.reload()).isFalse();
      assertThat(rejections.errors).hasSize(1);
      assertThat(logs.at(Level.WARNING)).hasSize(1);
    }
  }

  @Test
  void aGroupThatTurnsBadKeepsServingItsLastGoodDefinition() throws Exception {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, registry(STATS_V1, "avg_price"));
    try (FileFeatureRegistry registry = FileFeatureRegistry.open(file, RegistryFiles.parser())) {
      var before = registry.featureGroup("user", "prices");
      Files.writeString(file, registry(STATS_V2, "'avg price'"));
      assertThat(registry.reload()).isTrue();
      assertThat(registry.featureGroup("user", "stats").activeVersion()).isEqualTo(2);
      assertThat(registry.featureGroup("user", "prices")).isEqualTo(before);
      assertThat(registry.quarantined().get("user/prices"))
          .contains("'avg price'").endsWith("(its last good definition keeps serving)");
    }
  }

  @Test
  void aBadEntityKeyQuarantinesAllItsGroupsAndOtherEntitiesServe() throws Exception {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, registry(STATS_V1, "avg_price").replace("user:\n    keys: [id]", "user:\n    keys: ['user id']")
        + "  shop:\n    keys: [id]\n    feature-groups:\n"
        + "      sales: {id: 0, store-id: 1, data-type: Int64, features: [{label: units}]}\n");
    try (FileFeatureRegistry registry = FileFeatureRegistry.open(file, RegistryFiles.parser())) {
      assertThat(registry.snapshot().entity("user")).isNull();
      assertThat(registry.snapshot().quarantinedEntities()).containsOnlyKeys("user");
      assertThat(registry.quarantined()).containsOnlyKeys("user/prices", "user/stats");
      assertThat(registry.quarantined().get("user/stats")).contains("entities.user.keys[0]").contains("'user id'");
      assertThat(registry.featureGroup("shop", "sales")).isNotNull();
    }
  }

  @Test
  void groupsNeedingColumnsWaitForAQuarantinedGroupWithoutColumns() throws Exception {
    Path file = dir.resolve("registry.yaml");
    // 'a' has no columns, so the segments 'b' would get depend on it.
    Files.writeString(file, STORES + "entities:\n  user:\n    keys: [id]\n    feature-groups:\n"
        + "      a: {id: 0, store-id: 1, data-type: FP32, features: [{label: 'x y'}]}\n"
        + "      b: {id: 1, store-id: 1, data-type: FP32, features: [{label: z}]}\n"
        + "      c: {id: 2, store-id: 1, data-type: FP32, columns: {seg_7: 13}, features: [{label: w}]}\n");
    try (FileFeatureRegistry registry = FileFeatureRegistry.open(file, RegistryFiles.parser())) {
      assertThat(registry.quarantined()).containsOnlyKeys("user/a", "user/b");
      assertThat(registry.quarantined().get("user/b")).contains("depend on feature group 'a', which is quarantined");
      assertThat(registry.featureGroup("user", "c")).isNotNull();
    }
  }

  @Test
  void clashingIdsQuarantineBothGroupsAndLoadStillFailsOnTheFirstError() throws Exception {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, registry(STATS_V1, "avg_price").replace("prices: {id: 1", "prices: {id: 0")
        .replace("seg_1", "seg_2"));
    try (FileFeatureRegistry registry = FileFeatureRegistry.open(file, RegistryFiles.parser())) {
      assertThat(registry.quarantined()).containsOnlyKeys("user/prices", "user/stats");
      assertThat(registry.quarantined().get("user/stats")).contains("have the same id 0");
    }
    // Checking a file (onfs registry validate / apply) still refuses it whole.
    assertThatThrownBy(() -> RegistryFiles.load(file)).hasMessageContaining("have the same id 0");
    Files.writeString(file, registry(STATS_V1, "'avg price'"));
    assertThatThrownBy(() -> RegistryFiles.load(file)).hasMessageContaining("feature label 'avg price'");
  }
}
