package dev.onfs.server.cli.registry;

import dev.onfs.server.OnfsCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code onfs ...} in-process and captures what it prints. */
record CommandRun(int exitCode, String out, String err) {
  static CommandRun run(String... args) {
    CommandLine command = OnfsCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int code = command.execute(args);
    return new CommandRun(code, out.toString(), err.toString());
  }
}
