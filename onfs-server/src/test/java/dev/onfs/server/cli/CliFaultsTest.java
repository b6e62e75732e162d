package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.server.OnfsCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's mistakes print one line naming the option or file at fault and exit 2 (usage) or 1
 * (could not do it), never a Java stack trace or a page of usage burying the message.
 */
class CliFaultsTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {
    /** The error output, checked to be a short message rather than a trace or the whole usage. */
    String shortError() {
      assertThat(err).as("stderr").doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Usage:");
      assertThat(err.strip().lines().count()).as("stderr lines: %s", err).isLessThanOrEqualTo(2);
      return err.strip().lines().findFirst().orElse("");
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = OnfsCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void registryApplyWithoutFileNamesTheOption() {
    Run run = run("registry", "apply", "--etcd", "127.0.0.1:1");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.shortError()).isEqualTo("onfs registry apply: Missing required option: '--file=PATH'");
    assertThat(run.err()).contains("Run 'onfs registry apply --help' for usage.");
  }

  @Test
  void putWithoutRowsNamesTheOptions() {
    Run run = run("put");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.shortError()).startsWith("onfs put: ").contains("--json").contains("--file");
  }

  @Test
  void putWithAMissingFileNamesTheFile() {
    Path missing = dir.resolve("rows.json");
    Run run = run("put", "--file", missing.toString(), "-t", "127.0.0.1:1");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.shortError()).isEqualTo("onfs put: no such file: " + missing);
  }

  @Test
  void aBadDeadlineNamesTheOption() {
    Run run = run("get", "-e", "user", "-k", "1", "-f", "user_profile:city", "--deadline", "fast");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.shortError()).isEqualTo("onfs get: --deadline must look like 500ms or 5s, got 'fast'");
  }

  @Test
  void aGrpcPortInUseIsNamed() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run run = run("serve", "--demo", "--grpc-port", Integer.toString(busy.getLocalPort()), "--http-port", "0");
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.shortError()).startsWith("onfs serve: cannot listen on gRPC port 127.0.0.1:" + busy.getLocalPort()
          + " (option 'grpc-port'): ").containsIgnoringCase("address already in use");
    }
  }

  @Test
  void anHttpPortInUseIsNamed() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run run = run("serve", "--demo", "--grpc-port", "0", "--http-port", Integer.toString(busy.getLocalPort()));
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.shortError()).startsWith("onfs serve: cannot listen on HTTP port 127.0.0.1:" + busy.getLocalPort()
          + " (option 'http-port'): ").containsIgnoringCase("address already in use");
    }
  }

  @Test
  void anUnknownHostIsNamedWithTheAddress() {
    Run run = run("get", "-t", "no-such-host.invalid:8089", "--deadline", "2s", "-e", "user", "-k", "1",
        "-f", "user_profile:city");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.shortError()).startsWith("onfs get: cannot reach onfs at no-such-host.invalid:8089: ");
  }
}
