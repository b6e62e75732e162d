package dev.onfs.examples.oneapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedOrRemoteExampleTest {
  private static final List<String> EXPECTED = List.of(
      "user 42: ctr=0.125 orders_30d=17 city=Pune premium=true emb=[0.5, -1.0, 2.0, 0.0]",
      "user 7: ctr=0.0 (default) orders_30d=0 (default) city=unknown (default) premium=false (default)"
          + " emb=[0.0, 0.0, 0.0, 0.0] (default)",
      "getLong on ctr: SCHEMA_MISMATCH",
      "unknown feature: UNKNOWN_FEATURE");

  @Test
  void theSameCodeFindsTheSameThingsEmbeddedAndOverGrpc() {
    assertThat(EmbeddedOrRemoteExample.embedded()).containsExactlyElementsOf(EXPECTED);
    assertThat(EmbeddedOrRemoteExample.remote()).containsExactlyElementsOf(EXPECTED);
  }

  /** What {@code exec:java} runs: {@code main}, printing both runs to standard output. */
  @Test
  void mainPrintsBothRuns() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      EmbeddedOrRemoteExample.main(new String[0]);
    } finally {
      System.setOut(stdout);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).startsWith("embedded:\n  " + EXPECTED.get(0)).contains("over gRPC:\n  " + EXPECTED.get(0));
  }

  @Test
  void readmeCommandRunsThisClass() throws Exception {
    assertThat(Files.readString(Path.of("pom.xml")))
        .contains("<mainClass>" + EmbeddedOrRemoteExample.class.getName() + "</mainClass>");
    assertThat(Files.readString(Path.of("README.md")))
        .contains("./mvnw -q -pl examples/embedded-or-remote -am compile exec:java");
  }
}
