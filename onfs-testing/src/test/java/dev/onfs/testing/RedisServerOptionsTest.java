package dev.onfs.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisServerOptionsTest {
  @Test
  void defaultsHaveNoPersistence() {
    assertThat(RedisServer.Options.defaults().appendFsync()).isNull();
    assertThat(RedisServer.Options.defaults().config()).isEmpty();
  }

  @Test
  void appendOnlyAndExtraSettings() {
    RedisServer.Options options = RedisServer.Options.builder()
        .appendOnly(RedisServer.AppendFsync.ALWAYS)
        .config("maxmemory", "64mb")
        .build();
    assertThat(options.appendFsync()).isEqualTo(RedisServer.AppendFsync.ALWAYS);
    assertThat(options.config()).containsEntry("maxmemory", "64mb");
  }

  @Test
  void rejectsSettingsOwnedByTheFixture() {
    assertThatThrownBy(() -> RedisServer.Options.builder().config("port", "6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'port' is set by the fixture");
    assertThatThrownBy(() -> RedisServer.Options.builder().config("--maxmemory", "1mb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bare Redis setting name");
  }
}
