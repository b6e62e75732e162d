package dev.onfs.benchmarks.storage;

import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.storage.redis.RedisLayout;
import dev.onfs.storage.redis.RedisMode;
import dev.onfs.storage.redis.RedisStore;
import dev.onfs.storage.redis.RedisStoreConfig;
import dev.onfs.testing.RedisClusterServer;
import dev.onfs.testing.RedisServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/** Redis standalone (CSDB or hash layout) or Redis Cluster, adapter vs hand-written jedis calls. */
final class RedisStorageFixture implements StorageFixture {
  private static final StoreTable TABLE = new StoreTable("bench_user", "1", "", "", PK);
  private static final int[] FG_IDS = GROUPS.stream().mapToInt(g -> g.id()).toArray();
  private static final byte[][] FIELDS = {"1".getBytes(StandardCharsets.US_ASCII),
      "2".getBytes(StandardCharsets.US_ASCII), "3".getBytes(StandardCharsets.US_ASCII)};

  private final RedisStore store;
  private final UnifiedJedis raw;
  private final boolean cluster;
  private final RedisLayout layout;
  private final List<EntityKey> keys = StorageFixture.keys();
  private final byte[][] rawKeys;
  private final ExecutorService clusterSync = Executors.newFixedThreadPool(4);

  RedisStorageFixture(RedisLayout layout, boolean cluster) {
    this.layout = layout;
    this.cluster = cluster;
    RedisStoreConfig.Builder config = RedisStoreConfig.builder().layout(layout).pool(16, 16, 4);
    String prefix = layout == RedisLayout.HASH ? "h:" : "";
    config.keyPrefix(prefix);
    if (cluster) {
      config.mode(RedisMode.CLUSTER);
      Set<HostAndPort> nodes = new HashSet<>();
      for (InetSocketAddress node : RedisClusterServer.shared().nodes()) {
        config.node(node.getHostString(), node.getPort());
        nodes.add(new HostAndPort(node.getHostString(), node.getPort()));
      }
      raw = RedisClusterClient.create(nodes);
    } else {
      RedisServer server = RedisServer.shared();
      config.node(server.host(), server.port());
      raw = RedisClient.builder().hostAndPort(server.host(), server.port()).build();
    }
    store = RedisStore.create(config.build());
    StorageFixture.load(store, TABLE, keys);
    rawKeys = new byte[keys.size()][];
    for (int i = 0; i < keys.size(); i++) {
      rawKeys[i] = (prefix + "bench_user:" + keys.get(i).get(0) + "|" + keys.get(i).get(1))
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  @Override
  public long adapterRead() {
    return StorageFixture.presentBytes(store.read(TABLE, keys, GROUPS));
  }

  @Override
  public long rawRead() {
    if (layout == RedisLayout.HASH) {
      List<Response<List<byte[]>>> responses = new ArrayList<>(rawKeys.length);
      try (AbstractPipeline pipeline = raw.pipelined()) {
        for (byte[] key : rawKeys) {
          responses.add(pipeline.hmget(key, FIELDS));
        }
        pipeline.sync();
      }
      long bytes = 0;
      for (Response<List<byte[]>> response : responses) {
        for (byte[] block : response.get()) {
          bytes += block == null ? 0 : block.length;
        }
      }
      return bytes;
    }
    List<byte[]> values;
    if (cluster) {
      List<Response<byte[]>> responses = new ArrayList<>(rawKeys.length);
      // A shared executor for the per-node syncs, as a careful hand-written client would use.
      try (AbstractPipeline pipeline = ((RedisClusterClient) raw).pipelined(clusterSync)) {
        for (byte[] key : rawKeys) {
          responses.add(pipeline.get(key));
        }
        pipeline.sync();
      }
      values = new ArrayList<>(rawKeys.length);
      for (Response<byte[]> response : responses) {
        values.add(response.get());
      }
    } else {
      values = raw.mget(rawKeys);
    }
    long bytes = 0;
    for (byte[] value : values) {
      if (value != null) {
        bytes += sliceCsdb(value);
      }
    }
    return bytes;
  }

  /** Finds the three feature groups' blocks in a CSDB by hand: version byte, then id/len/bytes entries. */
  private static long sliceCsdb(byte[] v) {
    long bytes = 0;
    int pos = 1;
    while (pos + 4 <= v.length) {
      int id = (v[pos] & 0xFF) | (v[pos + 1] & 0xFF) << 8;
      int len = (v[pos + 2] & 0xFF) | (v[pos + 3] & 0xFF) << 8;
      for (int want : FG_IDS) {
        if (want == id) {
          bytes += len;
        }
      }
      pos += 4 + len;
    }
    return bytes;
  }

  @Override
  public void close() {
    store.close();
    raw.close();
    clusterSync.shutdownNow();
  }
}
