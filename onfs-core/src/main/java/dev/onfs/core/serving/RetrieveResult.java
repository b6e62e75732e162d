package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.CellDecoder;
import dev.onfs.core.types.DataType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a {@link RetrieveQuery}, mirroring {@code retrieve.Result}: one row per requested key
 * row (same order, duplicates kept), each holding one cell per requested feature at the feature's
 * {@link FeatureSchema.Feature#columnIdx() column index}.
 *
 * <p>A cell holds the feature's value in its feature group's stored encoding (little-endian numbers at
 * the type's width, fp16/fp8 as their 2/1 stored bytes, string bytes, one 0/1 byte per bool, vectors
 * flattened; see {@code docs/serving.md}), or the registry default when the store has no live value;
 * {@link Row#isDefault(int)} tells which. The typed getters ({@link Row#getFloat(int)} and the others)
 * decode a cell with the type its {@link FeatureSchema.Feature#dataType() feature schema} gives.
 */
public record RetrieveResult(
    String entityLabel, List<String> keysSchema, List<FeatureSchema> featureSchemas, List<Row> rows) {

  public RetrieveResult {
    requireNonNull(entityLabel, "entityLabel is null");
    keysSchema = List.copyOf(requireNonNull(keysSchema, "keysSchema is null"));
    featureSchemas = List.copyOf(requireNonNull(featureSchemas, "featureSchemas is null"));
    rows = bind(List.copyOf(requireNonNull(rows, "rows is null")), ResultColumns.of(featureSchemas));
  }

  /** The rows, each knowing the result's column types (rows built elsewhere are rebound, once each). */
  private static List<Row> bind(List<Row> rows, ResultColumns columns) {
    List<Row> bound = null;
    ResultColumns checked = null;
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      if (row.schema == checked || row.schema.equals(columns)) {
        checked = row.schema;
        if (bound != null) {
          bound.add(row);
        }
        continue;
      }
      if (bound == null) {
        bound = new ArrayList<>(rows.subList(0, r));
      }
      bound.add(row.withSchema(columns));
    }
    return bound == null ? rows : List.copyOf(bound);
  }

  /** Receives a cell's bytes: {@code array[offset, offset+length)}, which it must not change. */
  @FunctionalInterface
  public interface CellWriter {
    void write(byte[] array, int offset, int length) throws IOException;
  }

  /**
   * The key values and cells of one requested key row ({@code retrieve.Row}). Cells are shared: callers
   * must not modify the arrays they are handed.
   *
   * <p>A row's cells are slices of arrays it shares with the rest of its result: the blocks the store
   * returned, the near cache's decoded cells, the registry's defaults, or the received message. {@link
   * #cellLength}, {@link #writeCell} and the typed getters read them in place; {@link #columns()} and
   * {@link #column(int)} hand out one array per cell, copying the cells that are part of a larger
   * array (the slow path: they allocate).
   *
   * <p>The typed getters check the column's data type and fail with {@link ErrorCode#SCHEMA_MISMATCH}
   * naming the feature when it does not fit the getter (or when the server sent no types).
   */
  public static final class Row {
    private final List<String> keys;
    /**
     * Cell c is in {@code arrays[first + c]}, or in {@code array} when arrays is null, at {@code
     * offsets[first + c]} for {@code lengths[first + c]} bytes, or all of it when offsets is null.
     */
    private final byte @Nullable [][] arrays;
    private final byte @Nullable [] array;
    private final int @Nullable [] offsets;
    private final int @Nullable [] lengths;
    private final int first;
    private final int count;
    private final long @Nullable [] defaults;
    final ResultColumns schema;
    /** {@link #columns()}, made on first use. */
    private @Nullable List<byte[]> columns;

    /** A row whose cells all hold stored values (or whose origin does not say). */
    public Row(List<String> keys, List<byte[]> columns) {
      this(keys, columns, (BitSet) null);
    }

    /** A row whose columns in {@code defaultColumns} hold registry defaults instead of stored values. */
    public Row(List<String> keys, List<byte[]> columns, @Nullable BitSet defaultColumns) {
      this(List.copyOf(requireNonNull(keys, "keys is null")), List.copyOf(requireNonNull(columns, "columns is null")),
          ResultColumns.bits(defaultColumns));
    }

    /**
     * A row whose cell c is {@code array[offsets[c], offsets[c]+lengths[c])}. None of the three arrays
     * is copied, so none may change afterwards (decoders use this to keep a received message's cells
     * where they are).
     */
    public Row(List<String> keys, byte[] array, int[] offsets, int[] lengths, @Nullable BitSet defaultColumns) {
      this(List.copyOf(requireNonNull(keys, "keys is null")), null, requireNonNull(array, "array is null"),
          checkSlices(array, offsets, lengths), lengths, 0, lengths.length, ResultColumns.bits(defaultColumns),
          ResultColumns.NONE);
    }

    private Row(List<String> keys, List<byte[]> columns, long @Nullable [] defaults) {
      this(keys, columns.toArray(new byte[0][]), null, null, null, 0, columns.size(), defaults, ResultColumns.NONE);
      this.columns = columns;
    }

    /** Takes the arrays (never changed again) and the default marks as they are. */
    Row(List<String> keys, byte @Nullable [][] arrays, byte @Nullable [] array, int @Nullable [] offsets,
        int @Nullable [] lengths,
        int first, int count, long @Nullable [] defaults, ResultColumns schema) {
      this.keys = keys;
      this.arrays = arrays;
      this.array = array;
      this.offsets = offsets;
      this.lengths = lengths;
      this.first = first;
      this.count = count;
      this.defaults = defaults;
      this.schema = schema;
    }

    Row withSchema(ResultColumns schema) {
      Row row = new Row(keys, arrays, array, offsets, lengths, first, count, defaults, schema);
      row.columns = columns;
      return row;
    }

    private static int[] checkSlices(byte[] array, int[] offsets, int[] lengths) {
      requireNonNull(offsets, "offsets is null");
      requireNonNull(lengths, "lengths is null");
      if (offsets.length != lengths.length) {
        throw new IllegalArgumentException(
            offsets.length + " cell offsets but " + lengths.length + " cell lengths: each cell needs both");
      }
      for (int c = 0; c < offsets.length; c++) {
        if (offsets[c] < 0 || lengths[c] < 0 || offsets[c] > array.length - lengths[c]) {
          throw new IllegalArgumentException("cell " + c + " [" + offsets[c] + ", +" + lengths[c]
              + ") is outside an array of " + array.length + " bytes");
        }
      }
      return offsets;
    }

    public List<String> keys() {
      return keys;
    }

    /** One array per cell (see the class comment: cells that are slices are copied, once per row). */
    public List<byte[]> columns() {
      List<byte[]> list = columns;
      if (list == null) {
        byte[][] cells = new byte[count][];
        for (int c = 0; c < count; c++) {
          cells[c] = column(c);
        }
        columns = list = List.of(cells);
      }
      return list;
    }

    /** The cell at {@code columnIdx}, as an array of its own (a copy when the cell is a slice). */
    public byte[] column(int columnIdx) {
      List<byte[]> list = columns;
      if (list != null) {
        return list.get(columnIdx);
      }
      int i = index(columnIdx);
      return ResultCells.ownArray(arrayAt(i), offsetAt(i), lengthAt(i));
    }

    /** The number of cells. */
    public int columnCount() {
      return count;
    }

    /** The length in bytes of the cell at {@code columnIdx}, without copying it. */
    public int cellLength(int columnIdx) {
      return lengthAt(index(columnIdx));
    }

    /** Hands the cell at {@code columnIdx} to {@code writer} where it is, without copying it. */
    public void writeCell(int columnIdx, CellWriter writer) throws IOException {
      int i = index(columnIdx);
      writer.write(arrayAt(i), offsetAt(i), lengthAt(i));
    }

    private int index(int columnIdx) {
      return first + Objects.checkIndex(columnIdx, count);
    }

    private byte[] arrayAt(int i) {
      return arrays != null ? requireNonNull(arrays[i]) : requireNonNull(array);
    }

    private int offsetAt(int i) {
      return offsets == null ? 0 : offsets[i];
    }

    private int lengthAt(int i) {
      return lengths == null ? arrayAt(i).length : lengths[i];
    }

    /**
     * True when the column holds the feature's registry default because the store had no live value
     * for it: the key is missing, its block expired or was written with a version the registry no longer
     * has, or the feature was added after the block was written. False for a value read from storage.
     */
    public boolean isDefault(int columnIdx) {
      return ResultColumns.isSet(defaults, columnIdx);
    }

    /** The columns that hold defaults ({@link #isDefault}); a copy. */
    public BitSet defaultColumns() {
      return ResultColumns.toBitSet(defaults);
    }

    /** The data type of the column's cell, from the result's feature schemas. */
    public DataType dataType(int columnIdx) {
      return schema.type(columnIdx);
    }

    /** An FP8E5M2, FP8E4M3, FP16 or FP32 value. */
    public float getFloat(int columnIdx) {
      DataType type = typed(columnIdx, "getFloat", "an FP8/FP16/FP32 type", t -> isFloat(t) && t != DataType.FP64);
      int i = index(columnIdx);
      return decode(columnIdx, () -> CellDecoder.toFloat(arrayAt(i), offsetAt(i), lengthAt(i), type));
    }

    /** Any floating-point value (FP8 to FP64) as a double. */
    public double getDouble(int columnIdx) {
      DataType type = typed(columnIdx, "getDouble", "a floating-point type", Row::isFloat);
      int i = index(columnIdx);
      return decode(columnIdx, () -> CellDecoder.toDouble(arrayAt(i), offsetAt(i), lengthAt(i), type));
    }

    /**
     * Any integer value as a long: signed types sign-extended, unsigned ones zero-extended, UINT64 as
     * its 64 bits ({@link Long#toUnsignedString(long)} prints it).
     */
    public long getLong(int columnIdx) {
      DataType type = typed(columnIdx, "getLong", "an integer type", Row::isInteger);
      int i = index(columnIdx);
      return decode(columnIdx, () -> CellDecoder.toLong(arrayAt(i), offsetAt(i), lengthAt(i), type));
    }

    /** An INT8, INT16, INT32, UINT8 or UINT16 value (the types every value of which fits an int). */
    public int getInt(int columnIdx) {
      DataType type = typed(columnIdx, "getInt", "INT8/16/32 or UINT8/16 (use getLong for the others)",
          t -> isInteger(t) && t.width() <= 4 && t != DataType.UINT32);
      int i = index(columnIdx);
      return (int) (long) decode(columnIdx, () -> CellDecoder.toLong(arrayAt(i), offsetAt(i), lengthAt(i), type));
    }

    /** A BOOL value. */
    public boolean getBoolean(int columnIdx) {
      DataType type = typed(columnIdx, "getBoolean", "BOOL", t -> t == DataType.BOOL);
      int i = index(columnIdx);
      return decode(columnIdx, () -> CellDecoder.toBoolean(arrayAt(i), offsetAt(i), lengthAt(i), type));
    }

    /** A STRING value. */
    public String getString(int columnIdx) {
      DataType type = typed(columnIdx, "getString", "STRING", t -> t == DataType.STRING);
      int i = index(columnIdx);
      return decode(columnIdx, () -> CellDecoder.toText(arrayAt(i), offsetAt(i), lengthAt(i), type));
    }

    /** An FP8E5M2, FP8E4M3, FP16 or FP32 vector. */
    public float[] getFloatArray(int columnIdx) {
      DataType type = typed(columnIdx, "getFloatArray", "an FP8/FP16/FP32 vector type",
          t -> t.isVector() && isFloat(t.scalar()) && t != DataType.FP64_VECTOR);
      return decode(columnIdx, () -> CellDecoder.toFloatArray(column(columnIdx), type));
    }

    /** Any floating-point vector as doubles. */
    public double[] getDoubleArray(int columnIdx) {
      DataType type = typed(columnIdx, "getDoubleArray", "a floating-point vector type",
          t -> t.isVector() && isFloat(t.scalar()));
      return decode(columnIdx, () -> CellDecoder.toDoubleArray(column(columnIdx), type));
    }

    /** Any integer vector as longs (sign- or zero-extended; UINT64 as bits). */
    public long[] getLongArray(int columnIdx) {
      DataType type = typed(columnIdx, "getLongArray", "an integer vector type",
          t -> t.isVector() && isInteger(t.scalar()));
      return decode(columnIdx, () -> CellDecoder.toLongArray(column(columnIdx), type));
    }

    /** A BOOL_VECTOR value. */
    public boolean[] getBooleanArray(int columnIdx) {
      DataType type = typed(columnIdx, "getBooleanArray", "BOOL_VECTOR", t -> t == DataType.BOOL_VECTOR);
      return decode(columnIdx, () -> CellDecoder.toBooleanArray(column(columnIdx), type));
    }

    /** A STRING_VECTOR value. */
    public String[] getStringArray(int columnIdx) {
      DataType type = typed(columnIdx, "getStringArray", "STRING_VECTOR", t -> t == DataType.STRING_VECTOR);
      return decode(columnIdx, () -> CellDecoder.toStringArray(column(columnIdx), type));
    }

    /** Any value as {@link CellDecoder#decode} returns it (Float, Double, Long, Boolean, String or an array). */
    public Object getObject(int columnIdx) {
      DataType type = dataType(columnIdx);
      return decode(columnIdx, () -> CellDecoder.decode(column(columnIdx), type));
    }

    private static boolean isFloat(DataType type) {
      return switch (type) {
        case FP8E5M2, FP8E4M3, FP16, FP32, FP64 -> true;
        default -> false;
      };
    }

    private static boolean isInteger(DataType type) {
      return switch (type) {
        case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> true;
        default -> false;
      };
    }

    private DataType typed(int columnIdx, String getter, String expected, java.util.function.Predicate<DataType> fits) {
      DataType type = schema.type(columnIdx);
      if (!fits.test(type)) {
        throw new OnfsException(ErrorCode.SCHEMA_MISMATCH, schema.describe(columnIdx) + " is " + type + ": "
            + getter + " reads " + expected);
      }
      return type;
    }

    private <T> T decode(int columnIdx, java.util.function.Supplier<T> decoder) {
      try {
        return decoder.get();
      } catch (IllegalArgumentException e) {
        throw new OnfsException(ErrorCode.CORRUPT_BLOCK, schema.describe(columnIdx) + ": " + e.getMessage(), e);
      }
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Row other) || !keys.equals(other.keys) || count != other.count
          || !ResultColumns.sameBits(defaults, other.defaults)) {
        return false;
      }
      for (int c = 0; c < count; c++) {
        int i = first + c;
        int j = other.first + c;
        if (!Arrays.equals(arrayAt(i), offsetAt(i), offsetAt(i) + lengthAt(i),
            other.arrayAt(j), other.offsetAt(j), other.offsetAt(j) + other.lengthAt(j))) {
          return false;
        }
      }
      return true;
    }

    /** As if each cell were its own array: {@code Arrays.hashCode} of each, combined as a list's. */
    @Override
    public int hashCode() {
      int h = keys.hashCode();
      for (int i = first; i < first + count; i++) {
        byte[] cellArray = arrayAt(i);
        int cell = 1;
        for (int b = offsetAt(i), end = b + lengthAt(i); b < end; b++) {
          cell = 31 * cell + cellArray[b];
        }
        h = 31 * h + cell;
      }
      return h;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Row[keys=").append(keys).append(", columns=[");
      for (int c = 0; c < count; c++) {
        sb.append(c == 0 ? "" : ", ").append(Arrays.toString(column(c)));
      }
      sb.append(']');
      if (defaults != null) {
        sb.append(", defaults=").append(defaultColumns());
      }
      return sb.append(']').toString();
    }
  }
}
