package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.ErrorKind;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.memory.InMemoryStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests over a {@link Limits} bound fail before the store is called, naming the limit and its option. */
class RequestLimitsTest {
  private final CountingStore store = new CountingStore(InMemoryStore.create());
  private final Limits limits = Limits.builder().maxKeysPerRequest(10).maxFeatureGroupsPerRequest(2)
      .maxFeaturesPerRequest(3).maxCellsPerRequest(12).build();
  private final OnlineFeatureStore onfs = OnlineFeatureStore.builder()
      .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(false))).store(store).limits(limits).build();

  private static List<RetrieveQuery.Keys> keys(int n) {
    List<RetrieveQuery.Keys> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(RetrieveQuery.Keys.of(Integer.toString(i)));
    }
    return keys;
  }

  private static RetrieveQuery retrieve(int keys, List<RetrieveQuery.FeatureGroup> groups) {
    return new RetrieveQuery("user", groups, List.of("user_id"), keys(keys));
  }

  private static RetrieveQuery.FeatureGroup group(String label, String... features) {
    return new RetrieveQuery.FeatureGroup(label, List.of(features));
  }

  private void assertTooLarge(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(OnfsException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_TOO_LARGE);
      assertThat(e.kind()).isEqualTo(ErrorKind.TOO_LARGE);
      assertThat(e.isTransient()).as("retrying the same request cannot help").isFalse();
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  @Test
  void retrievesOverALimitAreRefusedBeforeTheStoreIsRead() {
    assertThat(onfs.retrieve(retrieve(4, List.of(group("fg_fp32", "a", "b"), group("fg_int32", "a")))).rows())
        .hasSize(4);
    int reads = store.reads.get();

    assertTooLarge(() -> onfs.retrieve(retrieve(11, List.of(group("fg_fp32", "a")))),
        "keys per request: 11 > limit 10 (option max-keys-per-request)");
    assertTooLarge(() -> onfs.retrieve(retrieve(1, List.of(group("fg_fp32", "a"), group("fg_int32", "a"),
            group("fg_int64", "a")))),
        "feature groups per request: 3 > limit 2 (option max-feature-groups-per-request)");
    assertTooLarge(() -> onfs.retrieve(retrieve(1, List.of(group("fg_fp32", "a", "b"), group("fg_int32", "a", "b")))),
        "features per request: 4 > limit 3 (option max-features-per-request)");
    assertTooLarge(() -> onfs.retrieveDecoded(retrieve(5, List.of(group("fg_fp32", "a", "b"), group("fg_int32", "a")))),
        "cells per request (5 keys x 3 features): 15 > limit 12 (option max-cells-per-request)");
    assertThat(store.reads.get()).isEqualTo(reads);
  }

  @Test
  void persistsOverALimitAreRefusedBeforeAnythingIsWritten() {
    List<PersistQuery.Data> rows = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      rows.add(new PersistQuery.Data(List.of(Integer.toString(i)), List.of(Values.fp32(1))));
    }
    PersistQuery query = new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_fp32", List.of("a"))), rows);
    assertTooLarge(() -> onfs.persist(query), "keys per request: 11 > limit 10 (option max-keys-per-request)");
    assertThat(store.writes.get()).isZero();
    assertThat(onfs.persist(new PersistQuery("user", List.of("user_id"), query.featureGroupSchema(),
        rows.subList(0, 10))).rowsWritten()).isEqualTo(10);
  }

  @Test
  void theDefaultsAndTheBuilderCheckTheirValues() {
    Limits defaults = Limits.defaults();
    assertThat(defaults.maxKeysPerRequest()).isEqualTo(10_000);
    assertThat(defaults.maxKeyBytes()).isEqualTo(1024);
    assertThat(defaults.maxFeatureGroupsPerRequest()).isEqualTo(100);
    assertThat(defaults.maxFeaturesPerRequest()).isEqualTo(2_000);
    assertThat(defaults.maxCellsPerRequest()).isEqualTo(1_000_000);
    assertThat(OnlineFeatureStore.builder().registry(new InMemoryFeatureRegistry()).store(InMemoryStore.create())
        .build().limits()).isEqualTo(defaults);
    assertThat(onfs.limits()).isEqualTo(limits);
    assertThat(limits.toBuilder().maxKeyBytes(8).build().maxKeyBytes()).isEqualTo(8);
    assertThatThrownBy(() -> Limits.builder().maxKeysPerRequest(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxKeysPerRequest must be positive, got 0");
    assertThatThrownBy(() -> Limits.builder().maxCellsPerRequest(-1))
        .hasMessage("maxCellsPerRequest must be positive, got -1");
  }

  @Test
  void aMillionKeysAreRefusedByTheDefaults() {
    OnlineFeatureStore defaults = OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(false))).store(store).build();
    RetrieveQuery huge = new RetrieveQuery("user", List.of(group("fg_fp32", "a")), List.of("user_id"),
        Collections.nCopies(1_000_000, RetrieveQuery.Keys.of("1")));
    assertTooLarge(() -> defaults.retrieve(huge), "keys per request: 1000000 > limit 10000 (option max-keys-per-request)");
    assertThat(store.reads.get()).isZero();
  }
}
