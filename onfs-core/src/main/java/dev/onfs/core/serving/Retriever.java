package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.cache.NearCache;
import dev.onfs.core.codec.PsdbCompression;
import dev.onfs.core.codec.PsdbReader;
import dev.onfs.core.metrics.OnfsStatsRecorder;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.types.DataType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Answers retrieve queries: validates the query against the registry, reads every (unique key x
 * feature group) cell in one store read per store (after the near cache), and fills each requested
 * column with the stored value or the registry default.
 */
final class Retriever {
  private final ServingSchema.Source schemas;
  private final Function<String, OnlineStore> stores;
  private final @Nullable NearCache nearCache;
  private final Clock clock;
  private final OnfsStatsRecorder stats;
  private final RequestChecks checks;
  private final ThreadLocal<PsdbReader> readers;

  Retriever(
      ServingSchema.Source schemas,
      Function<String, OnlineStore> stores,
      @Nullable NearCache nearCache,
      Clock clock,
      OnfsStatsRecorder stats,
      RequestChecks checks) {
    this.schemas = requireNonNull(schemas, "schemas is null");
    this.stores = requireNonNull(stores, "stores is null");
    this.nearCache = nearCache;
    this.clock = requireNonNull(clock, "clock is null");
    this.stats = requireNonNull(stats, "stats is null");
    this.checks = requireNonNull(checks, "checks is null");
    this.readers = ThreadLocal.withInitial(() -> PsdbReader.create(clock));
  }

  RetrieveResult retrieve(RetrieveQuery query) {
    long start = System.nanoTime();
    try {
      Plan plan = plan(query, false);
      ResultCells cells = read(plan);
      // Every row's cells are a range of the result's cells; duplicate rows share their key's range.
      int columns = plan.columns.length;
      ResultColumns schema = ResultColumns.of(plan.featureSchemas);
      List<RetrieveResult.Row> rows = new ArrayList<>(query.keys().size());
      for (int r = 0; r < query.keys().size(); r++) {
        int u = plan.uniqueIndexOfRow[r];
        rows.add(new RetrieveResult.Row(query.keys().get(r).cols(), cells.arrays, null, cells.offsets, cells.lengths,
            u * columns, columns, plan.defaults[u], schema));
      }
      stats.recordRetrieve(query.entityLabel(), rows.size(), System.nanoTime() - start);
      return new RetrieveResult(query.entityLabel(), query.keysSchema(), plan.featureSchemas, rows);
    } catch (OnfsException e) {
      stats.recordError(query.entityLabel(), e.code().name());
      throw e;
    }
  }

  DecodedResult retrieveDecoded(RetrieveQuery query) {
    long start = System.nanoTime();
    try {
      Plan plan = plan(query, true);
      ResultCells cells = read(plan);
      int columns = plan.columns.length;
      String[] defaultTexts = requireNonNull(plan.defaultTexts);
      int[] stringVectorCounts = requireNonNull(plan.stringVectorCounts);
      // String vector cells do not say how many elements they hold; keep the count they were built with.
      List<List<String>> decodedUnique = new ArrayList<>(plan.uniqueKeys.size());
      for (int u = 0; u < plan.uniqueKeys.size(); u++) {
        String[] text = new String[columns];
        for (int c = 0; c < columns; c++) {
          Column column = plan.columns[c];
          String defaultText = defaultTexts[u * columns + c];
          text[c] = defaultText != null
              ? defaultText
              : CellText.render(column.cellType(), cells.copy(u * columns + c), stringVectorCounts[u * columns + c]);
        }
        decodedUnique.add(Arrays.asList(text));
      }
      List<DecodedResult.DecodedRow> rows = new ArrayList<>(query.keys().size());
      for (int r = 0; r < query.keys().size(); r++) {
        int u = plan.uniqueIndexOfRow[r];
        rows.add(new DecodedResult.DecodedRow(query.keys().get(r).cols(), decodedUnique.get(u), plan.defaults[u]));
      }
      stats.recordRetrieve(query.entityLabel(), rows.size(), System.nanoTime() - start);
      return new DecodedResult(query.keysSchema(), plan.featureSchemas, rows);
    } catch (OnfsException e) {
      stats.recordError(query.entityLabel(), e.code().name());
      throw e;
    }
  }

