package dev.onfs.server.cli.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.CallerScopes;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.TokenHash;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.server.OnfsCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onfs token create / promote} on registry files. */
class TokenCommandTest {
  private static final String FAST = Integer.toString(TokenHash.MIN_ITERATIONS);

  @TempDir Path dir;
  private Path registry;

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = OnfsCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void copyDemoRegistry() throws IOException {
    registry = dir.resolve("registry.yaml");
    Files.copy(Path.of("..", "examples", "registry", "demo-registry.yaml"), registry);
  }

  private static String token(Run run) {
    assertThat(run.exitCode()).as(run.err()).isZero();
    String token = run.out().strip();
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    return token;
  }

  private static boolean matches(String stored, String token) {
    return TokenHash.isHashed(stored) && TokenHash.parse(stored).matches(token);
  }

  @Test
  void createPrintsTheTokenOnceAndStoresOnlyItsHash() throws IOException {
    Run run = run("token", "create", "--reader", "ranker", "-f", registry.toString(), "--hash-iterations", FAST);
    String token = token(run);
    String file = Files.readString(registry);
    assertThat(file).doesNotContain(token).contains("$pbkdf2-sha256$i=" + FAST + "$");
    assertThat(run.err()).doesNotContain(token).contains("set a new token for reader 'ranker'");
    RegistrySnapshot snapshot = RegistryFiles.load(registry);
    Caller ranker = snapshot.reader("ranker");
    assertThat(ranker.nextToken()).isNull();
    assertThat(matches(ranker.token(), token)).isTrue();
    // The entry keeps its scopes; every other entry is untouched.
    assertThat(ranker.scopes()).isEqualTo(new CallerScopes(Set.of("user"), null));
    assertThat(snapshot.reader("test").token()).isEqualTo("test");
    assertThat(snapshot.writer("user_daily_job").token()).isEqualTo("jtok");
    RegistrySnapshot before = RegistryFiles.load(Path.of("..", "examples", "registry", "demo-registry.yaml"));
    assertThat(snapshot.entities()).isEqualTo(before.entities());
    assertThat(snapshot.stores()).isEqualTo(before.stores());
  }

  @Test
  void createRegistersANewWriter() throws IOException {
    String token = token(run("token", "create", "--writer", "item_job", "-f", registry.toString(), "--hash-iterations", FAST));
    assertThat(Files.readString(registry)).doesNotContain(token);
    Caller job = RegistryFiles.load(registry).writer("item_job");
    assertThat(matches(job.token(), token)).isTrue();
    assertThat(job.scopes().isAll()).isTrue();
  }

  @Test
  void rotationAddsANextTokenThenPromotesIt() throws IOException {
    String first = token(run("token", "create", "--writer", "user_daily_job", "-f", registry.toString(), "--hash-iterations", FAST));
    String second = token(run("token", "create", "--writer", "user_daily_job", "--next", "-f", registry.toString(),
        "--hash-iterations", FAST));
    Caller job = RegistryFiles.load(registry).writer("user_daily_job");
    assertThat(matches(job.token(), first)).isTrue();
    assertThat(matches(job.nextToken(), second)).isTrue();
    assertThat(job.scopes().featureGroups()).containsExactly("user:user_embedding", "user:user_stats");

    Run promote = run("token", "promote", "--writer", "user_daily_job", "-f", registry.toString());
    assertThat(promote.exitCode()).as(promote.err()).isZero();
    assertThat(promote.out()).isEmpty();
    job = RegistryFiles.load(registry).writer("user_daily_job");
    assertThat(job.tokens()).hasSize(1);
    assertThat(matches(job.token(), second)).isTrue();
    String file = Files.readString(registry);
    assertThat(file).doesNotContain(first).doesNotContain(second).doesNotContain("next-token");
  }

  @Test
  void withoutARegistryNothingIsWrittenAndTheHashIsShownToPaste() throws IOException {
    String before = Files.readString(registry);
    Run run = run("token", "create", "--reader", "ranker", "--hash-iterations", FAST);
    String token = token(run);
    assertThat(run.err()).doesNotContain(token).contains("ranker: $pbkdf2-sha256$");
    String hash = run.err().substring(run.err().indexOf("$pbkdf2")).strip();
    assertThat(matches(hash, token)).isTrue();
    assertThat(Files.readString(registry)).isEqualTo(before);
  }

  @Test
  void mistakesAreReportedAndChangeNothing() throws IOException {
    String before = Files.readString(registry);
    Run promote = run("token", "promote", "--reader", "ranker", "-f", registry.toString());
    assertThat(promote.exitCode()).isEqualTo(1);
    assertThat(promote.err()).contains("reader 'ranker' has no next token to promote");
    Run next = run("token", "create", "--reader", "newcomer", "--next", "-f", registry.toString(), "--hash-iterations", FAST);
    assertThat(next.exitCode()).isEqualTo(1);
    assertThat(next.out()).isEmpty();
    assertThat(next.err()).contains("reader 'newcomer' is not registered; create its first token without --next");
    Run weak = run("token", "create", "--reader", "ranker", "-f", registry.toString(), "--hash-iterations", "1000");
    assertThat(weak.exitCode()).isEqualTo(1);
    assertThat(weak.out()).isEmpty();
    assertThat(weak.err()).contains("iteration count 1000 is outside");
    assertThat(Files.readString(registry)).isEqualTo(before);
    Run both = run("token", "create", "--reader", "a", "--writer", "b");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
  }

  @Test
  void jsonRegistryFilesStayJson() throws IOException {
    Path json = dir.resolve("r.json");
    Files.writeString(json, "{\"stores\": {}, \"security\": {\"readers\": {\"a\": \"plain\"}}}");
    String token = token(run("token", "create", "--reader", "a", "-f", json.toString(), "--hash-iterations", FAST));
    String text = Files.readString(json);
    assertThat(text).startsWith("{").doesNotContain(token).doesNotContain("plain");
    assertThat(matches(RegistryFiles.load(json).reader("a").token(), token)).isTrue();
  }

  @Test
  void aFileOfARegistryDirectoryIsEditedOnItsOwn() throws IOException {
    Path registryDir = dir.resolve("registry");
    Files.createDirectories(registryDir);
    Files.writeString(registryDir.resolve("a-stores.yaml"), "stores: {'1': {db-type: scylla, primary-keys: [id]}}\n");
    Files.writeString(registryDir.resolve("b-user.yaml"), "# the user entity\nentities: {user: {keys: [id], feature-groups:"
        + " {g: {id: 0, store-id: 1, data-type: FP32, features: [{label: f, default: 1.50}]}}}}\n"
        + "security: {writers: {job: jtok}}\n");
    String token = token(run("token", "create", "--writer", "job", "-f", registryDir.resolve("b-user.yaml").toString(),
        "--hash-iterations", FAST));
    RegistrySnapshot snapshot = RegistryFiles.load(registryDir);
    assertThat(matches(snapshot.writer("job").token(), token)).isTrue();
    assertThat(snapshot.featureGroup("user", "g").activeFeatures().defaultValue(0)).containsExactly(0, 0, 0xC0, 0x3F);
    Run onDirectory = run("token", "create", "--writer", "job", "-f", registryDir.toString(), "--hash-iterations", FAST);
    assertThat(onDirectory.exitCode()).isEqualTo(1);
    assertThat(onDirectory.err()).contains("is a directory; give the registry file");
  }
}
