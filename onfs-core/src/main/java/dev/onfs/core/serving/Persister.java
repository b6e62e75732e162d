package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.PartialPersist;
import dev.onfs.core.cache.NearCache;
import dev.onfs.core.codec.PsdbCompression;
import dev.onfs.core.codec.PsdbEncoder;
import dev.onfs.core.metrics.OnfsStatsRecorder;
import dev.onfs.core.registry.DefaultValues;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.types.DataType;
import dev.onfs.core.types.Float16;
import dev.onfs.core.types.Float8E4M3;
import dev.onfs.core.types.Float8E5M2;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Answers persist queries: checks them with {@link PersistValidator} against the active schema version
 * of each feature group, encodes one block per row and feature group (features the query does not name
 * get their registry defaults), writes them with one batch write per store, and drops the written keys from the
 * near cache. When a group's features are not all named and the mode is {@link PartialPersist#MERGE},
 * the store's share goes through {@link MergingWriter}, which keeps the stored values of the unnamed
 * features.
 */
final class Persister {
  private final ServingSchema.Source schemas;
  private final Function<String, OnlineStore> stores;
  private final @Nullable NearCache nearCache;
  private final Clock clock;
  private final OnfsStatsRecorder stats;
  private final RequestChecks checks;
  private final ThreadLocal<PsdbEncoder> encoders;
  private final PartialPersist partialPersist;
  private final MergingWriter mergingWriter;

  Persister(
      ServingSchema.Source schemas,
      Function<String, OnlineStore> stores,
      @Nullable NearCache nearCache,
      Clock clock,
      OnfsStatsRecorder stats,
      RequestChecks checks,
      PartialPersist partialPersist) {
    this.schemas = requireNonNull(schemas, "schemas is null");
    this.stores = requireNonNull(stores, "stores is null");
    this.nearCache = nearCache;
    this.clock = requireNonNull(clock, "clock is null");
    this.stats = requireNonNull(stats, "stats is null");
    this.checks = requireNonNull(checks, "checks is null");
    this.encoders = ThreadLocal.withInitial(() -> PsdbEncoder.create(clock));
    this.partialPersist = requireNonNull(partialPersist, "partialPersist is null");
    this.mergingWriter = new MergingWriter(clock, stats);
  }

  PersistResult persist(PersistQuery query) {
    long start = System.nanoTime();
    try {
      int rows = write(query);
      stats.recordPersist(query.entityLabel(), rows, System.nanoTime() - start);
      return new PersistResult(PersistResult.SUCCESS_MESSAGE, rows);
    } catch (OnfsException e) {
      stats.recordError(query.entityLabel(), e.code().name());
      throw e;
    }
  }

  /** A requested feature group: its registry view and, per listed feature, its active sequence. */
  private record Group(ServingSchema.FeatureGroup fg, int[] sequences) {}

  private int write(PersistQuery query) {
    PersistValidator.Resolved resolved = PersistValidator.check(query, schemas, checks);
    String entityLabel = query.entityLabel();
    ServingSchema.Entity entity = resolved.entity();
    int[] keyPosition = resolved.keyPositions();
    List<Group> groups = new ArrayList<>(resolved.groups().size());
    for (int g = 0; g < resolved.groups().size(); g++) {
      groups.add(new Group(resolved.groups().get(g), resolved.sequences().get(g)));
    }

    PsdbEncoder encoder = encoders.get();
    // Rows and feature groups per store, in query order.
    Map<String, List<Integer>> groupsByStore = new LinkedHashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      groupsByStore.computeIfAbsent(groups.get(g).fg.storeId(), s -> new ArrayList<>()).add(g);
    }
    List<List<String>> entityKeys = new ArrayList<>(query.data().size());
    byte[][][] blocks = new byte[query.data().size()][groups.size()][];
    for (int r = 0; r < query.data().size(); r++) {
      PersistQuery.Data row = query.data().get(r);
      List<String> key = new ArrayList<>(keyPosition.length);
      for (int position : keyPosition) {
        key.add(row.keyValues().get(position));
      }
      entityKeys.add(key);
      for (int g = 0; g < groups.size(); g++) {
        Group group = groups.get(g);
        blocks[r][g] = encode(encoder, group, row.featureValues().get(g), "data[" + r + "].featureValues[" + g + "]");
      }
    }

