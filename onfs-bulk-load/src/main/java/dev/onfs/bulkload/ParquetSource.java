package dev.onfs.bulkload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.jspecify.annotations.Nullable;

/**
 * A Parquet file, read row group by row group through Parquet's local-file API. Top-level columns
 * of primitive types map to Java values; a LIST column (any of Parquet's list encodings) maps to a
 * {@code List} of its elements, for vector groups.
 */
final class ParquetSource implements RowSource {
  private final Path file;
  private final ParquetFileReader reader;
  private final MessageType schema;
  private final MessageColumnIO columnIo;
  private final List<String> columns;
  private final long totalRows;
  private final long fileSize;
  private @Nullable RecordReader<Group> records;
  private long leftInGroup;
  private long rowNumber;

  ParquetSource(Path file) throws IOException {
    this.file = file;
    this.fileSize = Files.size(file);
    this.reader = ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder().build());
    try {
      this.schema = reader.getFooter().getFileMetaData().getSchema();
      this.columnIo = new ColumnIOFactory().getColumnIO(schema);
      List<String> names = new ArrayList<>();
      for (Type field : schema.getFields()) {
        names.add(field.getName());
      }
      this.columns = List.copyOf(names);
      this.totalRows = reader.getRecordCount();
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** Rows in {@code file}, from its footer. */
  static long rowCount(Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder().build())) {
      return r.getRecordCount();
    }
  }

  @Override
  public Path file() {
    return file;
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public @Nullable List<@Nullable Object> next() {
    try {
      while (leftInGroup == 0) {
        PageReadStore pages = reader.readNextRowGroup();
        if (pages == null) {
          return null;
        }
        leftInGroup = pages.getRowCount();
        records = columnIo.getRecordReader(pages, new GroupRecordConverter(schema));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " after row " + rowNumber + ": " + e.getMessage(), e);
    }
    leftInGroup--;
    rowNumber++;
    Group group = java.util.Objects.requireNonNull(records, "records").read();
    List<@Nullable Object> cells = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      cells.add(group.getFieldRepetitionCount(i) == 0 ? null : value(group, i, schema.getType(i)));
    }
    return cells;
  }

  private static Object value(Group group, int field, Type type) {
    if (type.isPrimitive()) {
      return primitive(group, field, 0, type.asPrimitiveType());
    }
    // LIST: a repeated group wrapping one element field (3-level), or a repeated primitive (2-level).
    Group list = group.getGroup(field, 0);
    GroupType listType = type.asGroupType();
    if (listType.getFieldCount() != 1) {
      throw new BadRowException(type.getName(), "is a nested group, not a LIST of scalars");
    }
    Type repeated = listType.getType(0);
    int n = list.getFieldRepetitionCount(0);
    List<@Nullable Object> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (repeated.isPrimitive()) {
        out.add(primitive(list, 0, i, repeated.asPrimitiveType()));
      } else {
        Group element = list.getGroup(0, i);
        GroupType elementType = repeated.asGroupType();
        if (elementType.getFieldCount() != 1 || !elementType.getType(0).isPrimitive()) {
          throw new BadRowException(type.getName(), "is a LIST of groups, not of scalars");
        }
        out.add(element.getFieldRepetitionCount(0) == 0 ? null
            : primitive(element, 0, 0, elementType.getType(0).asPrimitiveType()));
      }
    }
    return out;
  }

  private static Object primitive(Group group, int field, int index, PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case INT32:
        if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned()) {
          return Integer.toUnsignedLong(group.getInteger(field, index));
        }
        return group.getInteger(field, index);
      case INT64:
        if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned()) {
          return new java.math.BigInteger(Long.toUnsignedString(group.getLong(field, index)));
        }
        return group.getLong(field, index);
      case FLOAT:
        return group.getFloat(field, index);
      case DOUBLE:
        return group.getDouble(field, index);
      case BOOLEAN:
        return group.getBoolean(field, index);
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY:
        if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          return group.getString(field, index);
        }
        throw new BadRowException(type.getName(), "is binary without a STRING annotation");
      default:
        throw new BadRowException(type.getName(), "has Parquet type " + type.getPrimitiveTypeName()
            + ", which maps to no feature type");
    }
  }

  @Override
  public long rowNumber() {
    return rowNumber;
  }

  @Override
  public long totalRows() {
    return totalRows;
  }

  @Override
  public long bytesRead() {
    return totalRows == 0 ? fileSize : (long) ((double) fileSize * rowNumber / totalRows);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