  /**
   * One requested column: the feature group, the feature's label, and the type a quantized request
   * ({@code feature@DataTypeFP16}) asked for, or null.
   */
  private record Column(
      ServingSchema.FeatureGroup fg, String featureLabel, ServingSchema.Feature active, @Nullable DataType quantizedTo) {
    DataType cellType() {
      return quantizedTo != null ? quantizedTo : fg.dataType();
    }
  }

  /** The requested columns, resolved against the active versions of their feature groups. */
  private record Columns(
      List<FeatureSchema> featureSchemas,
      Column[] columns,
      List<ServingSchema.FeatureGroup> featureGroups,
      int[][] columnsOfGroup) {}

  /** The query's distinct keys in entity key order, and each row's index among them. */
  private record UniqueKeys(List<List<String>> keys, int[] indexOfRow) {}

  /** What a query reads: fixed once planned; only the decoded-retrieval arrays fill in while reading. */
  private static final class Plan {
    final ServingSchema.Entity entity;
    final List<FeatureSchema> featureSchemas;
    final Column[] columns;
    /** Requested feature groups, each once, in first-request order. */
    final List<ServingSchema.FeatureGroup> featureGroups;
    /** For each feature group in {@link #featureGroups}, the columns it fills. */
    final int[][] columnsOfGroup;
    final List<List<String>> uniqueKeys;
    final int[] uniqueIndexOfRow;
    /** Decoded retrieval only (else null), per unique key x column: the vector length a cell was built with. */
    final int @Nullable [] stringVectorCounts;
    /** Decoded retrieval only (else null), per unique key x column: a default's text, null for stored values. */
    final String @Nullable [] defaultTexts;
    /** Per unique key: bit c set when column c holds a default instead of a stored value; null when none does. */
    final long[] @Nullable [] defaults;

    Plan(ServingSchema.Entity entity, Columns columns, UniqueKeys keys, boolean decoded) {
      this.entity = entity;
      this.featureSchemas = columns.featureSchemas();
      this.columns = columns.columns();
      this.featureGroups = columns.featureGroups();
      this.columnsOfGroup = columns.columnsOfGroup();
      this.uniqueKeys = keys.keys();
      this.uniqueIndexOfRow = keys.indexOfRow();
      int cells = keys.keys().size() * columns.columns().length;
      this.stringVectorCounts = decoded ? new int[cells] : null;
      this.defaultTexts = decoded ? new String[cells] : null;
      this.defaults = new long[keys.keys().size()][];
    }

    void markDefault(int u, int column) {
      long[] bits = defaults[u];
      if (bits == null) {
        bits = defaults[u] = new long[(columns.length + 63) >> 6];
      }
      bits[column >> 6] |= 1L << column;
    }
  }

  private Plan plan(RetrieveQuery query, boolean decoded) {
    checks.retrieveSize(query);
    ServingSchema.Entity entity = schemas.requireEntity(query.entityLabel());
    Columns columns = columns(query, entity);
    UniqueKeys keys = uniqueKeys(query, entity);
    return new Plan(entity, columns, keys, decoded);
  }

