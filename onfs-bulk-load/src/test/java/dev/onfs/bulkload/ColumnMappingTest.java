package dev.onfs.bulkload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.types.DataType;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.SchemaCatalog.EntitySchema;
import dev.onfs.ingest.kafka.SchemaCatalog.GroupSchema;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnMappingTest {
  static final Path FILE = Path.of("in.csv");
  static final EntitySchema USER = new EntitySchema("user", List.of("user_id"), Map.of(
      "stats", new GroupSchema("stats", DataType.FP32, List.of("ctr", "orders")),
      "counts", new GroupSchema("counts", DataType.UINT64, List.of("views")),
      "flags", new GroupSchema("flags", DataType.BOOL, List.of("premium")),
      "emb", new GroupSchema("emb", DataType.INT16_VECTOR, List.of("v"))));

  static List<Object> cells(Object... values) {
    return Arrays.asList(values);
  }

  @Test
  void textCellsAreParsedByTheGroupsDataType() {
    ColumnMapping m = ColumnMapping.of(FILE,
        List.of("ts", "user_id", "stats__ctr", "stats__orders", "counts__views", "flags__premium", "emb__v"), USER);

    FeatureRow row = m.toRow(cells("2026-11-24", "u1", "0.5", "3", "18446744073709551615", "TRUE", "[1, -2, \"3\"]"));

    assertThat(m.ignored()).containsExactly("ts");
    assertThat(row.keyValues()).containsExactly("u1");
    assertThat(row.groups().get("stats")).containsExactly(Map.entry("ctr", 0.5), Map.entry("orders", 3.0));
    assertThat(row.groups().get("counts").get("views")).isEqualTo(new BigInteger("18446744073709551615"));
    assertThat(row.groups().get("flags").get("premium")).isEqualTo(true);
    assertThat(row.groups().get("emb").get("v")).isEqualTo(List.of(1L, -2L, 3L));
  }

  @Test
  void typedParquetCellsPassAsTheyAre() {
    ColumnMapping m = ColumnMapping.of(FILE, List.of("user_id", "stats__ctr", "stats__orders"), USER);

    FeatureRow row = m.toRow(cells(42L, 0.25f, 7));

    assertThat(row.keyValues()).containsExactly("42");
    assertThat(row.groups().get("stats")).containsExactly(Map.entry("ctr", 0.25f), Map.entry("orders", 7));
  }

  @Test
  void badCellsNameTheirColumn() {
    ColumnMapping m = ColumnMapping.of(FILE, List.of("user_id", "stats__ctr", "stats__orders", "flags__premium",
        "emb__v"), USER);

    assertThatThrownBy(() -> m.toRow(cells("u1", "x", "1", "true", "[1]")))
        .isInstanceOfSatisfying(BadRowException.class, e -> assertThat(e.column()).isEqualTo("stats__ctr"))
        .hasMessage("needs a number (fp32), got 'x'");
    assertThatThrownBy(() -> m.toRow(cells("u1", "1", "1", "yes", "[1]")))
        .isInstanceOfSatisfying(BadRowException.class, e -> assertThat(e.column()).isEqualTo("flags__premium"))
        .hasMessage("needs true or false, got 'yes'");
    assertThatThrownBy(() -> m.toRow(cells("u1", "1", "1", "true", "1,2")))
        .isInstanceOfSatisfying(BadRowException.class, e -> assertThat(e.column()).isEqualTo("emb__v"))
        .hasMessageStartingWith("is not a JSON array");
    assertThatThrownBy(() -> m.toRow(cells("u1", "1", "1", "true", "[1.5]")))
        .isInstanceOfSatisfying(BadRowException.class, e -> assertThat(e.column()).isEqualTo("emb__v"))
        .hasMessage("needs an integer (int16), got '1.5'");
    assertThatThrownBy(() -> m.toRow(cells(null, "1", "1", "true", "[1]")))
        .isInstanceOfSatisfying(BadRowException.class, e -> assertThat(e.column()).isEqualTo("user_id"));
    assertThatThrownBy(() -> m.toRow(cells("u1", "1", null, "true", "[1]")))
        .isInstanceOfSatisfying(BadRowException.class, e -> assertThat(e.column()).isEqualTo("stats__orders"))
        .hasMessageContaining("is empty");
  }

  @Test
  void headersThatDoNotFitTheEntityFailNamingTheColumn() {
    assertThatThrownBy(() -> ColumnMapping.of(FILE, List.of("id", "stats__ctr", "stats__orders"), USER))
        .hasMessageContaining("in.csv: no column 'user_id' for key 'user_id'");
    assertThatThrownBy(() -> ColumnMapping.of(FILE, List.of("user_id", "stat__ctr"), USER))
        .hasMessageContaining("column 'stat__ctr' names feature group 'stat'");
    assertThatThrownBy(() -> ColumnMapping.of(FILE, List.of("user_id", "stats__ctr", "stats__clicks"), USER))
        .hasMessageContaining("column 'stats__clicks' names feature 'clicks'");
    assertThatThrownBy(() -> ColumnMapping.of(FILE, List.of("user_id", "stats__ctr"), USER))
        .hasMessageContaining("feature group 'stats' has no column for [stats__orders]");
    assertThatThrownBy(() -> ColumnMapping.of(FILE, List.of("user_id", "ts"), USER))
        .hasMessageContaining("no feature columns");
  }

  @Test
  void findsTheColumnAStoreOrRegistryMessageNames() {
    ColumnMapping m = ColumnMapping.of(FILE, List.of("user_id", "stats__ctr", "stats__orders", "emb__v"), USER);

    assertThat(m.columnNamedIn("value 1e40 of feature 'stats.ctr' does not fit FP32")).isEqualTo("stats__ctr");
    assertThat(m.columnNamedIn("data[0].featureValues[1], feature 'v': vector has 2 values")).isEqualTo("emb__v");
    assertThat(m.columnNamedIn("key column 'user_id' contains the separator '|'")).isEqualTo("user_id");
    assertThat(m.columnNamedIn("request too large")).isNull();
  }
}
