package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.cache.NearCache;
import dev.onfs.core.codec.PsdbCompression;
import dev.onfs.core.codec.PsdbEncoder;
import dev.onfs.core.metrics.OnfsStatsRecorder;
import dev.onfs.core.registry.DefaultValues;
import dev.onfs.core.storage.BlockFraming;
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
import java.util.Arrays;
import java.util.List;
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
  private record Group(ServingSchema.FeatureGroup fg, int[] sequences) {
    /** The query lists only some of the group's features. */
    boolean partial() {
      return sequences.length < fg.active().size();
    }
  }

  /** The query's rows, checked and encoded: keys in entity key order, and each store's share of rows. */
  private record EncodedRows(List<List<String>> entityKeys, List<ShareRows> shares) {}

  /** One store's share of the rows: per row, its blocks of the share's feature groups, in share order. */
  private record ShareRows(StoreFanOut.Share share, List<List<ByteRange>> blocksOfRow) {}

  private int write(PersistQuery query) {
    PersistValidator.Resolved resolved = PersistValidator.check(query, schemas, checks);
    ServingSchema.Entity entity = resolved.entity();
    int[] keyPosition = resolved.keyPositions();
    List<Group> groups = new ArrayList<>(resolved.groups().size());
    for (int g = 0; g < resolved.groups().size(); g++) {
      groups.add(new Group(resolved.groups().get(g), resolved.sequences().get(g)));
    }
    List<StoreFanOut.Share> shares = StoreFanOut.byStore(groups.size(), g -> groups.get(g).fg.storeId());
    EncodedRows encoded = encodeRows(query, entity, keyPosition, groups, shares);
    try {
      for (ShareRows share : encoded.shares()) {
        writeShare(query.entityLabel(), entity, groups, encoded.entityKeys(), share);
      }
    } finally {
      // Also after a failure: some rows may have been written.
      if (nearCache != null) {
        for (List<String> key : encoded.entityKeys()) {
          nearCache.invalidate(query.entityLabel(), key);
        }
      }
    }
    return query.data().size();
  }

  /**
   * Checks and encodes the rows, row by row and within a row in query group order (so the first error
   * reported is the first in the query). Each block is written once into its final buffer: for a store
   * that frames its rows ({@link OnlineStore#blockFraming()}), one array per row holding the share's
   * blocks in their framing room; otherwise one exact array per block.
   */
  private EncodedRows encodeRows(
      PersistQuery query,
      ServingSchema.Entity entity,
      int[] keyPosition,
      List<Group> groups,
      List<StoreFanOut.Share> shares) {
    int rowCount = query.data().size();
    PsdbEncoder encoder = encoders.get();
    RowLayout[] layouts = new RowLayout[shares.size()];
    int[] shareOfGroup = new int[groups.size()];
    List<List<List<ByteRange>>> rowsOfShare = new ArrayList<>(shares.size());
    for (int s = 0; s < shares.size(); s++) {
      layouts[s] = RowLayout.of(framing(shares.get(s).storeId()), shares.get(s), groups);
      for (int g : shares.get(s).groups()) {
        shareOfGroup[g] = s;
      }
      rowsOfShare.add(new ArrayList<>(rowCount));
    }
    List<List<String>> entityKeys = new ArrayList<>(rowCount);
    ByteRange[] blocks = new ByteRange[groups.size()];
    for (int r = 0; r < rowCount; r++) {
      PersistQuery.Data row = query.data().get(r);
      List<String> key = new ArrayList<>(keyPosition.length);
      for (int position : keyPosition) {
        key.add(row.keyValues().get(position));
      }
      entityKeys.add(key);
      for (RowLayout layout : layouts) {
        layout.startRow();
      }
      for (int g = 0; g < groups.size(); g++) {
        Group group = groups.get(g);
        String where = "data[" + r + "].featureValues[" + g + "]";
        blocks[g] = layouts[shareOfGroup[g]].encode(encoder, group, row.featureValues().get(g), where);
      }
      for (int s = 0; s < shares.size(); s++) {
        rowsOfShare.get(s).add(layouts[s].finishRow(blocks));
      }
    }
    List<ShareRows> encoded = new ArrayList<>(shares.size());
    for (int s = 0; s < shares.size(); s++) {
      encoded.add(new ShareRows(shares.get(s), rowsOfShare.get(s)));
    }
    return new EncodedRows(entityKeys, encoded);
  }

  /**
   * How the store of {@code storeId} frames rows; none when no store is configured for it, which then
   * fails at the write, after the rows were checked, as it always has.
   */
  private BlockFraming framing(String storeId) {
    try {
      return stores.apply(storeId).blockFraming();
    } catch (OnfsException e) {
      return BlockFraming.NONE;
    }
  }

  /** Writes one store's share of the rows: blind writes in batches, or merged for a partial persist. */
  private void writeShare(
      String entityLabel,
      ServingSchema.Entity entity,
      List<Group> groups,
      List<List<String>> entityKeys,
      ShareRows shareRows) {
    int[] indexes = shareRows.share().groups();
    StoreTable table = entity.table(groups.get(indexes[0]).fg);
    int[] columnOrder = entity.columnOrder(table);
    List<StoreFeatureGroup> storeFgs = new ArrayList<>(indexes.length);
    boolean partial = false;
    for (int g : indexes) {
      storeFgs.add(groups.get(g).fg.storeFeatureGroup());
      partial |= groups.get(g).partial();
    }
    List<StoreRow> rows = new ArrayList<>(entityKeys.size());
    for (int r = 0; r < entityKeys.size(); r++) {
      rows.add(new StoreRow(ServingSchema.Entity.storeKey(entityKeys.get(r), columnOrder), shareRows.blocksOfRow().get(r)));
    }
    OnlineStore store = stores.apply(shareRows.share().storeId());
    if (partial && partialPersist == PartialPersist.MERGE) {
      List<ServingSchema.FeatureGroup> fgs = new ArrayList<>(indexes.length);
      List<int[]> named = new ArrayList<>(indexes.length);
      for (int g : indexes) {
        fgs.add(groups.get(g).fg);
        named.add(groups.get(g).sequences);
      }
      mergingWriter.write(store, table, fgs, named, rows);
      return;
    }
    StoreFanOut.inBatches(
        store,
        rows.size(),
        (from, to) -> {
          store.write(table, storeFgs, rows.subList(from, to));
          return Boolean.TRUE; // a write returns nothing; the slice result is unused
        },
        (items, nanos) -> stats.recordStoreWrite(entityLabel, items, nanos),
        (result, from, to) -> {});
  }

  /**
   * Where one store's share of a row is encoded. With framing: the row's blocks go straight from the
   * encoder into a scratch buffer (reused for every row of the request) at their place in the framed
   * row, and each row is copied once into an exact array. Without: each block is copied once from the
   * encoder into its own exact array.
   */
  private static final class RowLayout {
    private final BlockFraming framing;
    /** The share's feature groups, by request index. */
    private final int[] groups;
    private final byte @Nullable [] scratch;
    private int end;

    private RowLayout(BlockFraming framing, int[] groups, byte @Nullable [] scratch) {
      this.framing = framing;
      this.groups = groups;
      this.scratch = scratch;
    }

    static RowLayout of(BlockFraming framing, StoreFanOut.Share share, List<Group> groups) {
      if (framing.equals(BlockFraming.NONE)) {
        return new RowLayout(framing, share.groups(), null);
      }
      int maxBlockBytes = 0;
      for (int g : share.groups()) {
        maxBlockBytes += PsdbEncoder.maxSerializedSize(groups.get(g).fg.active().layout);
      }
      return new RowLayout(framing, share.groups(), new byte[framing.rowBytes(share.groups().length, maxBlockBytes)]);
    }

    void startRow() {
      end = framing.rowHeaderBytes();
    }

    /** Encodes one block of the row; with framing, its range in the scratch buffer until {@link #finishRow}. */
    ByteRange encode(PsdbEncoder encoder, Group group, Values given, String where) {
      byte[] row = scratch;
      if (row == null) {
        Persister.encode(encoder, group, given, where, null, 0);
        return ByteRange.of(encoder.toByteArray());
      }
      int at = end + framing.blockHeaderBytes();
      int size = Persister.encode(encoder, group, given, where, row, at);
      end = at + size;
      return new ByteRange(row, at, size);
    }

    /** The row's blocks of this share, in share order, from {@code blocksOfGroup} (by request index). */
    List<ByteRange> finishRow(ByteRange[] blocksOfGroup) {
      ByteRange[] out = new ByteRange[groups.length];
      byte[] row = scratch == null ? null : Arrays.copyOf(scratch, end);
      for (int i = 0; i < groups.length; i++) {
        ByteRange block = blocksOfGroup[groups[i]];
        out[i] = row == null ? block : new ByteRange(row, block.offset(), block.length());
      }
      return List.of(out);
    }
  }

  /**
   * Encodes the group's block for one row: the listed features from {@code given}, every other feature
   * of the active version from its registry default, in sequence order. Writes it into {@code
   * destination} at {@code offset} (room for {@link PsdbEncoder#maxSerializedSize} needed), or when that
   * is null keeps it in the encoder; returns its size.
   */
  private static int encode(
      PsdbEncoder encoder, Group group, Values given, String where, byte @Nullable [] destination, int offset) {
    ServingSchema.FeatureGroup fg = group.fg;
    ServingSchema.Version active = fg.active();
    DataType type = fg.dataType();
    int listed = group.sequences.length;
    int[] listedIndexOfSeq = new int[active.size()];
    Arrays.fill(listedIndexOfSeq, -1);
    for (int i = 0; i < listed; i++) {
      listedIndexOfSeq[group.sequences[i]] = i;
    }
    try {
      if (destination == null) {
        encoder.begin(active.layout, fg.activeVersion(), fg.ttlSeconds(), PsdbCompression.ZSTD);
      } else {
        encoder.beginInto(destination, offset, active.layout, fg.activeVersion(), fg.ttlSeconds(), PsdbCompression.ZSTD);
      }
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
    return encoder.finish();
  }

  /** Adds value {@code i} of {@code v}, which {@link PersistValidator} has checked fits {@code type}. */
  private static void addScalar(PsdbEncoder encoder, DataType type, Values v, int i) {
    switch (type.scalar()) {
      case FP8E5M2, FP8E4M3, FP16, FP32 -> encoder.addDouble(v.fp32At(i));
      case FP64 -> encoder.addDouble(v.fp64At(i));
      case INT8, INT16 -> encoder.addLong(v.int32At(i));
      case INT32 -> encoder.addInt(v.int32At(i));
      case INT64 -> encoder.addLong(v.int64At(i));
      case UINT8, UINT16 -> encoder.addLong(v.uint32At(i) & 0xFFFF_FFFFL);
      case UINT32 -> encoder.addInt(v.uint32At(i));
      case UINT64 -> encoder.addLong(v.uint64At(i));
      case STRING -> {
        byte[] bytes = v.stringValues().get(i).getBytes(StandardCharsets.UTF_8);
        encoder.addString(bytes, 0, bytes.length);
      }
      case BOOL -> encoder.addBool(v.boolAt(i));
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
      case FP8E5M2, FP8E4M3, FP16, FP32 -> v.fp32Count();
      case FP64 -> v.fp64Count();
      case INT8, INT16, INT32 -> v.int32Count();
      case INT64 -> v.int64Count();
      case UINT8, UINT16, UINT32 -> v.uint32Count();
      case UINT64 -> v.uint64Count();
      case STRING -> v.stringValues().size();
      case BOOL -> v.boolCount();
      default -> 0;
    };
  }
}