  /** Resolves every requested feature label into a column, grouping the columns by feature group. */
  private Columns columns(RetrieveQuery query, ServingSchema.Entity entity) {
    List<FeatureSchema> schemasOut = new ArrayList<>(query.featureGroups().size());
    List<Column> columns = new ArrayList<>();
    Map<String, Integer> groupIndex = new LinkedHashMap<>();
    List<ServingSchema.FeatureGroup> groups = new ArrayList<>();
    List<List<Integer>> columnsOfGroup = new ArrayList<>();
    for (int g = 0; g < query.featureGroups().size(); g++) {
      RetrieveQuery.FeatureGroup requested = query.featureGroups().get(g);
      ServingSchema.FeatureGroup fg = featureGroup(entity, requested.label(), g);
      Integer index = groupIndex.get(fg.label());
      if (index == null) {
        index = groups.size();
        groupIndex.put(fg.label(), index);
        groups.add(fg);
        columnsOfGroup.add(new ArrayList<>());
      }
      List<FeatureSchema.Feature> features = new ArrayList<>(requested.featureLabels().size());
      for (int f = 0; f < requested.featureLabels().size(); f++) {
        Column column = column(entity, fg, requested.featureLabels().get(f), g, f);
        int columnIdx = columns.size();
        columns.add(column);
        columnsOfGroup.get(index).add(columnIdx);
        features.add(new FeatureSchema.Feature(column.featureLabel(), columnIdx, column.cellType()));
      }
      schemasOut.add(new FeatureSchema(requested.label(), features));
    }
    int[][] columnsOfGroupArray = new int[groups.size()][];
    for (int i = 0; i < groups.size(); i++) {
      columnsOfGroupArray[i] = columnsOfGroup.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return new Columns(schemasOut, columns.toArray(new Column[0]), groups, columnsOfGroupArray);
  }

  /** The entity's feature group a query names as {@code featureGroups[g]}. */
  private ServingSchema.FeatureGroup featureGroup(ServingSchema.Entity entity, String label, int g) {
    ServingSchema.FeatureGroup fg = entity.featureGroups().get(label);
    if (fg == null) {
      schemas.checkNotQuarantined(entity.label(), label);
      throw new OnfsException(
          ErrorCode.UNKNOWN_FEATURE_GROUP,
          "feature group '" + label + "' (featureGroups[" + g + "]) is not in entity '" + entity.label()
              + "'; it has " + new java.util.TreeSet<>(entity.featureGroups().keySet()));
    }
    return fg;
  }

  /** The column {@code featureGroups[g].featureLabels[f]} asks for: a feature of the active version. */
  private static Column column(
      ServingSchema.Entity entity, ServingSchema.FeatureGroup fg, String requestedLabel, int g, int f) {
    // "label@DataTypeFP16" asks for the value converted to a lower-precision float type.
    String label = requestedLabel;
    DataType quantizedTo = null;
    int at = requestedLabel.indexOf('@');
    if (at >= 0 && at < requestedLabel.length() - 1 && requestedLabel.indexOf('@', at + 1) < 0) {
      label = requestedLabel.substring(0, at);
      quantizedTo = Quantization.target(requestedLabel.substring(at + 1), fg.dataType(), requestedLabel, where(g, f));
    }
    ServingSchema.Feature activeFeature = fg.active().feature(label);
    if (activeFeature == null) {
      throw new OnfsException(
          ErrorCode.UNKNOWN_FEATURE,
          "feature '" + label + "' (" + where(g, f) + ") is not in active version "
              + fg.activeVersion() + " of feature group '" + fg.label() + "' in entity '" + entity.label() + "'");
    }
    return new Column(fg, label, activeFeature, quantizedTo);
  }

  /** Checks every key row and numbers the distinct keys, each in the entity's key order. */
  private UniqueKeys uniqueKeys(RetrieveQuery query, ServingSchema.Entity entity) {
    List<String> keysSchema = query.keysSchema();
    List<String> keyLabels = entity.keyLabels();
    int[] keyPosition = entity.keyPositions(keysSchema);

    boolean inEntityOrder = true;
    for (int k = 0; k < keyPosition.length; k++) {
      inEntityOrder &= keyPosition[k] == k;
    }
    int rowCount = query.keys().size();
    // Sized so that a batch of distinct keys never rehashes.
    Map<List<String>, Integer> unique = new HashMap<>(rowCount * 4 / 3 + 1);
    List<List<String>> uniqueKeys = new ArrayList<>(rowCount);
    int[] uniqueIndexOfRow = new int[rowCount];
    for (int r = 0; r < rowCount; r++) {
      List<String> cols = query.keys().get(r).cols();
      if (cols.size() != keysSchema.size()) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT,
            "keys[" + r + "] has " + cols.size() + " values but keysSchema " + keysSchema + " names " + keysSchema.size());
      }
      checks.retrieveKey(cols, keysSchema, r);
      // Key values in the entity's key order, whatever order keys_schema used; the query's own
      // (immutable) list when it already is in that order.
      List<String> key;
      if (inEntityOrder) {
        key = cols;
      } else {
        String[] ordered = new String[keyLabels.size()];
        for (int k = 0; k < ordered.length; k++) {
          ordered[k] = cols.get(keyPosition[k]);
        }
        key = List.of(ordered);
      }
      Integer u = unique.putIfAbsent(key, uniqueKeys.size());
      if (u == null) {
        u = uniqueKeys.size();
        uniqueKeys.add(key);
      }
      uniqueIndexOfRow[r] = u;
    }
    return new UniqueKeys(uniqueKeys, uniqueIndexOfRow);
  }

  /** Where a requested feature label is in the query, for error messages. */
  private static String where(int group, int feature) {
    return "featureGroups[" + group + "].featureLabels[" + feature + "]";
  }

  /**
   * Where each (unique key, feature group) block is, flat at index {@code u * groups + g}: the whole
   * array holding it (null when missing) and its range there. (Nested arrays cost one allocation per key.)
   */
  private static final class BlockRefs {
    final int groups;
    final byte[][] arrays;
    final int[] offsets;
    final int[] lengths;

    BlockRefs(int keys, int groups) {
      this.groups = groups;
      this.arrays = new byte[keys * groups][];
      this.offsets = new int[keys * groups];
      this.lengths = new int[keys * groups];
    }

    void set(int u, int g, byte[] array, int offset, int length) {
      int block = u * groups + g;
      arrays[block] = array;
      offsets[block] = offset;
      lengths[block] = length;
    }
  }

  /**
   * What the near cache answered: which groups it caches, which keys hit (with their entries), and for
   * the others the stamp taken before the store read, so that a write landing meanwhile keeps its value
   * out of the cache.
   */
  private record CacheLookup(
      boolean[] cached,
      boolean anyCached,
      boolean[] hit,
      NearCache.Entry @Nullable [] hitEntries,
      long @Nullable [] stamps) {}

  /** Cells per unique key and column, cell {@code u * columns + c}. */
  // The near cache and the arrays that serve it are non-null exactly when anyCached is true, a flag
  // NullAway cannot follow.
  @SuppressWarnings("NullAway")
  private ResultCells read(Plan plan) {
    BlockRefs blocks = new BlockRefs(plan.uniqueKeys.size(), plan.featureGroups.size());
    CacheLookup cache = lookUpNearCache(plan, blocks);
    readStores(plan, cache, blocks);
    return fillCells(plan, cache, blocks);
  }

  /** Looks every key up in the near cache, taking the blocks of the keys that hit. */
  private CacheLookup lookUpNearCache(Plan plan, BlockRefs blocks) {
    int keys = plan.uniqueKeys.size();
    int groups = plan.featureGroups.size();
    ServingSchema.CacheSettings cacheSettings = plan.entity.inMemoryCache();
    boolean[] cached = new boolean[groups];
    boolean anyCached = false;
    if (nearCache != null && cacheSettings.enabled()) {
      for (int g = 0; g < groups; g++) {
        cached[g] = plan.featureGroups.get(g).inMemoryCacheEnabled();
        anyCached |= cached[g];
      }
    }
    boolean[] cacheHit = new boolean[keys];
    if (!anyCached) {
      return new CacheLookup(cached, false, cacheHit, null, null);
    }
    NearCache nearCache = requireNonNull(this.nearCache, "anyCached without a near cache");
    NearCache.Entry[] hitEntries = new NearCache.Entry[keys];
    long[] cacheStamps = new long[keys];
    int hits = 0;
    for (int u = 0; u < keys; u++) {
      NearCache.Entry entry = nearCache.get(plan.entity.label(), plan.uniqueKeys.get(u));
      if (entry == null || !containsAll(entry, plan.featureGroups, cached)) {
        cacheStamps[u] = nearCache.stamp(plan.entity.label(), plan.uniqueKeys.get(u));
        continue;
      }
      cacheHit[u] = true;
      hitEntries[u] = entry;
      hits++;
      for (int g = 0; g < groups; g++) {
        if (cached[g]) {
          byte[] block = entry.block(plan.featureGroups.get(g).id());
          if (block != null) {
            blocks.set(u, g, block, 0, block.length);
          }
        }
      }
    }
    stats.recordNearCache(plan.entity.label(), hits, keys - hits);
    return new CacheLookup(cached, true, cacheHit, hitEntries, cacheStamps);
  }

  /** One read per store, covering every key that still needs one of that store's groups. */
  private void readStores(Plan plan, CacheLookup cache, BlockRefs blocks) {
    List<StoreFanOut.Share> shares =
        StoreFanOut.byStore(plan.featureGroups.size(), g -> plan.featureGroups.get(g).storeId());
    for (StoreFanOut.Share share : shares) {
      readShare(plan, cache, blocks, share);
    }
  }

  private void readShare(Plan plan, CacheLookup cache, BlockRefs blocks, StoreFanOut.Share share) {
    boolean[] cached = cache.cached();
    boolean[] cacheHit = cache.hit();
    // Keys: all of them when the store has a group the cache does not hold, else the cache misses.
    // Groups: the uncached ones, plus the cached ones when some key missed the cache.
    boolean anyUncached = false;
    for (int g : share.groups()) {
      anyUncached |= !cached[g];
    }
    int keys = plan.uniqueKeys.size();
    List<Integer> keyIndexes = new ArrayList<>(keys);
    boolean anyMiss = false;
    for (int u = 0; u < keys; u++) {
      anyMiss |= !cacheHit[u];
      if (anyUncached || !cacheHit[u]) {
        keyIndexes.add(u);
      }
    }
    List<Integer> storeGroupIndexes = new ArrayList<>();
    for (int g : share.groups()) {
      if (!cached[g] || anyMiss) {
        storeGroupIndexes.add(g);
      }
    }
    if (keyIndexes.isEmpty() || storeGroupIndexes.isEmpty()) {
      return;
    }
    ServingSchema.FeatureGroup first = plan.featureGroups.get(storeGroupIndexes.get(0));
    StoreTable table = plan.entity.table(first);
    List<EntityKey> entityKeys = new ArrayList<>(keyIndexes.size());
    int[] columnOrder = plan.entity.columnOrder(table);
    for (int u : keyIndexes) {
      entityKeys.add(ServingSchema.Entity.storeKey(plan.uniqueKeys.get(u), columnOrder));
    }
    List<StoreFeatureGroup> storeGroupsList = new ArrayList<>(storeGroupIndexes.size());
    for (int g : storeGroupIndexes) {
      storeGroupsList.add(plan.featureGroups.get(g).storeFeatureGroup());
    }
    OnlineStore store = stores.apply(share.storeId());
    // One multi-get, split only where the store's batch limit requires.
    StoreFanOut.inBatches(
        store,
        entityKeys.size(),
        (from, to) -> store.read(table, entityKeys.subList(from, to), storeGroupsList),
        (items, nanos) -> stats.recordStoreRead(plan.entity.label(), items, nanos),
        (result, from, to) -> {
          for (int i = from; i < to; i++) {
            int u = keyIndexes.get(i);
            for (int j = 0; j < storeGroupIndexes.size(); j++) {
              int g = storeGroupIndexes.get(j);
              if (cacheHit[u] && cached[g]) {
                continue;
              }
              if (result.isPresent(i - from, j)) {
                blocks.set(u, g, result.array(i - from, j), result.offset(i - from, j), result.length(i - from, j));
              }
            }
          }
        });
  }

  /**
   * Fills every column of every unique key from its block (or the cache's decoded block, or the
   * default), puts what the near cache missed into it, and records each group's validity counts.
   */
  // The near-cache arrays are non-null exactly when cache.anyCached(), which NullAway cannot follow.
  @SuppressWarnings("NullAway")
  private ResultCells fillCells(Plan plan, CacheLookup cache, BlockRefs blocks) {
    int keys = plan.uniqueKeys.size();
    int groups = plan.featureGroups.size();
    boolean[] cached = cache.cached();
    boolean[] cacheHit = cache.hit();
    boolean anyCached = cache.anyCached();
    // What to cache for the keys the near cache missed: each live block decoded into its cells, so
    // that a hit copies nothing; other blocks (expired, unknown version) as a copy, because the cache
    // must not pin or share a driver's buffer.
    NearCache.DecodedBlock[] decodedToCache = anyCached ? new NearCache.DecodedBlock[keys * groups] : null;
    byte[][] blocksToCache = anyCached ? new byte[keys * groups][] : null;
    // One clock read per call: cached blocks' expiry is checked against it.
    long nowMillis = anyCached ? clock.millis() : 0;
    PsdbReader reader = readers.get();
    ResultCells cells = new ResultCells(keys * plan.columns.length);
    int[] live = new int[groups];
    int[] present = new int[groups];
    for (int u = 0; u < keys; u++) {
      for (int g = 0; g < groups; g++) {
        int block = u * groups + g;
        byte[] array = blocks.arrays[block];
        NearCache.DecodedBlock hit =
            cacheHit[u] && cached[g] ? cache.hitEntries()[u].decoded(plan.featureGroups.get(g).id()) : null;
        boolean isLive;
        if (hit != null) {
          isLive = fillGroupFromCache(plan, u, g, hit, nowMillis, cells);
        } else {
          isLive = fillGroup(plan, u, g, array, blocks.offsets[block], blocks.lengths[block], reader, cells);
          if (decodedToCache != null && cached[g] && !cacheHit[u] && array != null) {
            if (isLive) {
              decodedToCache[block] = decodeAll(reader);
            } else {
              blocksToCache[block] =
                  Arrays.copyOfRange(array, blocks.offsets[block], blocks.offsets[block] + blocks.lengths[block]);
            }
          }
        }
        present[g] += hit != null || array != null ? 1 : 0;
        live[g] += isLive ? 1 : 0;
      }
    }
    if (decodedToCache != null) {
      fillNearCache(plan, plan.entity.inMemoryCache(), cached, cacheHit, cache.stamps(), blocksToCache, decodedToCache);
    }
    for (int g = 0; g < groups; g++) {
      // Present but not live: expired, or written with a version the registry no longer has.
      stats.recordValidity(
          plan.entity.label(), plan.featureGroups.get(g).label(), live[g], present[g] - live[g], keys - present[g]);
    }
    return cells;
  }

  private static boolean containsAll(NearCache.Entry entry, List<ServingSchema.FeatureGroup> groups, boolean[] cached) {
    for (int g = 0; g < groups.size(); g++) {
      if (cached[g] && !entry.contains(groups.get(g).id())) {
        return false;
      }
    }
    return true;
  }

  private void fillNearCache(
      Plan plan,
      ServingSchema.CacheSettings settings,
      boolean[] cached,
      boolean[] cacheHit,
      long[] cacheStamps,
      byte[][] blocksToCache,
      NearCache.DecodedBlock[] decodedToCache) {
    // The cached groups' ids, the same for every key (Entry.of copies them).
    int[] ids = new int[cached.length];
    int count = 0;
    for (int g = 0; g < cached.length; g++) {
      if (cached[g]) {
        ids[count++] = plan.featureGroups.get(g).id();
      }
    }
    ids = Arrays.copyOf(ids, count);
    for (int u = 0; u < plan.uniqueKeys.size(); u++) {
      if (cacheHit[u]) {
        continue;
      }
      byte[][] blocks = new byte[count][];
      NearCache.DecodedBlock[] decoded = new NearCache.DecodedBlock[count];
      int i = 0;
      for (int g = 0; g < cached.length; g++) {
        if (!cached[g]) {
          continue;
        }
        blocks[i] = blocksToCache[u * cached.length + g];
        decoded[i] = decodedToCache[u * cached.length + g];
        i++;
      }
      requireNonNull(nearCache).put(
          plan.entity.label(), plan.uniqueKeys.get(u), NearCache.Entry.of(ids, blocks, decoded),
          settings.ttlSeconds(), settings.jitterPercentage(), cacheStamps[u]);
    }
  }

  /** Fills the group's columns of one key; true when they came from a live block. */
  private boolean fillGroup(
      Plan plan, int u, int g, byte @Nullable [] array, int offset, int length, PsdbReader reader, ResultCells out) {
    ServingSchema.FeatureGroup fg = plan.featureGroups.get(g);
    ServingSchema.Version activeVersion = fg.active();
    ServingSchema.Version version = null;
    if (array != null) {
      try {
        reader.wrap(array, offset, length);
        if (reader.dataType() != fg.dataType()) {
          throw new OnfsException(ErrorCode.CORRUPT_BLOCK, "the block holds " + reader.dataType().registryName()
              + " but the registry says " + fg.dataType().registryName());
        }
        int schemaVersion = reader.schemaVersion();
        ServingSchema.Version blockVersion =
            schemaVersion == activeVersion.number ? activeVersion : fg.version(schemaVersion);
        // An expired block binds as missing; a version the registry no longer has reads as defaults.
        if (blockVersion != null && reader.bind(blockVersion.layout)) {
          version = blockVersion;
        }
      } catch (OnfsException e) {
        throw new OnfsException(e.code(), "entity '" + plan.entity.label() + "' key " + plan.uniqueKeys.get(u)
            + ", feature group '" + fg.label() + "': " + e.getMessage(), e);
      }
    }
    fillColumns(plan, u, g, version, reader, null, out);
    return version != null;
  }

  /** Fills the group's columns of one key from a near-cache entry's decoded block; true when live. */
  private static boolean fillGroupFromCache(
      Plan plan, int u, int g, NearCache.DecodedBlock decoded, long nowMillis, ResultCells out) {
    ServingSchema.FeatureGroup fg = plan.featureGroups.get(g);
    ServingSchema.Version version = decoded.isExpired(nowMillis) ? null : fg.version(decoded.schemaVersion());
    if (version != null && version.size() != decoded.cells().length) {
      version = null; // decoded under a registry that described this version differently
    }
    fillColumns(plan, u, g, version, null, decoded.cells(), out);
    return version != null;
  }

  /**
   * Fills the group's columns of one key with the cells of {@code version} (null: defaults), taken
   * from the reader bound to the block, or from {@code decodedCells} (by feature sequence).
   */
  private static void fillColumns(
      Plan plan,
      int u,
      int g,
      ServingSchema.@Nullable Version version,
      @Nullable PsdbReader reader,
      byte @Nullable [][] decodedCells,
      ResultCells out) {
    ServingSchema.FeatureGroup fg = plan.featureGroups.get(g);
    ServingSchema.Version activeVersion = fg.active();
    int columns = plan.columns.length;
    // A live block's cells are shared where they are when its payload is the stored block itself and
    // they are its bytes as they stand (not bits, not lengths apart from their strings).
    boolean inPlace = version != null && reader != null && reader.compression() == PsdbCompression.NONE
        && !fg.dataType().isBool() && fg.dataType() != DataType.STRING_VECTOR;
    for (int c : plan.columnsOfGroup[g]) {
      Column column = plan.columns[c];
      int cell = u * columns + c;
      // Most blocks are written with the active version, whose features the plan already resolved.
      ServingSchema.Feature feature = version == null ? null
          : version == activeVersion ? column.active() : version.feature(column.featureLabel());
      if (feature != null) {
        int sequence = feature.sequence();
        if (decodedCells != null) {
          out.share(cell, decodedCells[sequence]);
        } else {
          PsdbReader blockReader = requireNonNull(reader); // given whenever decodedCells is not
          if (inPlace) {
            out.share(cell, blockReader.payloadArray(), blockReader.valueOffset(sequence),
                blockReader.valueLength(sequence));
          } else {
            blockReader.copyCell(sequence, out.reserve(cell, blockReader.cellLength(sequence)), out.offset(cell));
          }
        }
        if (plan.stringVectorCounts != null) {
          plan.stringVectorCounts[cell] = feature.vectorLength();
        }
      } else {
        // Missing, expired, unknown version, or a feature added after the block was written.
        plan.markDefault(u, c);
        ServingSchema.Feature active = column.active();
        out.share(cell, active.defaultCell());
        if (column.quantizedTo() == null && plan.defaultTexts != null) {
          plan.defaultTexts[cell] = active.defaultText();
        }
      }
      if (column.quantizedTo() != null) {
        out.share(cell, Quantization.convert(out.copy(cell), fg.dataType(), column.quantizedTo()));
      }
    }
  }

  /** Every cell of the block the reader is bound to, by feature sequence. */
  private static NearCache.DecodedBlock decodeAll(PsdbReader reader) {
    byte[][] cells = new byte[reader.featureCount()][];
    for (int f = 0; f < cells.length; f++) {
      cells[f] = new byte[reader.cellLength(f)];
      reader.copyCell(f, cells[f], 0);
    }
    return new NearCache.DecodedBlock(reader.schemaVersion(), reader.expiresAtEpochSecond(), cells);
  }
}
