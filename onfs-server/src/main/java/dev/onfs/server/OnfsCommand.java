package dev.onfs.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code onfs} command line: the one place that wires registries, stores and transports. */
@Command(
    name = "onfs",
    mixinStandardHelpOptions = true,
    versionProvider = OnfsCommand.Version.class,
    description = "Online feature store for the JVM, compatible with BharatMLStack OnFS.",
    subcommands = {
      CommandLine.HelpCommand.class,
      dev.onfs.server.cli.ServeCommand.class,
      dev.onfs.server.cli.GetCommand.class,
      dev.onfs.server.cli.PutCommand.class,
      dev.onfs.server.cli.consume.ConsumeCommand.class,
      dev.onfs.server.cli.registry.RegistryCommand.class,
      dev.onfs.server.cli.token.TokenCommand.class,
      dev.onfs.server.cli.ControlPlaneCommand.class,
      dev.onfs.server.cli.cp.ControlPlaneCliCommand.class,
    })
public final class OnfsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests to run subcommands in-process. */
  public static CommandLine commandLine() {
    CommandLine onfs = new CommandLine(new OnfsCommand()).setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(new dev.onfs.server.cli.ParameterErrors())
        .setExecutionExceptionHandler(new dev.onfs.server.cli.ExecutionErrors());
    withHelp(onfs);
    return onfs;
  }

  /** Every command answers --help, nested ones included (without it, `cp login --help` is a usage error). */
  private static void withHelp(CommandLine command) {
    if (!command.getCommandSpec().mixinStandardHelpOptions() && command.getCommandSpec().optionsMap().get("--help") == null
        && !(command.getCommand() instanceof CommandLine.HelpCommand)) {
      command.getCommandSpec().mixinStandardHelpOptions(true);
    }
    command.getSubcommands().values().forEach(OnfsCommand::withHelp);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = OnfsCommand.class.getPackage().getImplementationVersion();
      return new String[] {"onfs " + (version == null ? "development build" : version)};
    }
  }
}
