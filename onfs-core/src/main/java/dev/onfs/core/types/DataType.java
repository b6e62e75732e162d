package dev.onfs.core.types;

import java.util.Locale;

/**
 * The feature data types of PSDB layout 1, with the numeric ids that are stored in every block header
 * and the names the reference keeps in its registry ({@code DataTypeFP32}, ...).
 *
 * <p>Ids and names are part of the wire format: never renumber or rename a constant.
 */
public enum DataType {
  UNKNOWN(0, 0, false),
  FP8E5M2(1, 1, false),
  FP8E4M3(2, 1, false),
  FP16(3, 2, false),
  FP32(4, 4, false),
  FP64(5, 8, false),
  INT8(6, 1, false),
  INT16(7, 2, false),
  INT32(8, 4, false),
  INT64(9, 8, false),
  UINT8(10, 1, false),
  UINT16(11, 2, false),
  UINT32(12, 4, false),
  UINT64(13, 8, false),
  STRING(14, 0, false),
  BOOL(15, 0, false),
  FP8E5M2_VECTOR(16, 1, true),
  FP8E4M3_VECTOR(17, 1, true),
  FP16_VECTOR(18, 2, true),
  FP32_VECTOR(19, 4, true),
  FP64_VECTOR(20, 8, true),
  INT8_VECTOR(21, 1, true),
  INT16_VECTOR(22, 2, true),
  INT32_VECTOR(23, 4, true),
  INT64_VECTOR(24, 8, true),
  UINT8_VECTOR(25, 1, true),
  UINT16_VECTOR(26, 2, true),
  UINT32_VECTOR(27, 4, true),
  UINT64_VECTOR(28, 8, true),
  STRING_VECTOR(29, 0, true),
  BOOL_VECTOR(30, 0, true);

  private static final DataType[] BY_ID = new DataType[31];

  static {
    for (DataType type : values()) {
      BY_ID[type.id] = type;
    }
  }

  private final int id;
  private final int width;
  private final boolean vector;
  private final String registryName;

  DataType(int id, int width, boolean vector) {
    this.id = id;
    this.width = width;
    this.vector = vector;
    this.registryName = "DataType" + registrySuffix(name());
  }

  /** The 5-bit id stored in the block header. */
  public int id() {
    return id;
  }

  /**
   * Bytes per element for fixed-width types (also of each vector element); 0 for
   * {@link #STRING}, {@link #BOOL}, their vectors and {@link #UNKNOWN}.
   */
  public int width() {
    return width;
  }

  /** True for fixed-width numeric types and their vectors. */
  public boolean isFixedWidth() {
    return width > 0;
  }

  public boolean isVector() {
    return vector;
  }

  public boolean isString() {
    return this == STRING || this == STRING_VECTOR;
  }

  public boolean isBool() {
    return this == BOOL || this == BOOL_VECTOR;
  }

  /** The element type: the scalar type of a vector, or this type itself. */
  public DataType scalar() {
    return vector ? BY_ID[id - 15] : this;
  }

  /** The vector form of a scalar type, or this type itself. */
  public DataType vectorOf() {
    if (vector || this == UNKNOWN) {
      return this;
    }
    return BY_ID[id + 15];
  }

  /** The name the reference registry stores, e.g. {@code DataTypeFP16Vector}. */
  public String registryName() {
    return registryName;
  }

  /** Looks a type up by its header id. */
  public static DataType fromId(int id) {
    if (id < 0 || id >= BY_ID.length) {
      throw new IllegalArgumentException("unknown data type id " + id);
    }
    return BY_ID[id];
  }

  /**
   * Parses a registry name ({@code DataTypeFP32}), also accepting it without the {@code DataType}
   * prefix and in any case ({@code fp32}, {@code fp16_vector}, {@code FP16Vector}).
   */
  public static DataType fromName(String name) {
    String key = name.trim();
    if (key.regionMatches(true, 0, "DataType", 0, 8)) {
      key = key.substring(8);
    }
    String normalized = key.replace("_", "").toUpperCase(Locale.ROOT);
    for (DataType type : values()) {
      if (type != UNKNOWN && type.name().replace("_", "").equals(normalized)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown data type '" + name + "'");
  }

  private static String registrySuffix(String constant) {
    String base = constant.endsWith("_VECTOR") ? constant.substring(0, constant.length() - 7) : constant;
    String suffix = constant.endsWith("_VECTOR") ? "Vector" : "";
    switch (base) {
      case "STRING":
        return "String" + suffix;
      case "BOOL":
        return "Bool" + suffix;
      case "UNKNOWN":
        return "Unknown";
      default:
        // FP8E5M2, FP16, INT32 -> FP8E5M2, FP16, Int32; UINT64 -> Uint64
        if (base.startsWith("UINT")) {
          return "Uint" + base.substring(4) + suffix;
        }
        if (base.startsWith("INT")) {
          return "Int" + base.substring(3) + suffix;
        }
        return base + suffix;
    }
  }
}
