package dev.onfs.examples.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.ingest.kafka.SchemaCatalog;
import dev.onfs.registry.file.RegistryFiles;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvRowsTest {
  private static final SchemaCatalog CATALOG = new RegistryCatalog(new InMemoryFeatureRegistry(RegistryFiles.parse(
      "registry.yaml", String.join("\n",
          "stores:",
          "  \"1\": {db-type: redis_failover, conf-id: 1, table: t, primary-keys: [user_id, region], table-ttl: 0}",
          "entities:",
          "  user:",
          "    keys: [user_id, region]",
          "    feature-groups:",
          "      stats: {id: 0, data-type: FP32, store-id: 1, features: [{label: ctr}, {label: score}]}",
          "      counts: {id: 1, data-type: Int64, store-id: 1, features: [{label: clicks}]}",
          "      big: {id: 2, data-type: Uint64, store-id: 1, features: [{label: n}]}",
          "      flags: {id: 3, data-type: Bool, store-id: 1, features: [{label: active}]}",
          "      names: {id: 4, data-type: String, store-id: 1, features: [{label: city}]}",
          "      emb: {id: 5, data-type: FP16Vector, store-id: 1, features: [{label: v, vector-length: 2}]}",
          ""))));

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
