package dev.onfs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RedisSnapshotIT {
  private static final int DATABASE = 9;

  @Test
  void tellsAddedChangedAndRemovedKeysAndPutsTheDatabaseBack() {
    try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
      jedis.select(DATABASE);
      jedis.set("kept", "1");
      jedis.set("changed", "before");
      jedis.set("removed", "x");
      jedis.hset("hash", "f", "v");
      jedis.set("expiring", "soon");
      jedis.pexpire("expiring", 600_000);
      jedis.select(0);
      jedis.set("other-database", "untouched");
      jedis.select(DATABASE);
      RedisSnapshot before = RedisSnapshot.take(redis, DATABASE);
      assertThat(before.size()).isEqualTo(5);
      assertThat(RedisSnapshot.take(redis, DATABASE).differencesFrom(before)).isEmpty();

      jedis.set("changed", "after");
      jedis.del("removed");
      jedis.set("added\u0000\n", "new");
      RedisSnapshot after = RedisSnapshot.take(redis, DATABASE);
      assertThat(after.differencesFrom(before)).containsExactly(
          "1 key(s) added: 'added\\x00\\x0A'", "1 key(s) changed: 'changed'", "1 key(s) removed: 'removed'");
      assertThat(after.without(key -> key.startsWith("added")).differencesFrom(before))
          .containsExactly("1 key(s) changed: 'changed'", "1 key(s) removed: 'removed'");

      before.restore(redis);
      assertThat(RedisSnapshot.take(redis, DATABASE).differencesFrom(before)).isEmpty();
      assertThat(jedis.get("changed")).isEqualTo("before");
      assertThat(jedis.hget("hash", "f")).isEqualTo("v");
      assertThat(jedis.pttl("expiring")).isBetween(1L, 600_000L);
      assertThat(jedis.pttl("kept")).isEqualTo(-1L);

      RedisSnapshot.empty(DATABASE).restore(redis);
      assertThat(RedisSnapshot.take(redis, DATABASE).size()).isZero();
      jedis.select(0);
      assertThat(jedis.get("other-database")).isEqualTo("untouched");
    }
  }
}
