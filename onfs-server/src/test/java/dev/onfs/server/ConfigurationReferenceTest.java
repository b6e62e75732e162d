package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.config.Option;
import dev.onfs.core.config.OptionSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed option reference is the one the declarations produce. */
class ConfigurationReferenceTest {
  private static final Path FILE = Path.of("..").resolve(ConfigurationReference.PATH);

  @Test
  void theCommittedReferenceMatchesTheDeclarations() throws Exception {
    String generated = ConfigurationReference.markdown();
    if (System.getenv("WRITE_CONFIG_DOCS") != null) {
      Files.writeString(FILE, generated);
    }
    assertThat(Files.exists(FILE) ? Files.readString(FILE) : "")
        .as(ConfigurationReference.PATH + " is out of date with the option declarations; regenerate it with"
            + " WRITE_CONFIG_DOCS=1 ./mvnw -pl onfs-server -am -Dtest=ConfigurationReferenceTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -DskipITs verify")
        .isEqualTo(generated);
  }

  @Test
  void everyDeclaredOptionIsInTheReference() {
    String generated = ConfigurationReference.markdown();
    for (OptionSet set : ConfigurationReference.sets()) {
      for (Option<?> option : set.options()) {
        assertThat(generated).as(set.title()).contains("| `" + option.name() + "` |");
        assertThat(option.description()).as(option.name()).isNotBlank();
      }
    }
  }
}
