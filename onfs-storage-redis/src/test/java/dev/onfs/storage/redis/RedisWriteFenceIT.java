package dev.onfs.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.testing.TestBlocks;
import dev.onfs.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A pipelined write that times out on the client keeps running on the server: without fencing, the rest
 * of it can run after a newer write of the same keys on another connection and store older values (a
 * lost update); with fencing every key ends at the newer value.
 *
 * <p>The abandoned write goes through {@link LostCloseProxy}: on a direct loopback connection the
 * client's close makes Redis drop the rest of the pipeline within about one event-loop turn, and under
 * {@code CLIENT PAUSE WRITE} the whole buffered pipeline runs before the newer write on unpause, so
 * neither loses an update here; a close that never reaches the server (a partition) does.
 */
class RedisWriteFenceIT {
  private static final int ROWS = 2_000;
  private static final List<StoreFeatureGroup> GROUPS = List.of(
      StoreFeatureGroup.withReferenceColumnOrder(1, List.of("seg_0")));
  private static final StoreTable TABLE = new StoreTable("fence_user", "1", "onfs_fence", "fence_user",
      List.of("user_id"), 64);
  private static final String STALL_MILLIS = "1500";
  // Spins for ARGV[1] ms; below the busy-reply threshold, so the server reads nothing until it returns.
  private static final String BUSY_SCRIPT = "local t0 = redis.call('TIME') "
      + "local start = t0[1] * 1000 + math.floor(t0[2] / 1000) local now = start "
      + "while now - start < tonumber(ARGV[1]) do local t = redis.call('TIME') "
      + "now = t[1] * 1000 + math.floor(t[2] / 1000) end return 1";
  private static final int A = 1;
  private static final int B = 2;

  private static RedisServer server;

  @BeforeAll
  static void startServer() {
    server = RedisServer.start(); // own server: the test pauses it
  }

  @AfterAll
  static void closeServer() {
    server.close();
  }

  @Test
  void timedOutWriteIsFencedBeforeItIsReported() throws Exception {
    List<Integer> versions = raceTimedOutWriteAgainstNewerWrite("fenced", true);
    assertThat(versions).hasSize(ROWS).containsOnly(B);
  }

  @Test
  void hashLayoutWriteIsFencedToo() throws Exception {
    List<Integer> versions = raceTimedOutWriteAgainstNewerWrite("hash", true);
    assertThat(versions).hasSize(ROWS).containsOnly(B);
  }

