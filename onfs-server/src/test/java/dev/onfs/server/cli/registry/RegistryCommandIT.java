package dev.onfs.server.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.testing.EtcdServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onfs registry apply/export/list} against a real etcd, run in-process. */
class RegistryCommandIT {
  @TempDir Path dir;

  @Test
  void applyThenExportRoundTrips() throws Exception {
    String etcd = EtcdServer.shared().endpoint();
    String app = "cli" + ProcessHandle.current().pid();

    CommandRun dry = CommandRun.run("registry", "apply", "-f", RegistryCommandTest.DEMO, "--etcd", etcd, "--app", app, "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).matches("(?s)dry run: \\d+ keys under /config/" + app + " would change\\s*");

    CommandRun apply = CommandRun.run("registry", "apply", "-f", RegistryCommandTest.DEMO, "--etcd", etcd, "--app", app);
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("applied").contains("keys written");

    CommandRun again = CommandRun.run("registry", "apply", "-f", RegistryCommandTest.DEMO, "--etcd", etcd, "--app", app);
    assertThat(again.out()).contains(": 0 keys written in 0 transactions");

    CommandRun export = CommandRun.run("registry", "export", "--etcd", etcd.replace("http://", ""), "--app", app);
    assertThat(export.exitCode()).as(export.err()).isZero();
    Path exported = dir.resolve("exported.yaml");
    Files.writeString(exported, export.out());
    RegistrySnapshot fromFile = RegistryFiles.load(Path.of(RegistryCommandTest.DEMO));
    assertThat(RegistryFiles.load(exported)).isEqualTo(fromFile);

    CommandRun list = CommandRun.run("registry", "list", "--etcd", etcd, "--app", app);
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).isEqualTo(RegistryCommand.table(fromFile));
  }

  @Test
  void unreachableEtcdIsReported() {
    CommandRun run = CommandRun.run("registry", "export", "--etcd", "http://127.0.0.1:1", "--app", "x", "--etcd-timeout", "1");
    assertThat(run.exitCode()).isEqualTo(RegistryCommand.UNAVAILABLE);
    assertThat(run.err()).contains("error: etcd at [http://127.0.0.1:1]");
  }
}
