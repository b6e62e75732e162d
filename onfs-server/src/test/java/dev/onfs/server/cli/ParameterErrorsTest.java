package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.server.OnfsCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Command-line errors name what is wrong without repeating values that may be secrets. */
class ParameterErrorsTest {
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = OnfsCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void anUnknownOptionIsNamedWithoutItsValue() {
    String[] run = run("consume", "--bootstrap-servers", "k:9092", "--sasl-pasword", "hunter2-secret");
    assertThat(run[0]).isEqualTo("2");
    assertThat(run[1] + run[2]).doesNotContain("hunter2-secret");
    assertThat(run[2]).contains("Unknown option: '--sasl-pasword' (1 further argument, not shown)");
  }

  @Test
  void anUnknownOptionWithAnAttachedValueIsMasked() {
    String[] run = run("registry", "validate", "-f", "x.yaml", "--etcd-pasword=hunter2-secret", "stray");
    assertThat(run[0]).isEqualTo("2");
    assertThat(run[1] + run[2]).doesNotContain("hunter2-secret").doesNotContain("stray");
    assertThat(run[2]).contains("Unknown option: '--etcd-pasword=****' (1 further argument, not shown)");
  }

  @Test
  void strayArgumentsAreCountedNotShown() {
    String[] run = run("registry", "validate", "-f", "x.yaml", "hunter2-secret");
    assertThat(run[2]).doesNotContain("hunter2-secret").contains("Unexpected argument (1 argument, not shown)");
  }

  @Test
  void otherErrorsMaskValuesOfSecretOptions() {
    CommandLine command = OnfsCommand.commandLine();
    String[] args = {"registry", "export", "--etcd", "e", "--etcd-password", "hunter2-secret", "--set",
        "store-settings.password=other-secret"};
    CommandLine.ParameterException error = new CommandLine.ParameterException(command,
        "Invalid value for option '--etcd-password': 'hunter2-secret'; store-settings.password=other-secret");
    assertThat(ParameterErrors.message(error, args))
        .isEqualTo("Invalid value for option '--etcd-password': '****'; store-settings.password=****");
  }
}
