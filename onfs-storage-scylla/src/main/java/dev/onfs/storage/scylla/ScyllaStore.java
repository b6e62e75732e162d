package dev.onfs.storage.scylla;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.BlockExpiry;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.SchemaManager;
import dev.onfs.core.storage.StoreCapabilities;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * An {@link OnlineStore} on ScyllaDB or Cassandra in the reference's table layout. Thread-safe.
 *
 * <p>A read runs one prepared single-partition SELECT per key, all in parallel (up to
 * {@link ScyllaStoreConfig#maxConcurrentRequests()} in flight), routed token-aware by the driver. A write
 * runs one prepared INSERT per row carrying every column of the written feature groups, so a shorter
 * block never leaves a stale tail and one entity's feature groups appear together (a single-partition
 * write is atomic and isolated). Statements are prepared once and cached.
 */
public final class ScyllaStore implements OnlineStore {
  /** The name under which {@link ScyllaStoreFactory} registers. */
  public static final String NAME = "scylla";

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  // system.local lives on every node (local strategy), so any consistency level is met by the node asked.
  private static final SimpleStatement PING = SimpleStatement.newInstance("SELECT release_version FROM system.local")
      .setConsistencyLevel(DefaultConsistencyLevel.ONE)
      .setIdempotent(true);

  private final ScyllaStoreConfig config;
  private final CqlSession session;
  private final StoreCapabilities capabilities;
  private final ConcurrentMap<String, CompletableFuture<PreparedStatement>> statements = new ConcurrentHashMap<>();
  private final Clock clock = Clock.systemUTC();

  private ScyllaStore(ScyllaStoreConfig config, CqlSession session) {
    this.config = config;
    this.session = session;
    this.capabilities = new StoreCapabilities(true, config.maxBatchSize(), true);
  }

  /** Connects as configured; fails with STORE_UNAVAILABLE when no contact point answers. */
  public static ScyllaStore create(ScyllaStoreConfig config) {
    requireNonNull(config, "config is null");
    DriverConfigLoader loader = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, config.requestTimeout())
        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, config.connectTimeout())
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, config.connectTimeout())
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, config.connectTimeout())
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, config.requestTimeout().multipliedBy(5))
        .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, config.connectionsPerNode())
        .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, config.reconnectBaseDelay())
        .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(30))
        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, config.readConsistency().name())
        .withString(DefaultDriverOption.SESSION_NAME, "onfs")
        .build();
    CqlSessionBuilder builder = CqlSession.builder()
        .withConfigLoader(loader)
        .withLocalDatacenter(config.localDatacenter());
    for (String point : config.contactPoints()) {
      builder.addContactPoint(
          InetSocketAddress.createUnresolved(ScyllaStoreConfig.host(point), ScyllaStoreConfig.port(point)));
    }
    if (config.username() != null) {
      builder.withAuthCredentials(config.username(), requireNonNull(config.password(), "password"));
    }
    if (config.tls() != null) {
      SSLContext context;
      try {
        context = config.tls().sslContext();
      } catch (OnfsException e) {
        throw new OnfsException(e.code(), "scylla store: " + e.getMessage(), e);
      }
      // The driver's default leaves host names unchecked; a certificate must name the node it came from.
      builder.withSslEngineFactory(new ProgrammaticSslEngineFactory(context, null, true));
    }
    try {
      return new ScyllaStore(config, builder.build());
    } catch (RuntimeException e) {
      throw ScyllaErrors.translateConnect(e, config);
    }
  }

  public ScyllaStoreConfig config() {
    return config;
  }

  /** DDL helpers on this store's session (create keyspace/table, add segment columns). */
  public ScyllaSchema schema() {
    return new ScyllaSchema(session);
  }

  @Override
  public Optional<SchemaManager> schemaManager() {
    return Optional.of(schema());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StoreCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    return join(readAsync(table, keys, featureGroups));
  }

  @Override
  public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    join(writeAsync(table, featureGroups, rows));
  }

  @Override
  public void delete(StoreTable table, List<EntityKey> keys) {
    join(deleteAsync(table, keys));
  }

  @Override
  public CompletionStage<ReadResult> readAsync(
      StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    try {
      return startRead(table, keys, featureGroups);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> writeAsync(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    try {
      return startWrite(table, featureGroups, rows);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> deleteAsync(StoreTable table, List<EntityKey> keys) {
    try {
      return startDelete(table, keys);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletionStage<ReadResult> startRead(
      StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    capabilities.checkBatchSize(keys.size());
    String target = target(table);
    for (EntityKey key : keys) {
      table.checkKey(key);
    }
    ReadResult.Builder result = ReadResult.builder(keys, featureGroups);
    // Distinct columns of all requested feature groups, and each group's column positions in order.
    Map<String, Integer> columns = new LinkedHashMap<>();
    int[][] groupColumns = new int[featureGroups.size()][];
    for (int f = 0; f < featureGroups.size(); f++) {
      List<String> cols = columnsOf(table, featureGroups.get(f));
      groupColumns[f] = new int[cols.size()];
      for (int c = 0; c < cols.size(); c++) {
        groupColumns[f][c] = columns.computeIfAbsent(cols.get(c), name -> columns.size());
      }
    }
    if (keys.isEmpty() || featureGroups.isEmpty()) {
      return CompletableFuture.completedFuture(result.build());
    }
    String cql = "SELECT " + String.join(",", columns.keySet()) + " FROM " + target + " WHERE "
        + String.join(" = ? AND ", table.primaryKeyColumns()) + " = ?";
    long now = clock.instant().getEpochSecond();
    String what = "read of " + keys.size() + " keys from " + target;
    return prepared(cql)
        .thenCompose(ps -> runAll(keys.size(), k -> session
            .executeAsync(bind(ps, keys.get(k)).setConsistencyLevel(config.readConsistency()))
            .thenAccept(rs -> fill(result, k, rs, groupColumns, now))))
        .handle((ignored, error) -> {
          if (error != null) {
            throw new CompletionException(ScyllaErrors.translate(error, what));
          }
          return result.build();
        });
  }

  private static void fill(ReadResult.Builder result, int k, AsyncResultSet rs, int[][] groupColumns, long now) {
    Row row = rs.one();
    if (row == null) {
      return;
    }
    for (int f = 0; f < groupColumns.length; f++) {
      int[] cols = groupColumns[f];
      int total = 0;
      ByteBuffer single = null;
      int parts = 0;
      for (int col : cols) {
        ByteBuffer part = row.getBytesUnsafe(col);
        if (part != null && part.remaining() > 0) {
          total += part.remaining();
          single = part;
          parts++;
        }
      }
      if (total == 0) {
        continue;
      }
      byte[] array;
      int offset;
      if (parts == 1 && single.hasArray()) {
        array = single.array(); // the driver's own copy of the cell: no further copy
        offset = single.arrayOffset() + single.position();
      } else {
        array = new byte[total];
        offset = 0;
        int pos = 0;
        for (int col : cols) {
          ByteBuffer part = row.getBytesUnsafe(col);
          if (part != null && part.remaining() > 0) {
            int n = part.remaining();
            part.duplicate().get(array, pos, n);
            pos += n;
          }
        }
      }
      if (!BlockExpiry.isExpired(array, offset, total, now)) {
        result.set(k, f, array, offset, total);
      }
    }
  }

  private CompletionStage<Void> startWrite(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    capabilities.checkBatchSize(rows.size());
    String target = target(table);
    List<String> columns = new ArrayList<>();
    for (StoreFeatureGroup group : featureGroups) {
      columns.addAll(columnsOf(table, group));
    }
    for (StoreRow row : rows) {
      row.check(table, featureGroups);
    }
    if (rows.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    String insert = "INSERT INTO " + target + " (" + String.join(",", table.primaryKeyColumns()) + ","
        + String.join(",", columns) + ") VALUES (" + "?,".repeat(table.primaryKeyColumns().size() + columns.size() - 1)
        + "?)";
    long nowMillis = clock.millis();
    String what = "write of " + rows.size() + " rows to " + target;
    CompletableFuture<PreparedStatement> plain = prepared(insert);
    CompletableFuture<PreparedStatement> withTtl = config.blockTtl() ? prepared(insert + " USING TTL ?") : plain;
    return CompletableFuture.allOf(plain, withTtl)
        .thenCompose(ignored -> runAll(rows.size(), r -> {
          StoreRow row = rows.get(r);
          int ttl = config.blockTtl() ? ttlSeconds(row.blocks(), nowMillis) : 0;
          int pkCount = table.primaryKeyColumns().size();
          Object[] values = new Object[pkCount + columns.size() + (ttl > 0 ? 1 : 0)];
          for (int i = 0; i < pkCount; i++) {
            values[i] = row.key().get(i);
          }
          int i = pkCount;
          for (int f = 0; f < featureGroups.size(); f++) {
            int count = featureGroups.get(f).columns().size();
            for (ByteRange piece : segments(row.blocks().get(f), count, table.maxColumnSizeBytes())) {
              values[i++] = piece.length() == 0
                  ? EMPTY
                  : ByteBuffer.wrap(piece.array(), piece.offset(), piece.length()).slice();
            }
          }
          if (ttl > 0) {
            values[i] = ttl;
          }
          BoundStatement bound = (ttl > 0 ? withTtl : plain).join().bind(values);
          return session.executeAsync(bound.setConsistencyLevel(config.writeConsistency()));
        }))
        .handle((ignored, error) -> {
          if (error != null) {
            throw new CompletionException(ScyllaErrors.translate(error, what));
          }
          return null;
        });
  }

  private CompletionStage<Void> startDelete(StoreTable table, List<EntityKey> keys) {
    capabilities.checkBatchSize(keys.size());
    String target = target(table);
    for (EntityKey key : keys) {
      table.checkKey(key);
    }
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    String cql = "DELETE FROM " + target + " WHERE " + String.join(" = ? AND ", table.primaryKeyColumns()) + " = ?";
    String what = "delete of " + keys.size() + " keys from " + target;
    return prepared(cql)
        .thenCompose(ps -> runAll(keys.size(), k -> session.executeAsync(
            bind(ps, keys.get(k)).setConsistencyLevel(config.writeConsistency()))))
        .handle((ignored, error) -> {
          if (error != null) {
            throw new CompletionException(ScyllaErrors.translate(error, what));
          }
          return null;
        });
  }

  /**
   * Splits a block over {@code columnCount} columns: pieces of {@code maxColumnSize} bytes in column
   * order, the last column taking whatever remains (the reference's reader joins all columns, so an
   * oversized block still reads back whole); unused columns get an empty piece, so no stale piece of an
   * older, longer block survives.
   */
  static List<ByteRange> segments(ByteRange block, int columnCount, int maxColumnSize) {
    List<ByteRange> out = new ArrayList<>(columnCount);
    int start = 0;
    for (int c = 0; c < columnCount; c++) {
      int end = c == columnCount - 1 ? block.length() : Math.min(block.length(), start + maxColumnSize);
      out.add(new ByteRange(block.array(), block.offset() + start, end - start));
      start = end;
    }
    return out;
  }

  /** Seconds until the longest block expiry, rounded up; 0 when a block never expires. */
  static int ttlSeconds(List<ByteRange> blocks, long nowMillis) {
    long latest = BlockExpiry.latestExpiryEpochSecond(blocks);
    if (latest == 0) {
      return 0;
    }
    long millis = (latest + 1) * 1000 - nowMillis;
    return (int) Math.max(1, (millis + 999) / 1000);
  }

  private static BoundStatement bind(PreparedStatement ps, EntityKey key) {
    // One bind call: each setter on an immutable BoundStatement would copy it.
    return ps.bind(key.values().toArray());
  }

  /** Runs {@code task(0..n-1)}, at most maxConcurrentRequests at a time; fails fast on the first error. */
  private CompletableFuture<Void> runAll(int n, IntFunction<CompletionStage<?>> task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger remaining = new AtomicInteger(n);
    int window = Math.min(n, config.maxConcurrentRequests());
    for (int i = 0; i < window; i++) {
      launch(n, task, next, remaining, done);
    }
    return done;
  }

  private static void launch(
      int n, IntFunction<CompletionStage<?>> task, AtomicInteger next, AtomicInteger remaining,
      CompletableFuture<Void> done) {
    int i = next.getAndIncrement();
    if (i >= n || done.isDone()) {
      return;
    }
    CompletionStage<?> stage;
    try {
      stage = task.apply(i);
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      return;
    }
    stage.whenComplete((ignored, error) -> {
      if (error != null) {
        done.completeExceptionally(error);
      } else if (remaining.decrementAndGet() == 0) {
        done.complete(null);
      } else {
        launch(n, task, next, remaining, done);
      }
    });
  }

  private CompletableFuture<PreparedStatement> prepared(String cql) {
    CompletableFuture<PreparedStatement> cached = statements.get(cql);
    if (cached != null && !cached.isCompletedExceptionally()) {
      return cached;
    }
    CompletableFuture<PreparedStatement> fresh = session.prepareAsync(cql).toCompletableFuture();
    if (cached == null) {
      CompletableFuture<PreparedStatement> raced = statements.putIfAbsent(cql, fresh);
      return raced != null ? raced : fresh;
    }
    // A failed preparation (server down, column not yet added) is retried on the next call.
    statements.replace(cql, cached, fresh);
    return fresh;
  }

  private static String target(StoreTable table) {
    identifier("keyspace", table.keyspace(), table);
    identifier("table", table.table(), table);
    for (String pk : table.primaryKeyColumns()) {
      identifier("primary-key column", pk, table);
    }
    return table.keyspace() + "." + table.table();
  }

  private static List<String> columnsOf(StoreTable table, StoreFeatureGroup group) {
    if (group.columns().isEmpty()) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT,
          "feature group " + group.id() + " of entity '" + table.entityLabel() + "' has no columns in "
              + table.keyspace() + "." + table.table());
    }
    for (String column : group.columns()) {
      identifier("column", column, table);
    }
    return group.columns();
  }

  static void identifier(String kind, String name, StoreTable table) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT,
          kind + " name '" + name + "' of entity '" + table.entityLabel() + "' is not a plain CQL identifier");
    }
  }

  private static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      Throwable cause = ScyllaErrors.unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw ScyllaErrors.translate(runtime, "request");
      }
      throw e;
    }
  }

  /** Reads one node's own version row: answered by any live node, bounded by the request timeout. */
  @Override
  public void ping() {
    try {
      session.execute(PING);
    } catch (RuntimeException e) {
      throw ScyllaErrors.translate(e, "ping");
    }
  }

  @Override
  public void close() {
    session.close();
  }

  @Override
  public String toString() {
    return "ScyllaStore[" + config.contactPoints() + ", dc " + config.localDatacenter() + "]";
  }
}
