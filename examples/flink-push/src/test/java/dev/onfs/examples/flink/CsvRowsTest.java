package dev.onfs.examples.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.types.DataType;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.SchemaCatalog;
import dev.onfs.ingest.kafka.SchemaCatalog.GroupSchema;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvRowsTest {
  private static final SchemaCatalog CATALOG = label -> label.equals("user")
      ? new SchemaCatalog.EntitySchema("user", List.of("user_id", "region"), Map.of(
          "stats", new GroupSchema("stats", DataType.FP32, List.of("ctr", "score")),
          "counts", new GroupSchema("counts", DataType.INT64, List.of("clicks")),
          "big", new GroupSchema("big", DataType.UINT64, List.of("n")),
          "flags", new GroupSchema("flags", DataType.BOOL, List.of("active")),
          "names", new GroupSchema("names", DataType.STRING, List.of("city")),
          "emb", new GroupSchema("emb", DataType.FP16_VECTOR, List.of("v"))))
      : null;

  private static final String HEADER =
      "region,user_id,stats__score,stats__ctr,counts__clicks,big__n,flags__active,names__city,emb__v";

  @Test
  void typesEachValueByItsGroupsDataType() {
    CsvRows rows = new CsvRows(HEADER, "user", CATALOG);
    FeatureRow row = rows.parse("south, 42 ,1.5,0.25,7,18446744073709551615,true,Pune,0.5;-1");

    assertThat(row.entityLabel()).isEqualTo("user");
    assertThat(row.keyValues()).as("in the entity's key order, not the header's").containsExactly("42", "south");
    assertThat(row.groups().get("stats")).containsExactly(Map.entry("score", 1.5), Map.entry("ctr", 0.25));
    assertThat(row.groups().get("counts")).containsExactly(Map.entry("clicks", 7L));
    assertThat(row.groups().get("big")).containsExactly(Map.entry("n", new BigInteger("18446744073709551615")));
    assertThat(row.groups().get("flags")).containsExactly(Map.entry("active", true));
    assertThat(row.groups().get("names")).containsExactly(Map.entry("city", "Pune"));
    assertThat(row.groups().get("emb")).containsExactly(Map.entry("v", List.of(0.5, -1.0)));
  }

  @Test
  void skipsTheHeaderAndBlankLines() {
    CsvRows rows = new CsvRows(HEADER, "user", CATALOG);
    assertThat(rows.skips(HEADER)).isTrue();
    assertThat(rows.skips("  ")).isTrue();
    assertThat(rows.skips("south,42,1.5,0.25,7,1,true,Pune,0.5;-1")).isFalse();
  }

  @Test
  void badValuesNameTheirColumn() {
    CsvRows rows = new CsvRows(HEADER, "user", CATALOG);
    assertThatThrownBy(() -> rows.parse("south,42,high,0.25,7,1,true,Pune,0.5;-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'stats__score' (DataTypeFP32): 'high' is not a number");
    assertThatThrownBy(() -> rows.parse("south,42,1.5,0.25,7.5,1,true,Pune,0.5;-1"))
        .hasMessageContaining("column 'counts__clicks' (DataTypeInt64): '7.5' is not an integer");
    assertThatThrownBy(() -> rows.parse("south,42,1.5,0.25,7,1,yes,Pune,0.5;-1"))
        .hasMessageContaining("column 'flags__active' (DataTypeBool): 'yes' is not true or false");
    assertThatThrownBy(() -> rows.parse("south,42,1.5,0.25,7,1,true,Pune,0.5;x"))
        .hasMessageContaining("column 'emb__v' (DataTypeFP16Vector): 'x' is not a number");
    assertThatThrownBy(() -> rows.parse("south,,1.5,0.25,7,1,true,Pune,0.5;-1"))
        .hasMessageContaining("key column 'user_id' is empty");
    assertThatThrownBy(() -> rows.parse("south,42,1.5"))
        .hasMessageContaining("line has 3 fields, the header 9");
  }

  @Test
  void aHeaderThatDoesNotFitTheRegistryIsRefusedNamingTheColumn() {
    assertThatThrownBy(() -> new CsvRows("user_id,stats__ctr", "user", CATALOG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no column for key 'region'");
    assertThatThrownBy(() -> new CsvRows("user_id,region,stats__aov", "user", CATALOG))
        .hasMessageContaining("column 'stats__aov': feature group 'stats' has no active feature 'aov'");
    assertThatThrownBy(() -> new CsvRows("user_id,region,orders__n", "user", CATALOG))
        .hasMessageContaining("column 'orders__n': entity 'user' has no feature group 'orders'");
    assertThatThrownBy(() -> new CsvRows("user_id,region,ctr", "user", CATALOG))
        .hasMessageContaining("column 'ctr' is neither a key of entity 'user'");
    assertThatThrownBy(() -> new CsvRows("user_id", "item", CATALOG))
        .hasMessageContaining("entity 'item' is not in the registry");
  }
}
