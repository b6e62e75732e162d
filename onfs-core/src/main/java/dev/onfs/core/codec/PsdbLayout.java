package dev.onfs.core.codec;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What a PSDB block of one feature group version holds: the data type shared by all its features, the
 * number of features, and per feature the vector length (vector types) and the maximum string length
 * in UTF-8 bytes (string types). Built from primitive arrays so any schema model can feed it.
 *
 * <p>Immutable and thread-safe; build one per feature group version and reuse it for every block.
 */
public final class PsdbLayout {
  /** Largest vector length and string length the format can describe (uint16). */
  public static final int MAX_LENGTH = 0xffff;
  /** Largest payload a layout may describe; protects readers from absurd allocations. */
  public static final int MAX_PAYLOAD_BYTES = 64 << 20;

  private final DataType dataType;
  private final int featureCount;
  private final int[] vectorLengths;
  private final int[] stringMaxLengths;
  /** Index of each feature's first element in row-major order; length featureCount + 1. */
  private final int[] elementStart;
  private final int maxPayloadSize;

  private PsdbLayout(DataType dataType, int featureCount, int[] vectorLengths, int[] stringMaxLengths) {
    this.dataType = dataType;
    this.featureCount = featureCount;
    this.vectorLengths = vectorLengths;
    this.stringMaxLengths = stringMaxLengths;
    this.elementStart = new int[featureCount + 1];
    long elements = 0;
    long stringBytes = 0;
    for (int i = 0; i < featureCount; i++) {
      elementStart[i] = (int) elements;
      int length = dataType.isVector() ? vectorLengths[i] : 1;
      elements += length;
      if (dataType.isString()) {
        stringBytes += (long) length * stringMaxLengths[i];
      }
      if (elements > MAX_PAYLOAD_BYTES) {
        throw invalid("layout has more than " + MAX_PAYLOAD_BYTES + " values");
      }
    }
    elementStart[featureCount] = (int) elements;
    long payload;
    if (dataType.isBool()) {
      payload = (elements + 7) / 8;
    } else if (dataType.isString()) {
      payload = 2 * elements + stringBytes;
    } else {
      payload = elements * dataType.width();
    }
    if (payload > MAX_PAYLOAD_BYTES) {
      throw invalid("layout payload of " + payload + " bytes exceeds the cap of " + MAX_PAYLOAD_BYTES);
    }
    this.maxPayloadSize = (int) payload;
  }

  /** A layout of scalar fixed-width or bool features ({@code FP32}, {@code INT8}, {@code BOOL}, ...). */
  public static PsdbLayout scalars(DataType dataType, int featureCount) {
    requireNonNull(dataType, "dataType is null");
    if (dataType.isVector() || dataType.isString() || dataType == DataType.UNKNOWN) {
      throw invalid("scalars() takes a fixed-width or bool scalar type, not " + dataType);
    }
    checkCount(featureCount);
    return new PsdbLayout(dataType, featureCount, new int[0], new int[0]);
  }

  /** A layout of scalar {@code STRING} features with these maximum lengths in UTF-8 bytes. */
  public static PsdbLayout strings(int[] stringMaxLengths) {
    requireNonNull(stringMaxLengths, "stringMaxLengths is null");
    checkCount(stringMaxLengths.length);
    checkLengths("string max length", stringMaxLengths);
    return new PsdbLayout(DataType.STRING, stringMaxLengths.length, new int[0], stringMaxLengths.clone());
  }

  /** A layout of fixed-width or bool vector features with these vector lengths. */
  public static PsdbLayout vectors(DataType dataType, int[] vectorLengths) {
    requireNonNull(dataType, "dataType is null");
    requireNonNull(vectorLengths, "vectorLengths is null");
    if (!dataType.isVector() || dataType.isString()) {
      throw invalid("vectors() takes a fixed-width or bool vector type, not " + dataType);
    }
    checkCount(vectorLengths.length);
    checkLengths("vector length", vectorLengths);
    return new PsdbLayout(dataType, vectorLengths.length, vectorLengths.clone(), new int[0]);
  }

