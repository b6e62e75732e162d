package dev.onfs.core.serving;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.codec.PsdbCompression;
import dev.onfs.core.codec.PsdbEncoder;
import dev.onfs.core.codec.PsdbLayout;
import dev.onfs.core.codec.PsdbReader;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.types.DataType;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Merges a persist's new block of a feature group over the block the store holds: the features the
 * persist named come from the new block; every other feature comes from the stored block when that
 * block is live and its schema version has a feature of the same label and shape (same vector length,
 * strings that fit the active string length), else from the new block, which holds its default. The
 * result is a block of the active version with a fresh expiry. Not thread-safe: one per thread.
 */
final class BlockMerger {
  private final PsdbReader update;
  private final PsdbReader stored;
  private final PsdbEncoder encoder;

  BlockMerger(Clock clock) {
    this.update = PsdbReader.create(clock);
    this.stored = PsdbReader.create(clock);
    this.encoder = PsdbEncoder.create(clock);
  }

  /**
   * @param block the persist's block, of the active version, unnamed features holding their defaults
   * @param named by active feature sequence: true for the features the persist named
   * @param base the block the store holds, or null when it holds none
   * @return the merged block; {@code block} itself when nothing of {@code base} is kept
   * @throws OnfsException {@link ErrorCode#CORRUPT_BLOCK} when {@code base} does not parse or holds
   *     another data type than the feature group
   */
  byte[] merge(ServingSchema.FeatureGroup fg, byte[] block, boolean[] named, @Nullable ByteRange base) {
    if (base == null || allNamed(named)) {
      return block;
    }
    ServingSchema.Version active = fg.active();
    stored.wrap(base.array(), base.offset(), base.length());
    if (stored.dataType() != fg.dataType()) {
      throw new OnfsException(ErrorCode.CORRUPT_BLOCK, "the stored block holds " + stored.dataType().registryName()
          + " but the registry says " + fg.dataType().registryName());
    }
    ServingSchema.Version version = fg.version(stored.schemaVersion());
    // A version the registry no longer has reads as defaults, as on retrieve; so does an expired block.
    if (version == null || !stored.bind(version.layout)) {
      return block;
    }
    // For each active feature, the stored feature it keeps (its sequence in the stored version), or -1.
    int[] keep = new int[active.size()];
    boolean keepsAny = false;
    for (ServingSchema.Feature feature : active.features) {
      int s = feature.sequence();
      ServingSchema.Feature old = named[s] ? null : version == active ? feature : version.feature(feature.label());
      keep[s] = old != null && fits(old.sequence(), active.layout, s) ? old.sequence() : -1;
      keepsAny |= keep[s] >= 0;
    }
    if (!keepsAny) {
      return block;
    }
    update.wrap(block);
    if (!update.bind(active.layout)) {
      return block; // cannot happen for a block just written with a positive TTL; kept safe
    }
    DataType type = fg.dataType();
    encoder.begin(active.layout, fg.activeVersion(), fg.ttlSeconds(), PsdbCompression.ZSTD);
    for (int s = 0; s < keep.length; s++) {
      if (keep[s] >= 0) {
        copy(stored, keep[s], type);
      } else {
        copy(update, s, type);
      }
    }
    encoder.finish();
    return encoder.toByteArray();
  }

  private static boolean allNamed(boolean[] named) {
    for (boolean n : named) {
      if (!n) {
        return false;
      }
    }
    return true;
  }

  /** True when stored feature {@code f} has the shape of active feature {@code s}. */
  private boolean fits(int f, PsdbLayout active, int s) {
    if (stored.vectorLength(f) != active.vectorLength(s)) {
      return false;
    }
    DataType type = stored.dataType();
    if (type == DataType.STRING) {
      return stored.valueLength(f) <= active.stringMaxLength(s);
    }
    if (type == DataType.STRING_VECTOR) {
      for (int e = 0; e < stored.vectorLength(f); e++) {
        if (stringLength(stored, f, e) > active.stringMaxLength(s)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Appends feature {@code f} of the bound reader's block to the encoder, value for value. */
  private void copy(PsdbReader from, int f, DataType type) {
    if (type == DataType.STRING) {
      encoder.addString(from.payloadArray(), from.valueOffset(f), from.valueLength(f));
      return;
    }
    if (!type.isVector()) {
      copyElement(from, f, -1, type);
      return;
    }
    int n = from.vectorLength(f);
    encoder.startVector(n);
    if (type == DataType.STRING_VECTOR) {
      int at = from.valueOffset(f);
      for (int e = 0; e < n; e++) {
        int length = stringLength(from, f, e);
        encoder.addString(from.payloadArray(), at, length);
        at += length;
      }
      return;
    }
    for (int e = 0; e < n; e++) {
      copyElement(from, f, e, type.scalar());
    }
  }

  /** Element {@code e} of a vector feature, or the scalar feature's value when {@code e} is -1. */
  private void copyElement(PsdbReader from, int f, int e, DataType scalar) {
    switch (scalar) {
      case FP64 -> encoder.addDouble(e < 0 ? from.getDouble(f) : from.getDouble(f, e));
      // Widened exactly to float and narrowed back: the stored value again.
      case FP32, FP16, FP8E4M3, FP8E5M2 -> encoder.addFloat(e < 0 ? from.getFloat(f) : from.getFloat(f, e));
      case BOOL -> encoder.addBool(e < 0 ? from.getBool(f) : from.getBool(f, e));
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 ->
          encoder.addLong(e < 0 ? from.getLong(f) : from.getLong(f, e));
      default -> throw new OnfsException(ErrorCode.INTERNAL, "cannot copy a " + scalar + " value");
    }
  }

  /** UTF-8 length of element {@code e} of a string-vector feature. */
  private static int stringLength(PsdbReader from, int f, int e) {
    byte[] payload = from.payloadArray();
    int at = from.stringLengthsOffset(f) + 2 * e;
    return (payload[at] & 0xff) | (payload[at + 1] & 0xff) << 8;
  }
}
