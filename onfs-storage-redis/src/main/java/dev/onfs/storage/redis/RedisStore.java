package dev.onfs.storage.redis;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.BlockExpiry;
import dev.onfs.core.storage.BlockFraming;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.ConditionalRow;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreCapabilities;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.WriteConflict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * An {@link OnlineStore} on Redis, Redis Cluster, Sentinel-managed Redis or Dragonfly. Thread-safe.
 *
 * <p>One {@link #read} is one MGET (standalone, sentinel) or one pipeline of GETs grouped per cluster
 * node (cluster): one round trip per node. A {@link #write} is one pipeline of server-side merge scripts,
 * one per entity, each atomic; a {@link #writeIfUnchanged} the same with scripts that first compare the
 * stored blocks with the expected ones. See {@link RedisLayout} for the two layouts.
 */
public final class RedisStore implements OnlineStore {
  /** The name under which {@link RedisStoreFactory} registers. */
  public static final String NAME = "redis";

  private final RedisStoreConfig config;
  private final UnifiedJedis jedis;
  private final @Nullable RedisClusterClient cluster;
  private final @Nullable ExecutorService clusterPipelineExecutor;
  private final ConnectionProvider provider;
  private final @Nullable ClusterConnectionProvider clusterProvider;
  private final WriteFence fence;
  private final boolean fenceWrites;
  private final StoreCapabilities capabilities;
  private final byte[] prefix;
  private final Clock clock;

  private RedisStore(RedisStoreConfig config, Clock clock, boolean fenceWrites) {
    this.config = config;
    this.fenceWrites = fenceWrites;
    this.clock = clock;
    this.capabilities = new StoreCapabilities(true, config.maxBatchSize(), true, true);
    this.prefix = config.keyPrefix().getBytes(StandardCharsets.UTF_8);
    DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(Math.toIntExact(config.connectTimeout().toMillis()))
        .socketTimeoutMillis(Math.toIntExact(config.socketTimeout().toMillis()))
        .clientName("onfs")
        .database(config.database());
    if (config.user() != null) {
      client.user(config.user());
    }
    if (config.password() != null) {
      client.password(config.password());
    }
    SSLSocketFactory tlsSockets = null;
    if (config.tls() != null) {
      try {
        tlsSockets = config.tls().sslContext().getSocketFactory();
      } catch (OnfsException e) {
        throw new OnfsException(e.code(), "redis store: " + e.getMessage(), e);
      }
      client.ssl(true).sslSocketFactory(tlsSockets).sslParameters(verifyHostname());
    }
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(config.poolMaxTotal());
    pool.setMaxIdle(config.poolMaxIdle());
    pool.setMinIdle(config.poolMinIdle());
    pool.setMaxWait(config.poolMaxWait());
    pool.setBlockWhenExhausted(true);
    pool.setTestWhileIdle(true);
    Set<HostAndPort> nodes = new HashSet<>();
    for (String node : config.nodes()) {
      nodes.add(new HostAndPort(RedisStoreConfig.host(node), RedisStoreConfig.parsePort(node)));
    }
    JedisClientConfig clientConfig = client.build();
    // The fence gets at least the connect timeout to answer: it runs when the node was just slow.
    this.fence = new WriteFence(client
        .clientName("onfs-fence")
        .socketTimeoutMillis(Math.toIntExact(Math.max(config.socketTimeout().toMillis(), config.connectTimeout().toMillis())))
        .build());
    try {
      switch (config.mode()) {
        case STANDALONE -> {
          // The store keeps its providers: writes take connections themselves so they can fence them.
          HostAndPort node = nodes.iterator().next();
          this.provider = new PooledConnectionProvider(node, clientConfig, pool);
          this.clusterProvider = null;
          this.jedis = RedisClient.builder()
              .hostAndPort(node)
              .connectionProvider(provider)
              .clientConfig(clientConfig)
              .build();
          this.cluster = null;
          this.clusterPipelineExecutor = null;
        }
        case SENTINEL -> {
          DefaultJedisClientConfig.Builder sentinelClient = DefaultJedisClientConfig.builder()
              .connectionTimeoutMillis(Math.toIntExact(config.connectTimeout().toMillis()))
              .socketTimeoutMillis(Math.toIntExact(config.socketTimeout().toMillis()));
          if (tlsSockets != null) {
            sentinelClient.ssl(true).sslSocketFactory(tlsSockets).sslParameters(verifyHostname());
          }
          String masterName = requireNonNull(config.masterName(), "masterName is null");
          JedisClientConfig sentinelConfig = sentinelClient.build();
          this.provider = new SentineledConnectionProvider(masterName, clientConfig, pool, nodes, sentinelConfig);
          this.clusterProvider = null;
          this.jedis = RedisSentinelClient.builder()
              .masterName(masterName)
              .sentinels(nodes)
              .sentinelClientConfig(sentinelConfig)
              .connectionProvider(provider)
              .clientConfig(clientConfig)
              .build();
          this.cluster = null;
          this.clusterPipelineExecutor = null;
        }
        case CLUSTER -> {
          ClusterConnectionProvider p = new ClusterConnectionProvider(nodes, clientConfig, pool);
          this.provider = p;
          this.clusterProvider = p;
          RedisClusterClient c = RedisClusterClient.builder()
              .connectionProvider(p)
              .nodes(nodes)
              .clientConfig(clientConfig)
              .maxAttempts(config.clusterMaxAttempts())
              .maxTotalRetriesDuration(config.socketTimeout().multipliedBy(config.clusterMaxAttempts()))
              .build();
          this.jedis = c;
          this.cluster = c;
          this.clusterPipelineExecutor = Executors.newFixedThreadPool(
              Math.max(4, Math.min(16, 2 * Runtime.getRuntime().availableProcessors())), daemonThreads());
        }
        default -> throw new IllegalStateException("unknown mode " + config.mode());
      }
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, "connect to " + config.nodes(), config);
    }
  }

  /** TLS checks that the certificate names the host connected to (jedis leaves that off by default). */
  private static SSLParameters verifyHostname() {
    SSLParameters parameters = new SSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    return parameters;
  }

  /** Connects as configured; fails with STORE_UNAVAILABLE when the servers cannot be reached. */
  public static RedisStore create(RedisStoreConfig config) {
    return create(config, Clock.systemUTC());
  }

  /**
   * As {@link #create(RedisStoreConfig)}, judging block expiry (reads and key TTLs) by {@code clock}:
   * the clock serving uses ({@link dev.onfs.core.serving.OnlineFeatureStoreBuilder#clock}).
   */
  public static RedisStore create(RedisStoreConfig config, Clock clock) {
    return new RedisStore(requireNonNull(config, "config is null"), requireNonNull(clock, "clock is null"), true);
  }

  /** Without fencing abandoned write connections: only for the test that shows the lost update it prevents. */
  static RedisStore createUnfenced(RedisStoreConfig config) {
    return new RedisStore(requireNonNull(config, "config is null"), Clock.systemUTC(), false);
  }

  public RedisStoreConfig config() {
    return config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StoreCapabilities capabilities() {
    return capabilities;
  }

  /** The CSDB layout stores a row's blocks as one value: rows laid out with its framing are not copied. */
  @Override
  public BlockFraming blockFraming() {
    return config.layout() == RedisLayout.CSDB ? Csdb.FRAMING : BlockFraming.NONE;
  }

  @Override
  public ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    capabilities.checkBatchSize(keys.size());
    byte[][] redisKeys = redisKeys(table, keys);
    ReadResult.Builder result = ReadResult.builder(keys, featureGroups);
    if (keys.isEmpty() || featureGroups.isEmpty()) {
      return result.build();
    }
    long now = clock.instant().getEpochSecond();
    try {
      if (config.layout() == RedisLayout.CSDB) {
        readCsdb(redisKeys, featureGroups, result, now);
      } else {
        readHash(redisKeys, featureGroups, result, now);
      }
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, "read of " + keys.size() + " keys of entity '" + table.entityLabel() + "'", config);
    }
    return result.build();
  }

  private void readCsdb(byte[][] redisKeys, List<StoreFeatureGroup> groups, ReadResult.Builder result, long now) {
    List<byte[]> values = getAll(redisKeys);
    int n = groups.size();
    int[] offsets = new int[n];
    int[] lengths = new int[n];
    for (int k = 0; k < values.size(); k++) {
      byte[] value = values.get(k);
      if (value == null) {
        continue;
      }
      Csdb.locate(value, 0, value.length, groups, offsets, lengths);
      for (int f = 0; f < n; f++) {
        // Length 0 is the reference's negative-cache marker: absent.
        if (lengths[f] > 0 && !BlockExpiry.isExpired(value, offsets[f], lengths[f], now)) {
          result.set(k, f, value, offsets[f], lengths[f]);
        }
      }
    }
  }

  /** GET of every key in one round trip per node, values in key order (null when absent). */
  List<byte[]> getAll(byte[][] redisKeys) {
    if (cluster == null) {
      return jedis.mget(redisKeys);
    }
    List<Response<byte[]>> responses = new ArrayList<>(redisKeys.length);
    try (AbstractPipeline pipeline = pipeline()) {
      for (byte[] key : redisKeys) {
        responses.add(pipeline.get(key));
      }
      pipeline.sync();
    }
    List<byte[]> values = new ArrayList<>(redisKeys.length);
    for (Response<byte[]> response : responses) {
      values.add(response.get());
    }
    return values;
  }

  private void readHash(byte[][] redisKeys, List<StoreFeatureGroup> groups, ReadResult.Builder result, long now) {
    byte[][] fields = new byte[groups.size()][];
    for (int f = 0; f < fields.length; f++) {
      fields[f] = field(groups.get(f).id());
    }
    List<Response<List<byte[]>>> responses = new ArrayList<>(redisKeys.length);
    try (AbstractPipeline pipeline = pipeline()) {
      for (byte[] key : redisKeys) {
        responses.add(pipeline.hmget(key, fields));
      }
      pipeline.sync();
    }
    for (int k = 0; k < responses.size(); k++) {
      List<byte[]> blocks = responses.get(k).get();
      for (int f = 0; f < fields.length; f++) {
        byte[] block = blocks.get(f);
        if (block != null && block.length > 0 && !BlockExpiry.isExpired(block, 0, block.length, now)) {
          result.set(k, f, block, 0, block.length);
        }
      }
    }
  }

  @Override
  public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    capabilities.checkBatchSize(rows.size());
    int[] ids = new int[featureGroups.size()];
    for (int f = 0; f < ids.length; f++) {
      ids[f] = featureGroups.get(f).id();
    }
    List<byte[]> keys = new ArrayList<>(rows.size());
    List<List<byte[]>> args = new ArrayList<>(rows.size());
    long nowMillis = clock.millis();
    for (StoreRow row : rows) {
      row.check(table, featureGroups);
      keys.add(redisKey(table, row.key()));
      byte[] ttl = Long.toString(ttlMillis(row.blocks(), nowMillis)).getBytes(StandardCharsets.US_ASCII);
      if (config.layout() == RedisLayout.CSDB) {
        args.add(List.of(Csdb.encode(ids, row.blocks()), ttl));
      } else {
        List<byte[]> a = new ArrayList<>(1 + 2 * ids.length);
        a.add(ttl);
        for (int f = 0; f < ids.length; f++) {
          a.add(field(ids[f]));
          a.add(bytes(row.blocks().get(f)));
        }
        args.add(a);
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    byte[] script = config.layout() == RedisLayout.CSDB ? RedisScripts.MERGE_CSDB_BYTES : RedisScripts.HSET_WITH_TTL_BYTES;
    byte[] sha = config.layout() == RedisLayout.CSDB ? RedisScripts.MERGE_CSDB_SHA : RedisScripts.HSET_WITH_TTL_SHA;
    try {
      runScripts(script, sha, keys, args, null);
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, "write of " + rows.size() + " rows of entity '" + table.entityLabel() + "'", config);
    }
  }

  @Override
  public List<WriteConflict> writeIfUnchanged(
      StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
    capabilities.checkBatchSize(rows.size());
    ConditionalRow.checkAll(table, featureGroups, rows);
    int[] ids = new int[featureGroups.size()];
    for (int f = 0; f < ids.length; f++) {
      ids[f] = featureGroups.get(f).id();
    }
    List<byte[]> keys = new ArrayList<>(rows.size());
    List<List<byte[]>> args = new ArrayList<>(rows.size());
    long nowMillis = clock.millis();
    byte[] empty = new byte[0];
    for (ConditionalRow row : rows) {
      keys.add(redisKey(table, row.key()));
      List<ByteRange> blocks = row.row().blocks();
      byte[] ttl = Long.toString(ttlMillis(blocks, nowMillis)).getBytes(StandardCharsets.US_ASCII);
      if (config.layout() == RedisLayout.CSDB) {
        List<ByteRange> expected = new ArrayList<>(ids.length);
        for (ByteRange block : row.expected()) {
          expected.add(block == null ? ByteRange.of(empty) : block);
        }
        args.add(List.of(Csdb.encode(ids, blocks), ttl, Csdb.encode(ids, expected)));
      } else {
        List<byte[]> a = new ArrayList<>(1 + 3 * ids.length);
        a.add(ttl);
        for (int f = 0; f < ids.length; f++) {
          ByteRange expected = row.expected().get(f);
          a.add(field(ids[f]));
          a.add(expected == null ? empty : bytes(expected));
          a.add(bytes(blocks.get(f)));
        }
        args.add(a);
      }
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    boolean csdb = config.layout() == RedisLayout.CSDB;
    Object[] replies = new Object[rows.size()];
    try {
      runScripts(
          csdb ? RedisScripts.CAS_MERGE_CSDB_BYTES : RedisScripts.CAS_HSET_WITH_TTL_BYTES,
          csdb ? RedisScripts.CAS_MERGE_CSDB_SHA : RedisScripts.CAS_HSET_WITH_TTL_SHA,
          keys, args, replies);
    } catch (RuntimeException e) {
      throw RedisErrors.translate(
          e, "conditional write of " + rows.size() + " rows of entity '" + table.entityLabel() + "'");
    }
    // An integer reply: written. Otherwise the stored blocks the row was compared with.
    List<WriteConflict> conflicts = new ArrayList<>();
    for (int r = 0; r < replies.length; r++) {
      if (replies[r] instanceof Long) {
        continue;
      }
      List<@Nullable ByteRange> held = new ArrayList<>(ids.length);
      if (replies[r] instanceof byte[] heldCsdb) {
        int[] offsets = new int[ids.length];
        int[] lengths = new int[ids.length];
        Csdb.locate(heldCsdb, 0, heldCsdb.length, featureGroups, offsets, lengths);
        for (int f = 0; f < ids.length; f++) {
          held.add(lengths[f] > 0 ? new ByteRange(heldCsdb, offsets[f], lengths[f]) : null);
        }
      } else if (replies[r] instanceof List<?> fields && fields.size() == ids.length) {
        for (Object block : fields) {
          held.add(block instanceof byte[] b && b.length > 0 ? ByteRange.of(b) : null);
        }
      } else {
        throw new OnfsException(ErrorCode.STORE_REJECTED, "redis answered a conditional write of entity '"
            + table.entityLabel() + "' with " + replies[r]);
      }
      conflicts.add(new WriteConflict(r, held));
    }
    return conflicts;
  }

  /**
   * Runs the script for every row by its SHA, and in full on the rows whose node did not have it cached
   * yet (first use, restart, failover); when {@code replies} is given, stores each row's reply there.
   */
  private void runScripts(
      byte[] script, byte[] sha, List<byte[]> keys, List<List<byte[]>> args, Object @Nullable [] replies) {
    List<Integer> retry = runScripts(sha, false, keys, args, null, replies);
    if (!retry.isEmpty()) {
      runScripts(script, true, keys, args, retry, replies);
    }
  }

  private static byte[] bytes(ByteRange block) {
    return block.offset() == 0 && block.length() == block.array().length ? block.array() : block.toByteArray();
  }

  /**
   * Runs the script per row, one pipeline per node (in parallel in a cluster); returns the rows that
   * failed with NOSCRIPT. Every node's pipeline completes or is fenced before this returns or throws.
   */
  private List<Integer> runScripts(byte[] scriptOrSha, boolean full, List<byte[]> keys, List<List<byte[]>> args,
      @Nullable List<Integer> only, Object @Nullable [] replies) {
    int count = only == null ? keys.size() : only.size();
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      rows[i] = only == null ? i : only.get(i);
    }
    if (clusterProvider == null) {
      return runOnNode(null, scriptOrSha, full, keys, args, rows, replies);
    }
    Map<HostAndPort, int[]> byNode = groupByNode(clusterProvider, keys, rows);
    if (byNode.size() == 1) {
      Map.Entry<HostAndPort, int[]> single = byNode.entrySet().iterator().next();
      return runOnNode(single.getKey(), scriptOrSha, full, keys, args, single.getValue(), replies);
    }
    List<Future<List<Integer>>> futures = new ArrayList<>(byNode.size());
    ExecutorService executor = requireNonNull(clusterPipelineExecutor, "executor");
    for (Map.Entry<HostAndPort, int[]> e : byNode.entrySet()) {
      futures.add(executor.submit(() -> runOnNode(e.getKey(), scriptOrSha, full, keys, args, e.getValue(), replies)));
    }
    List<Integer> noScript = new ArrayList<>();
    RuntimeException first = null;
    for (Future<List<Integer>> future : futures) {
      try {
        noScript.addAll(future.get());
      } catch (ExecutionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        first = firstOf(first, cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        first = first == null ? new JedisConnectionException("interrupted while writing", e) : first;
      }
    }
    if (first != null) {
      throw first;
    }
    return noScript;
  }

  /** A fence failure (STORE_UNAVAILABLE) outranks other failures: the caller must know it. */
  private static RuntimeException firstOf(@Nullable RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    return next instanceof OnfsException && !(first instanceof OnfsException) ? next : first;
  }

  /**
   * Returns the connection to its pool, which destroys it when broken (fenced). Destroying a connection
   * to a stalled server can fail; the pool still forgets it, and that failure must not replace the
   * write's own.
   */
  private static void release(Connection connection) {
    try {
      connection.close();
    } catch (RuntimeException e) {
      // Nothing left to release.
    }
  }

  private static Map<HostAndPort, int[]> groupByNode(ClusterConnectionProvider p, List<byte[]> keys, int[] rows) {
    Map<HostAndPort, List<Integer>> lists = new LinkedHashMap<>();
    for (int row : rows) {
      int slot = JedisClusterCRC16.getSlot(keys.get(row));
      HostAndPort node = p.getNode(slot);
      if (node == null) {
        p.renewSlotCache();
        node = p.getNode(slot);
        if (node == null) {
          throw new JedisConnectionException("CLUSTERDOWN no node serves slot " + slot);
        }
      }
      lists.computeIfAbsent(node, n -> new ArrayList<>()).add(row);
    }
    Map<HostAndPort, int[]> out = new LinkedHashMap<>();
    lists.forEach((node, list) -> out.put(node, list.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }

  /**
   * One pipeline on one pooled connection (to {@code node} in a cluster). When the pipeline breaks or
   * times out, the commands already sent may still run on the server after this returns, behind newer
   * writes on other connections: the connection is fenced first (see {@link WriteFence}), then the
   * failure is thrown; a failed fence throws STORE_UNAVAILABLE.
   */
  private List<Integer> runOnNode(@Nullable HostAndPort node, byte[] scriptOrSha, boolean full, List<byte[]> keys,
      List<List<byte[]>> args, int[] rows, Object @Nullable [] replies) {
    Connection connection = node == null
        ? provider.getConnection()
        : requireNonNull(clusterProvider, "clusterProvider").getConnection(node);
    List<Response<Object>> responses = new ArrayList<>(rows.length);
    try {
      long clientId = fence.clientId(connection); // nothing of this write is sent before it is known
      Pipeline pipeline = new Pipeline(connection, false);
      try {
        for (int row : rows) {
          List<byte[]> key = List.of(keys.get(row));
          responses.add(full
              ? pipeline.eval(scriptOrSha, key, args.get(row))
              : pipeline.evalsha(scriptOrSha, key, args.get(row)));
        }
        pipeline.sync();
      } catch (JedisConnectionException e) {
        if (fenceWrites) {
          fence.fence(connection, clientId, "write of " + rows.length + " rows", e);
        }
        throw e;
      }
    } finally {
      release(connection);
    }
    List<Integer> noScript = new ArrayList<>();
    RuntimeException first = null;
    for (int i = 0; i < rows.length; i++) {
      try {
        Object reply = responses.get(i).get();
        if (replies != null) {
          replies[rows[i]] = reply; // rows are disjoint between nodes: no two threads share a slot
        }
      } catch (RuntimeException e) {
        if (!full && RedisErrors.isNoScript(e)) {
          noScript.add(rows[i]);
        } else if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      if (first instanceof JedisRedirectionException && clusterProvider != null) {
        clusterProvider.renewSlotCache(); // slots moved: the caller's retry goes to the new owner
      }
      throw first;
    }
    return noScript;
  }

  @Override
  public void delete(StoreTable table, List<EntityKey> keys) {
    capabilities.checkBatchSize(keys.size());
    byte[][] redisKeys = redisKeys(table, keys);
    if (keys.isEmpty()) {
      return;
    }
    try {
      if (cluster == null) {
        jedis.del(redisKeys);
      } else {
        List<Response<Long>> responses = new ArrayList<>(redisKeys.length);
        try (AbstractPipeline pipeline = pipeline()) {
          for (byte[] key : redisKeys) {
            responses.add(pipeline.del(key));
          }
          pipeline.sync();
        }
        for (Response<Long> response : responses) {
          response.get();
        }
      }
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, "delete of " + keys.size() + " keys of entity '" + table.entityLabel() + "'", config);
    }
  }

  /**
   * PING on a pooled connection (to the master, under Sentinel), or on a connection to every primary of a
   * cluster; each bounded by the socket timeout.
   */
  @Override
  public void ping() {
    if (clusterProvider == null) {
      try (Connection connection = provider.getConnection()) {
        connection.ping();
      } catch (RuntimeException e) {
        throw RedisErrors.translate(e, "ping", config);
      }
      return;
    }
    for (Map.Entry<String, ConnectionPool> primary : clusterProvider.getPrimaryNodes().entrySet()) {
      try (Connection connection = primary.getValue().getResource()) {
        connection.ping();
      } catch (RuntimeException e) {
        try {
          clusterProvider.renewSlotCache(); // after a failover the next ping asks the new primaries
        } catch (RuntimeException renewFailed) {
          e.addSuppressed(renewFailed);
        }
        throw RedisErrors.translate(e, "ping of " + primary.getKey(), config);
      }
    }
  }

  @Override
  public void close() {
    try {
      jedis.close();
    } catch (RuntimeException e) {
      // Closing a pool to a dead server may fail; nothing is left to release.
    } finally {
      if (clusterPipelineExecutor != null) {
        clusterPipelineExecutor.shutdownNow();
      }
    }
  }

  AbstractPipeline pipeline() {
    if (cluster != null) {
      return cluster.pipelined(requireNonNull(clusterPipelineExecutor, "executor"));
    }
    return jedis.pipelined();
  }

  /**
   * The entity key's TTL: the longest block expiry, rounded up to the end of its second; 0 when a block
   * never expires.
   */
  static long ttlMillis(List<ByteRange> blocks, long nowMillis) {
    long latest = BlockExpiry.latestExpiryEpochSecond(blocks);
    return latest == 0 ? 0 : Math.max(1, (latest + 1) * 1000 - nowMillis);
  }

  private byte[][] redisKeys(StoreTable table, List<EntityKey> keys) {
    byte[][] out = new byte[keys.size()][];
    for (int k = 0; k < out.length; k++) {
      out[k] = redisKey(table, keys.get(k));
    }
    return out;
  }

  /** {@code <prefix><entityLabel>:<pk1>|<pk2>...}, UTF-8, as the reference builds it. */
  byte[] redisKey(StoreTable table, EntityKey key) {
    table.checkKey(key);
    String label = table.entityLabel();
    // Fast path for ASCII keys (the common case): one exact-size array, no intermediate String.
    int length = prefix.length + label.length() + key.size();
    boolean ascii = isAscii(label);
    for (int i = 0; i < key.size() && ascii; i++) {
      String v = key.get(i);
      length += v.length();
      ascii = isAscii(v);
    }
    if (ascii) {
      byte[] out = new byte[length];
      System.arraycopy(prefix, 0, out, 0, prefix.length);
      int pos = putAscii(label, out, prefix.length);
      out[pos++] = ':';
      for (int i = 0; i < key.size(); i++) {
        if (i > 0) {
          out[pos++] = '|';
        }
        pos = putAscii(key.get(i), out, pos);
      }
      return out;
    }
    StringBuilder sb = new StringBuilder(label.length() + 16 * key.size());
    sb.append(label).append(':');
    for (int i = 0; i < key.size(); i++) {
      if (i > 0) {
        sb.append('|');
      }
      sb.append(key.get(i));
    }
    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static int putAscii(String s, byte[] out, int pos) {
    for (int i = 0; i < s.length(); i++) {
      out[pos++] = (byte) s.charAt(i);
    }
    return pos;
  }

  private static final byte[][] SMALL_FIELDS = new byte[1024][];

  static {
    for (int i = 0; i < SMALL_FIELDS.length; i++) {
      SMALL_FIELDS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static byte[] field(int featureGroupId) {
    return featureGroupId < SMALL_FIELDS.length
        ? SMALL_FIELDS[featureGroupId]
        : Integer.toString(featureGroupId).getBytes(StandardCharsets.US_ASCII);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "onfs-redis-pipeline-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "RedisStore[" + config.mode() + " " + config.nodes() + ", " + config.layout() + "]";
  }
}
