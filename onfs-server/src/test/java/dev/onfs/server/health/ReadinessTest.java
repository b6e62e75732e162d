package dev.onfs.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreCapabilities;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.types.DataType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  static RegistrySnapshot oneEntity() {
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "memory", 0, "user_features", List.of("user_id"), 0))
        .entity(Entity.builder("user").key("user_id", "user_id")
            .featureGroup(FeatureGroup.builder("stats").id(0).storeId("1").dataType(DataType.FP32)
                .activeVersion(1).layoutVersion(1).column("seg_0", 64)
                .version(FeatureVersion.builder(1).feature("ctr", new byte[4], 0, 0).build())
                .build())
            .build())
        .build();
  }

  @Test
  void readyWhenTheRegistryHoldsEntitiesAndEveryStoreAnswers() {
    try (Readiness readiness = Readiness.builder(new InMemoryFeatureRegistry(oneEntity()))
        .store("memory", InMemoryStore.create())
        .quarantined(() -> List.of("user/stats"))
        .build()) {
      ReadinessReport report = readiness.check();
      assertThat(report.ready()).isTrue();
      assertThat(report.checks()).extracting(ReadinessReport.Check::name).containsExactly("server", "registry", "store:memory");
      assertThat(report.quarantined()).containsExactly("user/stats");
      assertThat(report.toJson()).startsWith("{\"status\":\"SERVING\",\"checks\":[{\"name\":\"server\",\"state\":\"UP\"")
          .endsWith("\"quarantined\":[\"user/stats\"]}");

      readiness.markShuttingDown();
      ReadinessReport closing = readiness.check(); // within the cache period, yet shutting down shows at once
      assertThat(closing.ready()).isFalse();
      assertThat(closing.checks().get(0)).isEqualTo(new ReadinessReport.Check("server", false, "shutting down"));
    }
  }

  @Test
  void anEmptyRegistryIsNotReady() {
    try (Readiness readiness = Readiness.builder(new InMemoryFeatureRegistry(RegistrySnapshot.empty())).build()) {
      ReadinessReport report = readiness.check();
      assertThat(report.ready()).isFalse();
      assertThat(report.checks()).contains(new ReadinessReport.Check("registry", false, "no entities loaded"));
      assertThat(report.toJson()).startsWith("{\"status\":\"NOT_SERVING\"");
    }
  }

  @Test
  void aFailingStoreIsDownWithItsError() {
    PingStore store = new PingStore();
    store.failure = new OnfsException(ErrorCode.STORE_UNAVAILABLE, "redis unavailable for ping: refused");
    try (Readiness readiness = Readiness.builder(new InMemoryFeatureRegistry(oneEntity())).store("redis", store)
        .cachePeriod(Duration.ZERO).build()) {
      assertThat(readiness.check().checks()).contains(
          new ReadinessReport.Check("store:redis", false, "STORE_UNAVAILABLE: redis unavailable for ping: refused"));
      store.failure = null;
      assertThat(readiness.check().ready()).isTrue();
    }
  }

  @Test
  void aHungStoreIsDownAfterTheTimeoutAndHoldsOnePingAtATime() throws Exception {
    PingStore store = new PingStore();
    store.hold = new CountDownLatch(1);
    try (Readiness readiness = Readiness.builder(new InMemoryFeatureRegistry(oneEntity())).store("redis", store)
        .storeTimeout(Duration.ofMillis(50)).cachePeriod(Duration.ZERO).build()) {
      for (int i = 0; i < 5; i++) {
        ReadinessReport report = readiness.check();
        assertThat(report.ready()).isFalse();
        assertThat(report.checks()).contains(new ReadinessReport.Check("store:redis", false, "no answer within 50 ms"));
      }
      assertThat(store.pings).hasValue(1);
      store.hold.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!readiness.check().ready()) {
        assertThat(System.nanoTime()).as("ready once the ping returns").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  @Test
  void resultsAreReusedForTheCachePeriod() {
    PingStore store = new PingStore();
    try (Readiness readiness = Readiness.builder(new InMemoryFeatureRegistry(oneEntity())).store("redis", store)
        .cachePeriod(Duration.ofMinutes(5)).build()) {
      for (int i = 0; i < 10; i++) {
        assertThat(readiness.check().ready()).isTrue();
      }
      assertThat(store.pings).hasValue(1);
    }
  }

  /** A store whose ping the test controls; it holds no data. */
  private static final class PingStore implements OnlineStore {
    final AtomicInteger pings = new AtomicInteger();
    volatile CountDownLatch hold = new CountDownLatch(0);
    volatile OnfsException failure;

    @Override
    public void ping() {
      pings.incrementAndGet();
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      OnfsException f = failure;
      if (f != null) {
        throw f;
      }
    }

    @Override
    public String name() {
      return "ping";
    }

    @Override
    public StoreCapabilities capabilities() {
      return new StoreCapabilities(true, 100, true);
    }

    @Override
    public ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete(StoreTable table, List<EntityKey> keys) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
