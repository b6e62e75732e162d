package dev.onfs.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EmbeddedInMemoryExampleTest {

  @Test
  void printsWhatItWroteAndDefaultsForAnUnknownUser() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EmbeddedInMemoryExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("user 42 emb cell: 8 bytes");
    assertThat(out).contains("user 42: [3, 0.125, 0.5:-1:2:0]");
    assertThat(out).contains("user 7: [0, 0, 0:0:0:0]");
  }
}
