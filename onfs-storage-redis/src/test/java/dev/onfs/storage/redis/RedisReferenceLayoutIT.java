package dev.onfs.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.testing.TestBlocks;
import dev.onfs.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Byte-level compatibility with the reference's Redis layout, and the atomic server-side merge. */
class RedisReferenceLayoutIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final StoreTable USER = new StoreTable("user", "1", "", "", List.of("user_id", "country"));

  private RedisServer server;
  private RedisClient raw;
  private RedisStore store;

  @BeforeEach
  void connect() {
    server = RedisServer.shared();
    server.flushAll();
    raw = RedisClient.create(server.host(), server.port());
    store = RedisStore.create(RedisStoreConfig.builder().node(server.host(), server.port()).build());
  }

  @AfterEach
  void disconnect() {
    store.close();
    raw.close();
  }

  @Test
  void writesTheReferenceKeyValueAndTtl() {
    EntityKey key = EntityKey.of("42", "IN");
    long now = System.currentTimeMillis() / 1000;
    ByteRange a = TestBlocks.block(key, 1, 1, 12, now + 100, now);
    ByteRange b = TestBlocks.block(key, 2, 1, 12, now + 3600, now);

    store.write(USER, List.of(StoreFeatureGroup.of(1), StoreFeatureGroup.of(2)), List.of(StoreRow.of(key, a, b)));

    byte[] value = raw.get("user:42|IN".getBytes(StandardCharsets.UTF_8));
    assertThat(value).isEqualTo(Csdb.encode(new int[] {1, 2}, List.of(a, b)));
    long ttl = raw.pttl("user:42|IN");
    assertThat(ttl).isBetween(3_590_000L, 3_602_000L); // the longest block expiry
  }

  @Test
  void readsValuesTheReferenceWrote() {
    // A reference CSDB: version 1; fg 7 with a 10-byte block; fg 3 as a negative-cache marker.
    String block = "0100" + "0000000000" + "10" + "80" + "2a00"; // header (never expires) + 2 bytes
    raw.set(
        "user:7|US".getBytes(StandardCharsets.UTF_8),
        HEX.parseHex("01" + "0700" + "0b00" + block + "0300" + "0000"));

    ReadResult result = store.read(USER, List.of(EntityKey.of("7", "US")),
        List.of(StoreFeatureGroup.of(7), StoreFeatureGroup.of(3), StoreFeatureGroup.of(9)));

    assertThat(HEX.formatHex(result.block(0, 0).toByteArray())).isEqualTo(block);
    assertThat(result.isPresent(0, 1)).as("negative-cache marker").isFalse();
    assertThat(result.isPresent(0, 2)).isFalse();
  }

  @Test
  void partialWritesKeepFeatureGroupsOthersWrote() {
    EntityKey key = EntityKey.of("9", "IN");
    ByteRange foreign = TestBlocks.block(key, 5, 1, 20);
    raw.set("user:9|IN".getBytes(StandardCharsets.UTF_8), Csdb.encode(new int[] {5}, List.of(foreign)));

    ByteRange mine = TestBlocks.block(key, 1, 1, 20);
    store.write(USER, List.of(StoreFeatureGroup.of(1)), List.of(StoreRow.of(key, mine)));

    ReadResult result = store.read(USER, List.of(key), List.of(StoreFeatureGroup.of(5), StoreFeatureGroup.of(1)));
    assertThat(result.block(0, 0)).isEqualTo(foreign);
    assertThat(result.block(0, 1)).isEqualTo(mine);
    assertThat(raw.pttl("user:9|IN")).as("never-expiring blocks leave the key without TTL").isEqualTo(-1);
  }

  @Test
  void corruptStoredValuesFailPermanently() {
    raw.set("user:bad|IN", "not a csdb");
    EntityKey key = EntityKey.of("bad", "IN");

    assertThatThrownBy(() -> store.read(USER, List.of(key), List.of(StoreFeatureGroup.of(1))))
        .isInstanceOfSatisfying(OnfsException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_BLOCK);
          assertThat(e.isTransient()).isFalse();
        });
    assertThatThrownBy(() -> store.write(USER, List.of(StoreFeatureGroup.of(1)),
            List.of(StoreRow.of(key, TestBlocks.block(key, 1, 1, 8)))))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_REJECTED))
        .hasMessageContaining("not a layout-1 CSDB");
  }

  @Test
  void mergeSurvivesScriptCacheFlush() {
    EntityKey key = EntityKey.of("flush", "IN");
    store.write(USER, List.of(StoreFeatureGroup.of(1)), List.of(StoreRow.of(key, TestBlocks.block(key, 1, 1, 8))));
    raw.scriptFlush();

    store.write(USER, List.of(StoreFeatureGroup.of(2)), List.of(StoreRow.of(key, TestBlocks.block(key, 2, 1, 8))));

    assertThat(store.read(USER, List.of(key), List.of(StoreFeatureGroup.of(1), StoreFeatureGroup.of(2))).presentCount())
        .isEqualTo(2);
  }

  @Test
  void manyConcurrentWritersOfOneEntityNeverLoseAFeatureGroup() throws Exception {
    EntityKey key = EntityKey.of("hot", "IN");
    int writers = 8;
    int rounds = 200;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int fg = 100 + w;
        done.add(pool.submit(() -> {
          start.await();
          for (int v = 1; v <= rounds; v++) {
            store.write(USER, List.of(StoreFeatureGroup.of(fg)),
                List.of(StoreRow.of(key, TestBlocks.block(key, fg, v, 16))));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> d : done) {
        d.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<StoreFeatureGroup> groups = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      groups.add(StoreFeatureGroup.of(100 + w));
    }
    ReadResult result = store.read(USER, List.of(key), groups);
    for (int w = 0; w < writers; w++) {
      assertThat(result.block(0, w)).isEqualTo(TestBlocks.block(key, 100 + w, rounds, 16));
    }
    byte[] value = raw.get("user:hot|IN".getBytes(StandardCharsets.UTF_8));
    assertThat(Csdb.featureGroupIds(value, 0, value.length)).hasSize(writers);
  }
}