  /** A layout of {@code STRING_VECTOR} features: per feature its vector length and string max length. */
  public static PsdbLayout stringVectors(int[] vectorLengths, int[] stringMaxLengths) {
    requireNonNull(vectorLengths, "vectorLengths is null");
    requireNonNull(stringMaxLengths, "stringMaxLengths is null");
    checkCount(vectorLengths.length);
    if (stringMaxLengths.length != vectorLengths.length) {
      throw invalid(
          "got " + vectorLengths.length + " vector lengths but " + stringMaxLengths.length
              + " string max lengths");
    }
    checkLengths("vector length", vectorLengths);
    checkLengths("string max length", stringMaxLengths);
    return new PsdbLayout(
        DataType.STRING_VECTOR, vectorLengths.length, vectorLengths.clone(), stringMaxLengths.clone());
  }

  /**
   * Any layout: {@code vectorLengths} is read only for vector types and {@code stringMaxLengths} only
   * for string types (pass empty arrays otherwise); both then need one entry per feature.
   */
  public static PsdbLayout of(
      DataType dataType, int featureCount, int[] vectorLengths, int[] stringMaxLengths) {
    requireNonNull(dataType, "dataType is null");
    requireNonNull(vectorLengths, "vectorLengths is null");
    requireNonNull(stringMaxLengths, "stringMaxLengths is null");
    if (dataType.isVector() && vectorLengths.length != featureCount) {
      throw invalid(featureCount + " features but " + vectorLengths.length + " vector lengths");
    }
    if (dataType.isString() && stringMaxLengths.length != featureCount) {
      throw invalid(featureCount + " features but " + stringMaxLengths.length + " string max lengths");
    }
    if (dataType == DataType.STRING) {
      return strings(stringMaxLengths);
    }
    if (dataType == DataType.STRING_VECTOR) {
      return stringVectors(vectorLengths, stringMaxLengths);
    }
    if (dataType.isVector()) {
      return vectors(dataType, vectorLengths);
    }
    return scalars(dataType, featureCount);
  }

  public DataType dataType() {
    return dataType;
  }

  public int featureCount() {
    return featureCount;
  }

  /** Elements of a feature: its vector length, or 1 for scalar types. */
  public int vectorLength(int feature) {
    return dataType.isVector() ? vectorLengths[feature] : checkFeature(feature);
  }

  /** Maximum UTF-8 length of each string of a feature; 0 for non-string types. */
  public int stringMaxLength(int feature) {
    checkFeature(feature);
    return dataType.isString() ? stringMaxLengths[feature] : 0;
  }

  /** Values in the block counting every vector element. */
  public int elementCount() {
    return elementStart[featureCount];
  }

  /** Row-major index of a feature's first element. */
  public int elementStart(int feature) {
    return elementStart[feature];
  }

  /** Largest payload (before compression) a block of this layout can have. */
  public int maxPayloadSize() {
    return maxPayloadSize;
  }

  private int checkFeature(int feature) {
    if (feature < 0 || feature >= featureCount) {
      throw new IndexOutOfBoundsException("feature " + feature + " of " + featureCount);
    }
    return 1;
  }

  private static void checkCount(int featureCount) {
    if (featureCount < 1) {
      throw invalid("a block needs at least one feature, got " + featureCount);
    }
  }

  private static void checkLengths(String what, int[] lengths) {
    for (int i = 0; i < lengths.length; i++) {
      if (lengths[i] < 0 || lengths[i] > MAX_LENGTH) {
        throw invalid("feature " + i + ": " + what + " " + lengths[i] + " is outside 0.." + MAX_LENGTH);
      }
    }
  }

  private static OnfsException invalid(String message) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, message);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof PsdbLayout)) {
      return false;
    }
    PsdbLayout that = (PsdbLayout) other;
    return dataType == that.dataType
        && featureCount == that.featureCount
        && Arrays.equals(vectorLengths, that.vectorLengths)
        && Arrays.equals(stringMaxLengths, that.stringMaxLengths);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * dataType.hashCode() + featureCount) + Arrays.hashCode(vectorLengths))
        + Arrays.hashCode(stringMaxLengths);
  }

  @Override
  public String toString() {
    return "PsdbLayout{" + dataType + " x " + featureCount
        + (dataType.isVector() ? ", vectorLengths=" + Arrays.toString(vectorLengths) : "")
        + (dataType.isString() ? ", stringMaxLengths=" + Arrays.toString(stringMaxLengths) : "")
        + "}";
  }
}
