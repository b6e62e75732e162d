package dev.onfs.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.OnfsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
  @TempDir Path dir;

  @Test
  void readsAPasswordFileWithoutItsTrailingLineBreak() throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "s3 cret\"x\r\n");
    assertThat(Secrets.password("password", null, file.toString())).isEqualTo("s3 cret\"x");
    assertThat(Secrets.password("password", "inline", null)).isEqualTo("inline");
    assertThat(Secrets.password("password", null, null)).isNull();
  }

  @Test
  void bothOrAnUnreadableFileFailNamingTheSettingButNotTheContent() throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "hunter2");
    assertThatThrownBy(() -> Secrets.password("etcd-password", "x", file.toString()))
        .isInstanceOf(OnfsException.class)
        .hasMessage("give etcd-password or etcd-password-file, not both");
    assertThatThrownBy(() -> Secrets.password("password", null, dir.resolve("missing").toString()))
        .hasMessageStartingWith("password-file " + dir.resolve("missing") + " cannot be read");
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "\n");
    assertThatThrownBy(() -> Secrets.password("password", null, empty.toString())).hasMessageEndingWith("is empty");
    assertThat(Secrets.mask("hunter2")).isEqualTo("****");
    assertThat(Secrets.mask(null)).isEqualTo("none");
  }
}
