package dev.onfs.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedInMemoryExampleTest {

  @Test
  void printsWhatItWroteAndDefaultsForAnUnknownUser() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EmbeddedInMemoryExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertPrintsTheReadme(bytes.toString(StandardCharsets.UTF_8));
  }

  /** What {@code exec:java} runs: {@code main}, printing to standard output. */
  @Test
  void mainPrintsToStandardOutput() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      EmbeddedInMemoryExample.main(new String[0]);
    } finally {
      System.setOut(stdout);
    }
    assertPrintsTheReadme(bytes.toString(StandardCharsets.UTF_8));
  }

  /** The README's command is {@code exec:java} on this module, which runs the class the pom names. */
  @Test
  void readmeCommandRunsThisClass() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(pom).contains("<mainClass>" + EmbeddedInMemoryExample.class.getName() + "</mainClass>");
    assertThat(Files.readString(Path.of("README.md")))
        .contains("./mvnw -q -pl examples/embedded-inmemory -am compile exec:java");
  }

  private static void assertPrintsTheReadme(String out) {
    assertThat(out).contains("user 42 emb cell: 8 bytes");
    assertThat(out).contains("user 42: [3, 0.125, 0.5:-1:2:0]");
    assertThat(out).contains("user 7: [0, 0, 0:0:0:0]");
  }
}