    try {
      for (Map.Entry<String, List<Integer>> storeGroups : groupsByStore.entrySet()) {
        List<Integer> indexes = storeGroups.getValue();
        StoreTable table = entity.table(groups.get(indexes.get(0)).fg);
        int[] columnOrder = entity.columnOrder(table);
        List<StoreFeatureGroup> storeFgs = new ArrayList<>(indexes.size());
        boolean partial = false;
        for (int g : indexes) {
          storeFgs.add(groups.get(g).fg.storeFeatureGroup());
          partial |= groups.get(g).sequences.length < groups.get(g).fg.active().size();
        }
        List<StoreRow> storeRows = new ArrayList<>(query.data().size());
        for (int r = 0; r < query.data().size(); r++) {
          List<ByteRange> rowBlocks = new ArrayList<>(indexes.size());
          for (int g : indexes) {
            rowBlocks.add(ByteRange.of(blocks[r][g]));
          }
          storeRows.add(new StoreRow(ServingSchema.Entity.storeKey(entityKeys.get(r), columnOrder), rowBlocks));
        }
        OnlineStore store = stores.apply(storeGroups.getKey());
        if (partial && partialPersist == PartialPersist.MERGE) {
          List<ServingSchema.FeatureGroup> fgs = new ArrayList<>(indexes.size());
          List<int[]> named = new ArrayList<>(indexes.size());
          for (int g : indexes) {
            fgs.add(groups.get(g).fg);
            named.add(groups.get(g).sequences);
          }
          mergingWriter.write(store, table, fgs, named, storeRows);
          continue;
        }
        int batch = store.capabilities().maxBatchSize();
        for (int from = 0; from < storeRows.size(); from += batch) {
          List<StoreRow> slice = storeRows.subList(from, Math.min(storeRows.size(), from + batch));
          long writeStart = System.nanoTime();
          store.write(table, storeFgs, slice);
          stats.recordStoreWrite(entityLabel, slice.size(), System.nanoTime() - writeStart);
        }
      }
    } finally {
      // Also after a failure: some rows may have been written.
      if (nearCache != null) {
        for (List<String> key : entityKeys) {
          nearCache.invalidate(entityLabel, key);
        }
      }
    }
    return query.data().size();
  }

  /**
   * Encodes the group's block for one row: the listed features from {@code given}, every other feature
   * of the active version from its registry default, in sequence order.
   */
  private static byte[] encode(PsdbEncoder encoder, Group group, Values given, String where) {
    ServingSchema.FeatureGroup fg = group.fg;
    ServingSchema.Version active = fg.active();
    DataType type = fg.dataType();
    int listed = group.sequences.length;
    int[] listedIndexOfSeq = new int[active.size()];
    java.util.Arrays.fill(listedIndexOfSeq, -1);
    for (int i = 0; i < listed; i++) {
      listedIndexOfSeq[group.sequences[i]] = i;
    }
    try {
      encoder.begin(active.layout, fg.activeVersion(), fg.ttlSeconds(), PsdbCompression.ZSTD);
    } catch (OnfsException e) {
      throw new OnfsException(ErrorCode.INVALID_REGISTRY, "feature group '" + fg.label() + "': " + e.getMessage(), e);
    }
    for (ServingSchema.Feature feature : active.features) {
      int i = listedIndexOfSeq[feature.sequence()];
      String at = where + ", feature '" + feature.label() + "'";
      try {
        if (i < 0) {
          addDefault(encoder, type, feature);
        } else if (type.isVector()) {
          addVector(encoder, type, given.vectors().get(i));
        } else {
          addScalar(encoder, type, given, i);
        }
      } catch (OnfsException e) {
        if (e.getMessage().startsWith(where)) {
          throw e;
        }
        throw new OnfsException(ErrorCode.SCHEMA_MISMATCH, at + ": " + e.getMessage(), e);
      }
    }
    encoder.finish();
    return encoder.toByteArray();
  }

  /** Adds value {@code i} of {@code v}, which {@link PersistValidator} has checked fits {@code type}. */
  private static void addScalar(PsdbEncoder encoder, DataType type, Values v, int i) {
    switch (type.scalar()) {
      case FP8E5M2, FP8E4M3, FP16, FP32 -> encoder.addDouble(v.fp32Values().get(i));
      case FP64 -> encoder.addDouble(v.fp64Values().get(i));
      case INT8, INT16 -> encoder.addLong(v.int32Values().get(i));
      case INT32 -> encoder.addInt(v.int32Values().get(i));
      case INT64 -> encoder.addLong(v.int64Values().get(i));
      case UINT8, UINT16 -> encoder.addLong(v.uint32Values().get(i) & 0xFFFF_FFFFL);
      case UINT32 -> encoder.addInt(v.uint32Values().get(i));
      case UINT64 -> encoder.addLong(v.uint64Values().get(i));
      case STRING -> {
        byte[] bytes = v.stringValues().get(i).getBytes(StandardCharsets.UTF_8);
        encoder.addString(bytes, 0, bytes.length);
      }
      case BOOL -> encoder.addBool(v.boolValues().get(i));
      default -> throw new OnfsException(ErrorCode.INTERNAL, "no values for " + type.registryName());
    }
  }

  private static void addVector(PsdbEncoder encoder, DataType type, Values vector) {
    int length = fieldSize(type, vector);
    encoder.startVector(length);
    for (int j = 0; j < length; j++) {
      addScalar(encoder, type.scalar(), vector, j);
    }
  }

  /** Adds a feature the query did not name: its registry default, decoded from the registry's bytes. */
  private static void addDefault(PsdbEncoder encoder, DataType type, ServingSchema.Feature feature) {
    byte[] d = feature.defaultCell();
    switch (type) {
      case BOOL -> encoder.addBool(d.length > 0 && d[0] != 0);
      case BOOL_VECTOR -> {
        encoder.startVector(feature.vectorLength());
        for (int i = 0; i < feature.vectorLength(); i++) {
          encoder.addBool((i >>> 3) < d.length && (d[i >>> 3] & (0x80 >>> (i & 7))) != 0);
        }
      }
      case STRING -> encoder.addString(d, 0, d.length);
      case STRING_VECTOR -> {
        List<byte[]> elements = DefaultValues.stringVectorElements(d, feature.vectorLength());
        encoder.startVector(elements.size());
        for (byte[] e : elements) {
          encoder.addString(e, 0, e.length);
        }
      }
      default -> {
        DataType scalar = type.scalar();
        int width = scalar.width();
        int n = type.isVector() ? feature.vectorLength() : 1;
        if (d.length != n * width) {
          throw new OnfsException(ErrorCode.INVALID_REGISTRY, "default value has " + d.length + " bytes, "
              + type.registryName() + " needs " + n * width);
        }
        if (type.isVector()) {
          encoder.startVector(n);
        }
        for (int e = 0; e < n; e++) {
          addElementBytes(encoder, scalar, d, e * width);
        }
      }
    }
  }

  /** Adds one fixed-width element given as its stored little-endian bytes (exact for every type). */
  private static void addElementBytes(PsdbEncoder encoder, DataType scalar, byte[] b, int at) {
    switch (scalar) {
      case FP8E5M2 -> encoder.addFloat(Float8E5M2.toFloat(b[at]));
      case FP8E4M3 -> encoder.addFloat(Float8E4M3.toFloat(b[at]));
      case FP16 -> encoder.addFloat(Float16.toFloat((short) CellText.int16At(b, at)));
      case FP32 -> encoder.addFloat(Float.intBitsToFloat(CellText.int32At(b, at)));
      case FP64 -> encoder.addDouble(Double.longBitsToDouble(CellText.int64At(b, at)));
      case INT8 -> encoder.addLong(b[at]);
      case INT16 -> encoder.addLong((short) CellText.int16At(b, at));
      case INT32, UINT32 -> encoder.addInt(CellText.int32At(b, at));
      case INT64, UINT64 -> encoder.addLong(CellText.int64At(b, at));
      case UINT8 -> encoder.addLong(b[at] & 0xFF);
      case UINT16 -> encoder.addLong(CellText.int16At(b, at));
      default -> throw new OnfsException(ErrorCode.INTERNAL, "not a fixed-width type: " + scalar);
    }
  }

  private static int fieldSize(DataType type, Values v) {
    return switch (type.scalar()) {
      case FP8E5M2, FP8E4M3, FP16, FP32 -> v.fp32Values().size();
      case FP64 -> v.fp64Values().size();
      case INT8, INT16, INT32 -> v.int32Values().size();
      case INT64 -> v.int64Values().size();
      case UINT8, UINT16, UINT32 -> v.uint32Values().size();
      case UINT64 -> v.uint64Values().size();
      case STRING -> v.stringValues().size();
      case BOOL -> v.boolValues().size();
      default -> 0;
    };
  }
}
