package dev.onfs.registry.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.CallerScopes;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.TokenHash;
import dev.onfs.core.registry.testing.WorkedExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryFilesTest {
  @TempDir Path dir;

  private static String resource(String name) throws IOException {
    try (var in = RegistryFilesTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void workedExampleYamlMatchesTheModel() throws IOException {
    RegistrySnapshot snapshot = RegistryFiles.parse("worked-example.yaml", resource("worked-example.yaml"));
    // Columns were left out: they are sized like the reference does (17 bytes in seg_0, 25 in seg_1).
    assertThat(snapshot).isEqualTo(WorkedExample.snapshot());
  }

  @Test
  void yamlRoundTripKeepsEverything() {
    RegistrySnapshot snapshot = WorkedExample.afterAddingAov();
    String yaml = RegistryFiles.toYaml(snapshot);
    assertThat(yaml).contains("data-type: DataTypeFP32").contains("default: \"1.0\"").contains("seg_0: 21");
    assertThat(RegistryFiles.parse("export.yaml", yaml)).isEqualTo(snapshot);
  }

  @Test
  void jsonFilesAreReadToo() throws IOException {
    Path file = dir.resolve("r.json");
    Files.writeString(file, "{\"stores\": {\"1\": {\"db-type\": \"scylla\", \"primary-keys\": [\"id\"]}},"
        + " \"entities\": {\"e\": {\"keys\": [\"id\"], \"feature-groups\": {\"g\": {\"id\": 0, \"store-id\": 1,"
        + " \"data-type\": \"Int32\", \"features\": [{\"label\": \"f\", \"default\": -5}]}}}}}");
    RegistrySnapshot snapshot = RegistryFiles.load(file);
    assertThat(snapshot.featureGroup("e", "g").activeFeatures().defaultValue(0)).containsExactly(0xFB, 0xFF, 0xFF, 0xFF);
    assertThat(snapshot.featureGroup("e", "g").columnLabels()).containsExactly("seg_0");
  }

  @Test
  void aNullDocumentInMemoryReadsAsTheSameFileDoes() throws IOException {
    // "~" is a YAML document whose value is null: the parser returns null for it.
    Path file = dir.resolve("nothing.yaml");
    Files.writeString(file, "~\n");
    assertThat(RegistryFiles.load(file).entities()).isEmpty();
    assertThat(RegistryFiles.parse("nothing.yaml", "~\n").entities()).isEmpty();
  }

  @Test
  void errorsNameTheFileAndPath() {
    assertRejected("entities: {user: {keys: [id], feature-groups: {g: {id: 0, store-id: 1, data-type: FP32,"
            + " features: [{label: f, default: abc}]}}}}\nstores: {'1': {db-type: scylla}}",
        "r.yaml: entities.user.feature-groups.g.features[0] (f).default: 'abc' is not a valid DataTypeFP32 value");
    assertRejected("entities: {user: {keys: [id], colour: red}}",
        "r.yaml: entities.user.colour is not a known field");
    assertRejected("entities: {user: {keys: [id], feature-groups: {g: {store-id: 1, data-type: FP32, features: []}}}}",
        "r.yaml: entities.user.feature-groups.g.id is missing");
    assertRejected("entities: {user: {keys: [id], feature-groups: {g: {id: 0, store-id: 1, data-type: FP33, features: []}}}}",
        "r.yaml: entities.user.feature-groups.g.data-type: unknown data type 'FP33'");
    assertRejected("entities: {user: {keys: [id], feature-groups: {g: {id: 0, store-id: 9, data-type: FP32, features: []}}}}",
        "store-id 9 does not exist");
    assertRejected("entities: {user: {keys: []}}", "entity 'user' has no keys");
    assertRejected("entities: {'a,b': {keys: [id]}}", "entity label 'a,b' contains ','");
    assertRejected("entities: {user: {keys: [id]\n", "r.yaml: ");
  }

  private void assertRejected(String yaml, String message) {
    assertThatThrownBy(() -> RegistryFiles.parse("r.yaml", yaml))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((OnfsException) e).code()).isEqualTo(ErrorCode.INVALID_REGISTRY);
  }

  @Test
  void directoryFilesAreMergedAndMayNotOverlap() throws IOException {
    Files.writeString(dir.resolve("a-stores.yaml"), "stores: {'1': {db-type: scylla, primary-keys: [id]}}\n"
        + "security: {readers: {test: test}}");
    Files.writeString(dir.resolve("b-user.yml"), "entities: {user: {keys: [id], feature-groups: {g: {id: 0,"
        + " store-id: 1, data-type: Bool, features: [{label: f, default: true}]}}}}");
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    RegistrySnapshot snapshot = RegistryFiles.load(dir);
    assertThat(snapshot.reader("test").token()).isEqualTo("test");
    assertThat(snapshot.featureGroup("user", 0).activeFeatures().defaultValue(0)).containsExactly(0x80);

    Files.writeString(dir.resolve("c-again.yaml"), "security: {readers: {test: other}}");
    assertThatThrownBy(() -> RegistryFiles.load(dir))
        .hasMessage("reader test is defined in both a-stores.yaml and c-again.yaml");
  }

  @Test
  void callersMayCarryANextTokenAndScopes() {
    String hash = TokenHash.create("rtok", TokenHash.MIN_ITERATIONS).encoded();
    RegistrySnapshot snapshot = RegistryFiles.parse("r.yaml", "security:\n"
        + "  readers:\n"
        + "    test: test\n"
        + "    ranker: {token: '" + hash + "', next-token: rtok2, scopes: {entities: [user]}}\n"
        + "  writers:\n"
        + "    job: {token: jtok, scopes: {feature-groups: ['user:user_stats']}}\n");
    assertThat(snapshot.reader("test")).isEqualTo(Caller.of("test", "test"));
    assertThat(snapshot.reader("ranker")).isEqualTo(new Caller("ranker", hash, "rtok2", new CallerScopes(Set.of("user"), null)));
    assertThat(snapshot.writer("job").scopes()).isEqualTo(new CallerScopes(null, Set.of("user:user_stats")));
    // Exported in the short form where it is enough, and read back the same.
    String yaml = RegistryFiles.toYaml(snapshot);
    assertThat(yaml).contains("test: test").contains("next-token: rtok2");
    assertThat(RegistryFiles.parse("export.yaml", yaml)).isEqualTo(snapshot);
  }

  @Test
  void badCallerEntriesNameThePathButNotTheToken() {
    assertRejected("security: {readers: {r: {token: t, colour: red}}}", "r.yaml: security.readers.r.colour is not a known field");
    assertRejected("security: {readers: {r: {next-token: t}}}", "r.yaml: security.readers.r.token is missing");
    assertRejected("security: {readers: {r: {token: t, scopes: {entities: }}}}",
        "r.yaml: security.readers.r.scopes.entities is empty; give a list, or leave the field out for no limit");
    assertRejected("security: {writers: {w: {token: t, scopes: {feature-groups: [user_stats]}}}}",
        "r.yaml: security.writers.w.scopes: scopes.feature-groups entry 'user_stats' must be <entity>:<feature group>");
    assertRejected("security: {readers: {r: '$pbkdf2-sha256$i=100000$c2FsdA$aGFzaA'}}",
        "r.yaml: security.readers.r: token: token hash salt has 4 bytes");
    assertThatThrownBy(() -> RegistryFiles.parse("r.yaml", "security: {readers: {r: '$pbkdf2-sha256$i=1$c2FsdA$aGFzaA'}}"))
        .hasMessageNotContaining("c2FsdA");
  }
}
