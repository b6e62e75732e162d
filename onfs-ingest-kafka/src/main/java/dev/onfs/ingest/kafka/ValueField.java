package dev.onfs.ingest.kafka;

import dev.onfs.core.types.DataType;

/** The lists of {@code persist.Values}, with their protobuf field numbers. */
public enum ValueField {
  FP32(1),
  FP64(2),
  INT32(3),
  INT64(4),
  UINT32(5),
  UINT64(6),
  STRING(7),
  BOOL(8),
  VECTOR(9);

  private final int number;

  ValueField(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  /** The field a group of {@code type} must fill; for vectors, {@link #VECTOR}. */
  public static ValueField forType(DataType type) {
    return type.isVector() ? VECTOR : forScalar(type);
  }

  /** The field that carries elements of {@code type} (a vector's element type for vectors). */
  public static ValueField forScalar(DataType type) {
    switch (type.scalar()) {
      case FP8E5M2:
      case FP8E4M3:
      case FP16:
      case FP32:
        return FP32;
      case FP64:
        return FP64;
      case INT8:
      case INT16:
      case INT32:
        return INT32;
      case INT64:
        return INT64;
      case UINT8:
      case UINT16:
      case UINT32:
        return UINT32;
      case UINT64:
        return UINT64;
      case STRING:
        return STRING;
      case BOOL:
        return BOOL;
      default:
        throw new IllegalArgumentException("data type " + type + " has no persist value field");
    }
  }
}
