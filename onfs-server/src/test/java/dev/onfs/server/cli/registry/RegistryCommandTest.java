package dev.onfs.server.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCommandTest {
  static final String DEMO = Path.of("..", "examples", "registry", "demo-registry.yaml").toString();

  @TempDir Path dir;

  @Test
  void validateAcceptsTheDemoRegistry() {
    CommandRun run = CommandRun.run("registry", "validate", "-f", DEMO);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("is valid: 1 stores, 1 entities, 30 feature groups, 2 readers, 2 writers");
  }

  @Test
  void validateNamesTheProblem() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "stores: {'1': {db-type: scylla}}\nentities: {user: {keys: [id], feature-groups:"
        + " {g: {id: 0, store-id: 1, data-type: Int8, features: [{label: f, default: 300}]}}}}");
    CommandRun run = CommandRun.run("registry", "validate", "-f", file.toString());
    assertThat(run.exitCode()).isEqualTo(RegistryCommand.INVALID);
    assertThat(run.err()).contains("error: bad.yaml: entities.user.feature-groups.g.features[0] (f).default:"
        + " '300' is out of range for DataTypeInt8");
    CommandRun missing = CommandRun.run("registry", "validate", "-f", dir.resolve("nope.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(RegistryCommand.UNAVAILABLE);
    assertThat(missing.err()).contains("cannot read registry");
  }

  @Test
  void listPrintsOneRowPerFeatureGroup() {
    CommandRun run = CommandRun.run("registry", "list", "-f", DEMO);
    assertThat(run.exitCode()).as(run.err()).isZero();
    String[] lines = run.out().split("\n");
    assertThat(lines).hasSize(31);
    assertThat(lines[0]).startsWith("ENTITY  KEYS     FEATURE GROUP").contains("DATA TYPE").contains("VERSIONS");
    assertThat(lines[1]).matches("user\\s+user_id\\s+user_stats\\s+0\\s+FP32\\s+1\\s+2\\s+1,2\\s+3");
    assertThat(run.out()).contains("user_embedding").contains("FP16Vector");
  }

  @Test
  void listNeedsASource() {
    CommandRun run = CommandRun.run("registry", "list");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("Missing required argument");
  }
}