  @Test
  void aFenceThatCannotBeConfirmedReportsUnavailable() throws Exception {
    RedisStoreConfig impatient = RedisStoreConfig.builder()
        .node(server.host(), server.port())
        .connectTimeout(Duration.ofMillis(200))
        .socketTimeout(Duration.ofMillis(200))
        .build();
    EntityKey key = EntityKey.of("unconfirmed");
    try (OnlineStore store = RedisStore.create(impatient); Jedis admin = new Jedis(server.host(), server.port(), 10_000)) {
      store.write(TABLE, GROUPS, rows(List.of(key), A));
      CompletableFuture<Object> stall = CompletableFuture.supplyAsync(() -> admin.eval(BUSY_SCRIPT, 0, "1000"));
      awaitStalled();
      assertThatThrownBy(() -> store.write(TABLE, GROUPS, rows(List.of(key), B)))
          .isInstanceOfSatisfying(OnfsException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            assertThat(e.getMessage()).contains("could not be fenced", "may still be applied later");
          });
      stall.get(15, TimeUnit.SECONDS);
      // The store recovers: the broken connection was discarded, the next write succeeds.
      store.write(TABLE, GROUPS, rows(List.of(key), B));
      ByteRange block = store.read(TABLE, List.of(key), GROUPS).block(0, 0);
      assertThat(block).isNotNull();
      assertThat(TestBlocks.version(block)).isEqualTo(B);
    }
  }

  @Test
  void withoutTheFenceTheTimedOutWriteOverwritesTheNewerOne() throws Exception {
    // Shows that the scenario above really races: the same steps lose updates when nothing is fenced.
    List<Integer> versions = raceTimedOutWriteAgainstNewerWrite("unfenced", false);
    assertThat(versions).hasSize(ROWS).contains(A);
  }

  @Test
  void clientKillRunsWhileWritesArePaused() {
    try (Jedis admin = new Jedis(server.host(), server.port()); Jedis victim = new Jedis(server.host(), server.port())) {
      long id = victim.clientId();
      admin.clientPause(2_000, redis.clients.jedis.args.ClientPauseMode.WRITE);
      try {
        long started = System.nanoTime();
        assertThat(admin.clientKill(new redis.clients.jedis.params.ClientKillParams().id(Long.toString(id))))
            .isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_000));
      } finally {
        admin.clientUnpause();
      }
    }
  }

  /**
   * Stalls the server with a busy script (it reads nothing meanwhile), sends a large write of version A
   * that times out on the client, then writes version B of the same keys in reverse order on another
   * connection. When the stall ends the server reads both connections a chunk at a time, so B's first
   * chunk (A's last keys) runs before the rest of A: unless A was fenced, A's tail ends up stored.
   */
  private List<Integer> raceTimedOutWriteAgainstNewerWrite(String run, boolean fenced) throws Exception {
    List<EntityKey> keys = new ArrayList<>(ROWS);
    for (int i = 0; i < ROWS; i++) {
      keys.add(EntityKey.of(run + "-" + i));
    }
    List<EntityKey> reversed = new ArrayList<>(keys);
    Collections.reverse(reversed);
    try (LostCloseProxy proxy = new LostCloseProxy(server.host(), server.port())) {
      return race(proxy, keys, reversed, fenced);
    }
  }

  private List<Integer> race(LostCloseProxy proxy, List<EntityKey> keys, List<EntityKey> reversed, boolean fenced)
      throws Exception {
    // The timed-out write goes through the proxy: its close does not reach the server (the worst case).
    RedisLayout layout = keys.get(0).get(0).startsWith("hash") ? RedisLayout.HASH : RedisLayout.CSDB;
    RedisStoreConfig fast = config(proxy.port(), Duration.ofMillis(300), layout);
    RedisStoreConfig patient = config(server.port(), Duration.ofSeconds(10), layout);
    try (OnlineStore timingOut = fenced ? RedisStore.create(fast) : RedisStore.createUnfenced(fast);
        OnlineStore retrying = RedisStore.create(patient);
        Jedis admin = new Jedis(server.host(), server.port(), 10_000)) {
      // Warm both pools and script caches so the timed-out write is one pipeline of EVALSHAs.
      timingOut.write(TABLE, GROUPS, rows(keys.subList(0, 1), A));
      retrying.write(TABLE, GROUPS, rows(keys.subList(0, 1), A));
      CompletableFuture<Object> stall = CompletableFuture.supplyAsync(() -> admin.eval(BUSY_SCRIPT, 0, STALL_MILLIS));
      awaitStalled();
      assertThatThrownBy(() -> timingOut.write(TABLE, GROUPS, rows(keys, A)))
          .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_TIMEOUT));
      if (!fenced) {
        // Reported at once; the fenced write instead waits until the server confirms the kill.
        assertThat(stall).as("the timed-out write was reported during the stall").isNotDone();
      }
      retrying.write(TABLE, GROUPS, rows(reversed, B)); // the newer write, waiting behind the stall
      stall.get(15, TimeUnit.SECONDS);
      ReadResult result = retrying.read(TABLE, keys, GROUPS);
      List<Integer> versions = new ArrayList<>(ROWS);
      for (int k = 0; k < ROWS; k++) {
        ByteRange block = result.block(k, 0);
        versions.add(block == null ? 0 : TestBlocks.version(block));
      }
      return versions;
    }
  }

  /** Waits until a PING is no longer answered promptly: the busy script has started. */
  private static void awaitStalled() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (Jedis probe = new Jedis(server.host(), server.port(), 50)) {
        probe.ping();
      } catch (JedisConnectionException e) {
        return;
      }
    }
    throw new AssertionError("the server never stalled");
  }

  private static List<StoreRow> rows(List<EntityKey> keys, int version) {
    List<StoreRow> rows = new ArrayList<>(keys.size());
    for (EntityKey key : keys) {
      rows.add(StoreRow.of(key, TestBlocks.block(key, 1, version, 200)));
    }
    return rows;
  }

  private static RedisStoreConfig config(int port, Duration socketTimeout, RedisLayout layout) {
    return RedisStoreConfig.builder()
        .node(server.host(), port)
        .layout(layout)
        .keyPrefix(layout == RedisLayout.HASH ? "h:" : "")
        // Also the fence's patience: it must outlast the stall to confirm the kill.
        .connectTimeout(Duration.ofSeconds(3))
        .socketTimeout(socketTimeout)
        .poolMaxWait(Duration.ofSeconds(1))
        .build();
  }
}
