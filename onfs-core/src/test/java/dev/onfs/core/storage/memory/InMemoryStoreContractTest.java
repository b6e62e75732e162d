package dev.onfs.core.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.testing.OnlineStoreContractTest;
import dev.onfs.core.testing.TestingClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryStoreContractTest extends OnlineStoreContractTest {
  private final TestingClock clock = TestingClock.startingNow();

  @Override
  protected OnlineStore createStore() {
    return InMemoryStore.builder().clock(clock).maxBatchSize(5_000).build();
  }

  @Override
  protected OnlineStore createStore(Clock clock) {
    return new InMemoryStoreFactory().create(Map.of(), clock);
  }

  @Override
  protected long nowEpochSecond() {
    return clock.instant().getEpochSecond();
  }

  @Override
  protected void advancePast(long epochSecond) {
    clock.set(Instant.ofEpochSecond(epochSecond + 1));
  }

  @Override
  protected Duration expiryWait() {
    return Duration.ZERO;
  }

  @Test
  void pingFailsOnceClosed() {
    OnlineStore closed = createStore();
    closed.close();
    assertThatThrownBy(closed::ping).isInstanceOfSatisfying(OnfsException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
  }
}
