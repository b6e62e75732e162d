package dev.onfs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

class RedisClusterServerIT {
  @Test
  void clusterServesKeysOnEverySlotRange() {
    RedisClusterServer cluster = RedisClusterServer.shared();
    List<InetSocketAddress> nodes = cluster.nodes();
    assertThat(nodes).hasSize(3);
    for (InetSocketAddress node : nodes) {
      try (Jedis jedis = new Jedis(node.getHostString(), node.getPort())) {
        assertThat(jedis.clusterInfo()).contains("cluster_state:ok");
      }
    }

    Set<HostAndPort> seeds = new HashSet<>();
    nodes.forEach(node -> seeds.add(new HostAndPort(node.getHostString(), node.getPort())));
    Set<Integer> slotOwners = new HashSet<>();
    try (JedisCluster jedis = new JedisCluster(seeds)) {
      for (int i = 0; i < 30; i++) {
        String key = "onfs:cluster:" + i;
        jedis.set(key, "v" + i);
        assertThat(jedis.get(key)).isEqualTo("v" + i);
        slotOwners.add(ownerIndex(JedisClusterCRC16.getSlot(key)));
      }
    }
    // Thirty keys spread over all three masters' slot ranges.
    assertThat(slotOwners).containsExactlyInAnyOrder(0, 1, 2);
    for (InetSocketAddress node : nodes) {
      try (Jedis jedis = new Jedis(node.getHostString(), node.getPort())) {
        assertThat(jedis.dbSize()).isPositive();
      }
    }
  }

  // redis-cli splits the 16384 slots into three contiguous ranges.
  private static int ownerIndex(int slot) {
    return slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;
  }
}
