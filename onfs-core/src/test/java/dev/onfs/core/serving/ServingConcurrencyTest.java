package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.memory.InMemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServingConcurrencyTest {

  @Test
  void concurrentPersistsAndRetrievesStayConsistent() throws Exception {
    OnlineFeatureStore onfs = OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(true)))
        .store(InMemoryStore.create())
        .nearCache(1 << 20)
        .build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < 150; i++) {
            int key = random.nextInt(20);
            if (random.nextBoolean()) {
              // Feature a always holds the key's number; b varies.
              onfs.persist(new PersistQuery("user", List.of("user_id"),
                  List.of(new PersistQuery.FeatureGroupSchema("fg_int64", List.of("a", "b")),
                      new PersistQuery.FeatureGroupSchema("fg_string", List.of("a"))),
                  List.of(new PersistQuery.Data(List.of("k" + key),
                      List.of(Values.int64(key, i), Values.strings("s" + key))))));
            } else {
              DecodedResult result = onfs.retrieveDecoded(new RetrieveQuery("user",
                  List.of(new RetrieveQuery.FeatureGroup("fg_int64", List.of("a")),
                      new RetrieveQuery.FeatureGroup("fg_string", List.of("a"))),
                  List.of("user_id"), List.of(RetrieveQuery.Keys.of("k" + key), RetrieveQuery.Keys.of("k" + key))));
              for (DecodedResult.DecodedRow row : result.rows()) {
                assertThat(row.columns()).isIn(List.of("0", "none"), List.of(Integer.toString(key), "s" + key));
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
