package dev.onfs.controlplane.users;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {
  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final LoginLimiter limiter = new LoginLimiter(3, 5, Duration.ofMinutes(15), ticker);

  @Test
  void limitsPerUserUntilTheWindowPasses() {
    for (int i = 0; i < 3; i++) {
      limiter.check("alice", "10.0.0.1");
      limiter.failed("alice", "10.0.0.1");
    }
    assertThatThrownBy(() -> limiter.check("alice", "10.0.0.2")).hasMessageContaining("user 'alice'");
    assertThatCode(() -> limiter.check("bob", "10.0.0.2")).doesNotThrowAnyException();
    nanos.addAndGet(Duration.ofMinutes(16).toNanos());
    assertThatCode(() -> limiter.check("alice", "10.0.0.1")).doesNotThrowAnyException();
  }

  @Test
  void limitsPerAddressAcrossNames() {
    for (int i = 0; i < 5; i++) {
      limiter.failed("user" + i, "10.0.0.9");
    }
    assertThatThrownBy(() -> limiter.check("someone_else", "10.0.0.9")).hasMessageContaining("address 10.0.0.9");
  }

  @Test
  void aSuccessClearsTheUsersCount() {
    limiter.failed("carol", null);
    limiter.failed("carol", null);
    limiter.succeeded("carol");
    limiter.failed("carol", null);
    limiter.failed("carol", null);
    assertThatCode(() -> limiter.check("carol", null)).doesNotThrowAnyException();
  }
}
