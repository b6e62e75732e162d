package dev.onfs.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.proto.ProtoMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written codec against protoc-generated classes of the same persist.proto. */
class PersistQueryCodecWireTest {

  @Test
  void bytesEqualGeneratedCodeBothWays() throws Exception {
    Random random = new Random(42);
    for (int n = 0; n < 300; n++) {
      PersistQuery q = randomQuery(random);
      byte[] ours = PersistQueryCodec.encode(q);
      byte[] generated = ProtoMapping.toProto(q).toByteArray();
      assertThat(ours).as("query %s", n).isEqualTo(generated);
      assertThat(PersistQueryCodec.decode(generated)).isEqualTo(q);
      assertThat(ProtoMapping.toCore(dev.onfs.proto.persist.Query.parseFrom(ours))).isEqualTo(q);
    }
  }

  private static PersistQuery randomQuery(Random r) {
    int groups = 1 + r.nextInt(3);
    List<PersistQuery.FeatureGroupSchema> schema = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      schema.add(new PersistQuery.FeatureGroupSchema("g" + g, List.of("a", "b")));
    }
    List<PersistQuery.Data> rows = new ArrayList<>();
    for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
      List<Values> values = new ArrayList<>();
      for (int g = 0; g < groups; g++) {
        values.add(randomValues(r, 0));
      }
      rows.add(new PersistQuery.Data(List.of("k" + r.nextInt(), "é" + i), values));
    }
    return new PersistQuery("entity" + r.nextInt(3), List.of("id", "sub"), schema, rows);
  }

  private static Values randomValues(Random r, int depth) {
    ValueField field = ValueField.values()[r.nextInt(depth == 0 ? 9 : 8)];
    List<Object> list = new ArrayList<>();
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      switch (field) {
        case FP32:
        case FP64:
          list.add(r.nextBoolean() ? r.nextDouble() * 1e6 - 5e5 : -0.0);
          break;
        case INT32:
        case UINT32:
          list.add(r.nextInt());
          break;
        case INT64:
        case UINT64:
          list.add(r.nextLong());
          break;
        case STRING:
          list.add(r.nextBoolean() ? "" : "s" + r.nextInt());
          break;
        case BOOL:
          list.add(r.nextBoolean());
          break;
        default:
          list.add(randomValues(r, depth + 1));
      }
    }
    return ValueLists.of(field, list);
  }
}
