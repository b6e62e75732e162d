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
import com.datastax.oss.driver.api.core.servererrors.CASWriteUnknownException;
import com.datastax.oss.driver.api.core.servererrors.DefaultWriteType;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.BlockExpiry;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.ConditionalRow;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.SchemaManager;
import dev.onfs.core.storage.StoreCapabilities;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.WriteConflict;
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
import org.jspecify.annotations.Nullable;

/**
 * An {@link OnlineStore} on ScyllaDB or Cassandra in the reference's table layout. Thread-safe.
 *
 * <p>A read runs one prepared single-partition SELECT per key, all in parallel (up to
 * {@link ScyllaStoreConfig#maxConcurrentRequests()} in flight), routed token-aware by the driver. A write
 * runs one prepared INSERT per row carrying every column of the written feature groups, so a shorter
 * block never leaves a stale tail and one entity's feature groups appear together (a single-partition
 * write is atomic and isolated). A {@link #writeIfUnchanged} runs one lightweight transaction (Paxos)
 * per row. Statements are prepared once and cached.
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
  private final Clock clock;

  private ScyllaStore(ScyllaStoreConfig config, CqlSession session, Clock clock) {
    this.config = config;
    this.session = session;
    this.clock = clock;
    this.capabilities = new StoreCapabilities(true, config.maxBatchSize(), true, true);
  }

  /** Connects as configured; fails with STORE_UNAVAILABLE when no contact point answers. */
  public static ScyllaStore create(ScyllaStoreConfig config) {
    return create(config, Clock.systemUTC());
  }

  /**
   * As {@link #create(ScyllaStoreConfig)}, judging block expiry (reads and cell TTLs) by {@code clock}:
   * the clock serving uses ({@link dev.onfs.core.serving.OnlineFeatureStoreBuilder#clock}).
   */
  public static ScyllaStore create(ScyllaStoreConfig config, Clock clock) {
    requireNonNull(config, "config is null");
    requireNonNull(clock, "clock is null");
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
        // ScyllaDB speaks protocol v4 at most. Against Cassandra 5, v5's segment framing broke under a
        // load of concurrent lightweight transactions (responses decoded misaligned, the connection
        // dropped); v4 does not frame in segments.
        .withString(DefaultDriverOption.PROTOCOL_VERSION, "V4")
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
      return new ScyllaStore(config, builder.build(), clock);
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
  public List<WriteConflict> writeIfUnchanged(
      StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
    CompletionStage<List<WriteConflict>> stage;
    try {
      stage = startConditionalWrite(inKeyspace(table), featureGroups, rows);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return join(stage);
  }

  @Override
  public CompletionStage<ReadResult> readAsync(
      StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    try {
      return startRead(inKeyspace(table), keys, featureGroups);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> writeAsync(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    try {
      return startWrite(inKeyspace(table), featureGroups, rows);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> deleteAsync(StoreTable table, List<EntityKey> keys) {
    try {
      return startDelete(inKeyspace(table), keys);
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
      if (parts == 1 && single != null && single.hasArray()) {
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

  /**
   * One lightweight transaction per row, all in parallel: {@code UPDATE ... SET <columns> WHERE <key> IF
   * <column> = <expected piece> AND ...}, the expected block split across the columns as a write splits
   * it (all null when none is expected). A row whose columns hold the expected blocks in another split
   * (null where a write leaves an empty piece, or a split from before the group had more columns) is
   * retried once with the pieces the store reported. A transaction that times out (Paxos contention)
   * has an unknown outcome: a serial read then tells whether it was applied, and what the row holds if not.
   */
  private CompletionStage<List<WriteConflict>> startConditionalWrite(
      StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
    capabilities.checkBatchSize(rows.size());
    String target = target(table);
    List<String> columns = new ArrayList<>();
    for (StoreFeatureGroup group : featureGroups) {
      columns.addAll(columnsOf(table, group));
    }
    ConditionalRow.checkAll(table, featureGroups, rows);
    if (rows.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    String where = " WHERE " + String.join(" = ? AND ", table.primaryKeyColumns()) + " = ?";
    String update = " SET " + String.join(" = ?, ", columns) + " = ?" + where + " IF "
        + String.join(" = ? AND ", columns) + " = ?";
    long nowMillis = clock.millis();
    String what = "conditional write of " + rows.size() + " rows to " + target;
    CompletableFuture<PreparedStatement> plain = prepared("UPDATE " + target + update);
    CompletableFuture<PreparedStatement> withTtl =
        config.blockTtl() ? prepared("UPDATE " + target + " USING TTL ?" + update) : plain;
    CompletableFuture<PreparedStatement> select = prepared("SELECT " + String.join(",", columns) + " FROM " + target + where);
    WriteConflict[] conflicts = new WriteConflict[rows.size()];
    return CompletableFuture.allOf(plain, withTtl, select)
        .thenCompose(ignored -> runAll(rows.size(), r -> {
          ConditionalRow row = rows.get(r);
          int ttl = config.blockTtl() ? ttlSeconds(row.row().blocks(), nowMillis) : 0;
          Cas cas = new Cas(table, featureGroups, columns, (ttl > 0 ? withTtl : plain).join(), select.join(), ttl, row);
          List<@Nullable ByteBuffer> expected = new ArrayList<>(columns.size());
          for (int f = 0; f < featureGroups.size(); f++) {
            ByteRange block = row.expected().get(f);
            int count = featureGroups.get(f).columns().size();
            if (block == null) {
              for (int c = 0; c < count; c++) {
                expected.add(null);
              }
            } else {
              for (ByteRange piece : segments(block, count, table.maxColumnSizeBytes())) {
                expected.add(buffer(piece));
              }
            }
          }
          return compareAndSet(cas, expected, true)
              .thenAccept(held -> {
                if (held != null) {
                  conflicts[r] = new WriteConflict(r, held);
                }
              });
        }))
        .handle((ignored, error) -> {
          if (error != null) {
            throw new CompletionException(ScyllaErrors.translate(error, what));
          }
          List<WriteConflict> out = new ArrayList<>();
          for (WriteConflict c : conflicts) {
            if (c != null) {
              out.add(c);
            }
          }
          return out;
        });
  }

  /** One row's conditional write: its statements and values. */
  private record Cas(
      StoreTable table,
      List<StoreFeatureGroup> featureGroups,
      List<String> columns,
      PreparedStatement update,
      PreparedStatement serialSelect,
      int ttl,
      ConditionalRow row) {}

  /** Serial reads tried after a transaction timed out, before the write fails as timed out. */
  private static final int SERIAL_READS = 3;

  /**
   * Runs one row's transaction; completes with null when applied, else with the blocks the columns held.
   *
   * @param expected the condition value of each column, in column order (null: the column is null)
   */
  private CompletionStage<@Nullable List<@Nullable ByteRange>> compareAndSet(
      Cas cas, List<@Nullable ByteBuffer> expected, boolean mayRetry) {
    StoreTable table = cas.table;
    int pkCount = table.primaryKeyColumns().size();
    Object[] values = new Object[(cas.ttl > 0 ? 1 : 0) + 2 * cas.columns.size() + pkCount];
    int i = 0;
    if (cas.ttl > 0) {
      values[i++] = cas.ttl;
    }
    for (int f = 0; f < cas.featureGroups.size(); f++) {
      int count = cas.featureGroups.get(f).columns().size();
      for (ByteRange piece : segments(cas.row.row().blocks().get(f), count, table.maxColumnSizeBytes())) {
        values[i++] = piece.length() == 0 ? EMPTY : buffer(piece);
      }
    }
    for (int k = 0; k < pkCount; k++) {
      values[i++] = cas.row.key().get(k);
    }
    for (ByteBuffer condition : expected) {
      values[i++] = condition;
    }
    BoundStatement bound = cas.update.bind(values).setConsistencyLevel(config.writeConsistency());
    return session.executeAsync(bound)
        .thenCompose(rs -> {
          if (rs.wasApplied()) {
            return CompletableFuture.<@Nullable List<@Nullable ByteRange>>completedFuture(null);
          }
          // The failed transaction's row holds the condition columns as the store had them (none if no row).
          List<@Nullable ByteBuffer> pieces = pieces(cas, rs.one());
          List<@Nullable ByteRange> held = blocks(cas, pieces);
          if (mayRetry && sameBlocks(held, cas.row.expected())) {
            return compareAndSet(cas, pieces, false);
          }
          return CompletableFuture.completedFuture(held);
        })
        .exceptionallyCompose(error -> isCasTimeout(ScyllaErrors.unwrap(error))
            ? resolveBySerialRead(cas, SERIAL_READS, error)
            : CompletableFuture.failedFuture(error));
  }

  /**
   * After a transaction timed out: reads the row at serial consistency, which completes any transaction
   * still in flight, and answers null when it holds the row's new blocks (applied), else what it holds.
   */
  private CompletionStage<@Nullable List<@Nullable ByteRange>> resolveBySerialRead(
      Cas cas, int attempts, Throwable timeout) {
    BoundStatement read = bind(cas.serialSelect, cas.row.key()).setConsistencyLevel(DefaultConsistencyLevel.SERIAL);
    return session.executeAsync(read)
        .thenApply(rs -> {
          List<@Nullable ByteRange> held = blocks(cas, pieces(cas, rs.one()));
          return sameBlocks(held, cas.row.row().blocks()) ? null : held;
        })
        .exceptionallyCompose(error -> {
          Throwable cause = ScyllaErrors.unwrap(error);
          boolean timedOut = cause instanceof ReadTimeoutException || isCasTimeout(cause);
          if (timedOut && attempts > 1) {
            return resolveBySerialRead(cas, attempts - 1, timeout);
          }
          timeout.addSuppressed(error);
          return CompletableFuture.failedFuture(timeout);
        });
  }

  private static boolean isCasTimeout(Throwable e) {
    return e instanceof CASWriteUnknownException
        || (e instanceof WriteTimeoutException w && w.getWriteType() == DefaultWriteType.CAS);
  }

  /** The condition columns of a result row, in column order; all null when there is no row. */
  private static List<@Nullable ByteBuffer> pieces(Cas cas, @Nullable Row current) {
    List<@Nullable ByteBuffer> pieces = new ArrayList<>(cas.columns.size());
    for (String column : cas.columns) {
      pieces.add(current != null && current.getColumnDefinitions().contains(column)
          ? current.getBytesUnsafe(column) : null);
    }
    return pieces;
  }

  /** Each feature group's block from its columns' pieces (null when none). */
  private static List<@Nullable ByteRange> blocks(Cas cas, List<@Nullable ByteBuffer> pieces) {
    List<@Nullable ByteRange> blocks = new ArrayList<>(cas.featureGroups.size());
    int at = 0;
    for (StoreFeatureGroup group : cas.featureGroups) {
      int count = group.columns().size();
      blocks.add(join(pieces.subList(at, at + count)));
      at += count;
    }
    return blocks;
  }

  private static boolean sameBlocks(List<@Nullable ByteRange> a, List<? extends @Nullable ByteRange> b) {
    for (int f = 0; f < a.size(); f++) {
      ByteRange x = a.get(f);
      ByteRange y = b.get(f);
      if (x == null ? y != null : y == null || !x.contentEquals(y)) {
        return false;
      }
    }
    return true;
  }

  /** The block the pieces of one feature group's columns make, or null when they are all null or empty. */
  private static @Nullable ByteRange join(List<@Nullable ByteBuffer> pieces) {
    int total = 0;
    for (ByteBuffer piece : pieces) {
      total += piece == null ? 0 : piece.remaining();
    }
    if (total == 0) {
      return null;
    }
    byte[] block = new byte[total];
    int pos = 0;
    for (ByteBuffer piece : pieces) {
      if (piece != null) {
        int n = piece.remaining();
        piece.duplicate().get(block, pos, n);
        pos += n;
      }
    }
    return ByteRange.of(block);
  }

  private static ByteBuffer buffer(ByteRange piece) {
    return ByteBuffer.wrap(piece.array(), piece.offset(), piece.length()).slice();
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

  /**
   * The table in this store's configured keyspace when it names none: the serving layer builds tables
   * from the registry, whose store config has no keyspace.
   */
  private StoreTable inKeyspace(StoreTable table) {
    if (!table.keyspace().isEmpty() || config.keyspace().isEmpty()) {
      return table;
    }
    return new StoreTable(table.entityLabel(), table.storeId(), config.keyspace(), table.table(),
        table.primaryKeyColumns(), table.maxColumnSizeBytes());
  }

  private static String target(StoreTable table) {
    if (table.keyspace().isEmpty()) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "no keyspace for table '" + table.table() + "' of entity '"
          + table.entityLabel() + "': set the scylla store setting 'keyspace'");
    }
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
