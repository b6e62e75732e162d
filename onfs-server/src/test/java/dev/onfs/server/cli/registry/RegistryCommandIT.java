package dev.onfs.server.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.TokenHash;
import dev.onfs.registry.etcd.EtcdRegistryClient;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.testing.EtcdServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onfs registry apply/export/list} against a real etcd, run in-process. */
class RegistryCommandIT {
  private static final String FAST = Integer.toString(TokenHash.MIN_ITERATIONS);

  @TempDir Path dir;

  @Test
  void applyThenExportRoundTrips() throws Exception {
    String etcd = EtcdServer.shared().endpoint();
    String app = "cli" + ProcessHandle.current().pid();

    CommandRun dry = CommandRun.run("registry", "apply", "-f", RegistryCommandTest.DEMO, "--etcd", etcd, "--app", app,
        "--dry-run", "--hash-iterations", FAST);
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).matches("(?s)dry run: \\d+ keys under /config/" + app + " would change\\s*");

    CommandRun apply = CommandRun.run("registry", "apply", "-f", RegistryCommandTest.DEMO, "--etcd", etcd, "--app", app,
        "--hash-iterations", FAST);
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("applied").contains("keys written");

    // Tokens land hashed; applying the same file again finds the hashes still match and writes nothing.
    CommandRun again = CommandRun.run("registry", "apply", "-f", RegistryCommandTest.DEMO, "--etcd", etcd, "--app", app,
        "--hash-iterations", FAST);
    assertThat(again.out()).contains(": 0 keys written in 0 transactions");
    SortedMap<String, String> keys;
    try (EtcdRegistryClient client = EtcdRegistryClient.connect(EtcdRegistryConfig.builder(etcd).appName(app).build())) {
      keys = client.readKeys();
    }
    String reader = keys.get("/config/" + app + "/security/reader/test");
    assertThat(reader).startsWith("{\"token\":\"$pbkdf2-sha256$i=" + FAST + "$");
    assertThat(keys.get("/config/" + app + "/security/reader/ranker")).doesNotContain("rtok").contains("\"entities\":[\"user\"]");
    assertThat(keys.get("/config/" + app + "/security/writer/user_daily_job")).doesNotContain("jtok");

    CommandRun export = CommandRun.run("registry", "export", "--etcd", etcd.replace("http://", ""), "--app", app);
    assertThat(export.exitCode()).as(export.err()).isZero();
    Path exported = dir.resolve("exported.yaml");
    Files.writeString(exported, export.out());
    RegistrySnapshot fromFile = RegistryFiles.load(Path.of(RegistryCommandTest.DEMO));
    RegistrySnapshot fromEtcd = RegistryFiles.load(exported);
    assertThat(fromEtcd.entities()).isEqualTo(fromFile.entities());
    assertThat(fromEtcd.stores()).isEqualTo(fromFile.stores());
    assertThat(fromEtcd.readers().keySet()).isEqualTo(fromFile.readers().keySet());
    assertThat(fromEtcd.writers().keySet()).isEqualTo(fromFile.writers().keySet());
    fromFile.readers().values().forEach(caller -> assertHashOf(fromEtcd.reader(caller.id()), caller));
    fromFile.writers().values().forEach(caller -> assertHashOf(fromEtcd.writer(caller.id()), caller));

    CommandRun list = CommandRun.run("registry", "list", "--etcd", etcd, "--app", app);
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).isEqualTo(RegistryCommand.table(fromFile));
  }

  private static void assertHashOf(Caller stored, Caller plain) {
    assertThat(TokenHash.parse(stored.token()).matches(plain.token())).as(plain.id()).isTrue();
    assertThat(stored.scopes()).isEqualTo(plain.scopes());
  }

  @Test
  void exportPrintsPlaintextTokensAsHashes() throws Exception {
    String etcd = EtcdServer.shared().endpoint();
    String app = "plain" + ProcessHandle.current().pid();
    // A reference tree: plaintext tokens, written as its control plane writes them.
    CommandRun apply = CommandRun.run("registry", "apply", "-f", RegistryCommandTest.DEMO, "--etcd", etcd, "--app", app,
        "--plaintext-tokens");
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    try (EtcdRegistryClient client = EtcdRegistryClient.connect(EtcdRegistryConfig.builder(etcd).appName(app).build())) {
      assertThat(client.readKeys().get("/config/" + app + "/security/writer/user_daily_job")).contains("\"token\":\"jtok\"");
    }
    CommandRun export = CommandRun.run("registry", "export", "--etcd", etcd, "--app", app, "--hash-iterations", FAST);
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).doesNotContain("rtok").doesNotContain("jtok").contains("$pbkdf2-sha256$");
    assertThat(export.err()).contains("4 plaintext tokens in etcd are exported as hashes");
  }

  @Test
  void unreachableEtcdIsReported() {
    CommandRun run = CommandRun.run("registry", "export", "--etcd", "http://127.0.0.1:1", "--app", "x", "--etcd-timeout", "1");
    assertThat(run.exitCode()).isEqualTo(RegistryCommand.UNAVAILABLE);
    assertThat(run.err()).contains("error: etcd at [http://127.0.0.1:1]");
  }
}
