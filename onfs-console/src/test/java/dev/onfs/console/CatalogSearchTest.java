package dev.onfs.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogSearchTest {
  /** Entities user and item; user has 60 FP32 groups u0..u59 by job a, item one INT32 group by job b in store 2. */
  private static RegistrySnapshot registry() {
    Entity.Builder user = Entity.builder("user").key("user_id", "user_id")
        .distributedCache(CacheConfig.DISABLED).inMemoryCache(CacheConfig.DISABLED);
    for (int g = 0; g < 60; g++) {
      user.featureGroup(group("u" + g, g, DataType.FP32, "1", "a", "ctr_" + g, "Orders_" + g));
    }
    Entity item = Entity.builder("item").key("item_id", "item_id")
        .distributedCache(CacheConfig.DISABLED).inMemoryCache(CacheConfig.DISABLED)
        .featureGroup(group("prices", 0, DataType.INT32, "2", "b", "price", "discount")).build();
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "redis_failover", 1, "t1", List.of(), 0))
        .store(StoreConfig.of("2", "redis_failover", 1, "t2", List.of(), 0))
        .writerToken("a", "a").writerToken("b", "b")
        .entity(user.build()).entity(item).build();
  }

  private static FeatureGroup group(String label, int id, DataType type, String store, String job, String... features) {
    FeatureVersion.Builder version = FeatureVersion.builder(1);
    for (String f : features) {
      version.feature(f, new byte[4]);
    }
    return FeatureGroup.builder(label).id(id).storeId(store).dataType(type).jobId(job).activeVersion(1).layoutVersion(1)
        .column("seg_" + id, 64).version(version.build()).build();
  }

  @Test
  void searchMatchesEntityGroupAndFeatureLabelsIgnoringCase() {
    RegistrySnapshot r = registry();
    Views.Catalog byFeature = CatalogSearch.search(r, "ORDERS_1", "", "", "", 1);
    assertThat(byFeature.rows()).extracting(Views.CatalogRow::group)
        .containsExactly("u1", "u10", "u11", "u12", "u13", "u14", "u15", "u16", "u17", "u18", "u19");
    assertThat(byFeature.rows().get(0).matchedFeatures()).containsExactly("Orders_1");
    Views.Catalog byEntity = CatalogSearch.search(r, "ite", "", "", "", 1);
    assertThat(byEntity.rows()).extracting(Views.CatalogRow::group).containsExactly("prices");
    assertThat(byEntity.rows().get(0).matchedFeatures()).isEmpty();
    assertThat(CatalogSearch.search(r, "pric", "", "", "", 1).total()).isEqualTo(1);
    assertThat(CatalogSearch.search(r, "nothing", "", "", "", 1).rows()).isEmpty();
  }

  @Test
  void filtersByTypeStoreAndJob() {
    RegistrySnapshot r = registry();
    assertThat(CatalogSearch.search(r, "", "INT32", "", "", 1).rows()).extracting(Views.CatalogRow::group)
        .containsExactly("prices");
    assertThat(CatalogSearch.search(r, "", "", "1", "", 1).total()).isEqualTo(60);
    assertThat(CatalogSearch.search(r, "", "", "", "b", 1).total()).isEqualTo(1);
    assertThat(CatalogSearch.search(r, "ctr", "FP32", "2", "", 1).total()).isZero();
    Views.Catalog all = CatalogSearch.search(r, "", "", "", "", 1);
    assertThat(all.types()).containsExactly("FP32", "INT32");
    assertThat(all.stores()).containsExactly("1", "2");
    assertThat(all.jobs()).containsExactly("a", "b");
  }

  @Test
  void pagesHoldFiftyGroups() {
    RegistrySnapshot r = registry();
    Views.Catalog first = CatalogSearch.search(r, "", "", "", "", 1);
    assertThat(first.total()).isEqualTo(61);
    assertThat(first.pages()).isEqualTo(2);
    assertThat(first.rows()).hasSize(50);
    Views.Catalog second = CatalogSearch.search(r, "", "", "", "", 2);
    assertThat(second.rows()).hasSize(11);
    // A page past the end shows the last page.
    assertThat(CatalogSearch.search(r, "", "", "", "", 9).page()).isEqualTo(2);
    assertThat(second.pageQuery(1)).isEqualTo("?page=1");
    assertThat(CatalogSearch.search(r, "a b&c", "FP32", "", "", 1).pageQuery(2)).isEqualTo("?q=a+b%26c&type=FP32&page=2");
  }
}
