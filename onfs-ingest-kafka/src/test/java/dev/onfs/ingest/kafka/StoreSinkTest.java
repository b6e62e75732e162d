package dev.onfs.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.serving.PersistQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreSinkTest {

  @Test
  void mergesRunsOfSameShapeQueriesKeepingRowOrder() {
    PersistQuery a = TestSchemas.profiles(1, 2);
    PersistQuery b = TestSchemas.profiles(3);
    PersistQuery other = new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("counts", List.of("clicks"))),
        List.of(new PersistQuery.Data(List.of("u9"), List.of(ValueLists.of(ValueField.INT64, List.of(1L))))));
    PersistQuery c = TestSchemas.profiles(1);

    List<PersistQuery> merged = StoreSink.merge(List.of(a, b, other, c));

    assertThat(merged).hasSize(3);
    assertThat(merged.get(0).data()).extracting(d -> d.keyValues().get(0)).containsExactly("u1", "u2", "u3");
    assertThat(merged.get(1)).isEqualTo(other);
    assertThat(merged.get(2)).isEqualTo(c);
  }
}
