package dev.onfs.core.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFactory;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class InMemoryStoreFactoryTest {
  @Test
  void isFoundByNameThroughServiceLoader() {
    StoreFactory factory = ServiceLoader.load(StoreFactory.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(f -> f.name().equals("memory"))
        .findFirst()
        .orElseThrow();

    try (OnlineStore store = factory.create(Map.of("max-batch-size", "7"))) {
      assertThat(store.name()).isEqualTo("memory");
      assertThat(store.capabilities().maxBatchSize()).isEqualTo(7);
    }
  }

  @Test
  void rejectsUnknownAndMalformedSettings() {
    InMemoryStoreFactory factory = new InMemoryStoreFactory();
    assertThatThrownBy(() -> factory.create(Map.of("colour", "red")))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("colour");
    assertThatThrownBy(() -> factory.create(Map.of("max-batch-size", "many")))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("max-batch-size");
  }
}
