package dev.onfs.bulkload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every flag the bulk-loading section of docs/ingestion.md names is an option of onfs-load, and every option is documented. */
class LoadDocsFlagsTest {
  private static final Pattern FLAG = Pattern.compile("(?<![A-Za-z0-9_-])--[a-z][a-z0-9-]*");

  @Test
  void theDocumentedFlagsAreOnfsLoadsAndAllOfThem() throws IOException {
    String doc = Files.readString(Path.of("../docs/ingestion.md"));
    int start = doc.indexOf("## Bulk loading");
    assertThat(start).isNotNegative();
    String section = doc.substring(start, doc.indexOf("\n## ", start + 1));
    Set<String> documented = new TreeSet<>();
    Matcher m = FLAG.matcher(section);
    while (m.find()) {
      documented.add(m.group());
    }
    Set<String> declared = new TreeSet<>();
    for (CommandLine.Model.OptionSpec option : LoadCommand.commandLine().getCommandSpec().options()) {
      for (String name : option.names()) {
        if (name.startsWith("--")) {
          declared.add(name);
        }
      }
    }
    assertThat(declared).containsAll(documented);
    declared.removeAll(Set.of("--help", "--version"));
    assertThat(documented).containsAll(declared);
  }
}
