package dev.onfs.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports command-line mistakes without repeating values: the value after an unknown option is as
 * likely to be a password as anything else ({@code --sasl-pasword hunter2}), and shells, CI logs
 * and terminals keep what a command prints. Unknown options are named without their values; any
 * other error has the values of options whose names say they hold a secret masked. The error is one
 * line naming the command, followed by a pointer to its {@code --help} rather than the whole usage.
 */
public final class ParameterErrors implements CommandLine.IParameterExceptionHandler {
  private static final String MASK = "****";

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    PrintWriter err = command.getErr();
    // One line naming the option and a pointer to the help: the full usage would bury the message.
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + message(ex, args));
    if (!UnmatchedArgumentException.printSuggestions(ex, err)) {
      err.println("Run '" + name + " --help' for usage.");
    }
    err.flush();
    CommandLine.IExitCodeExceptionMapper mapper = command.getExitCodeExceptionMapper();
    return mapper != null ? mapper.getExitCode(ex) : command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** The message to print for {@code ex}. */
  static String message(ParameterException ex, String[] args) {
    if (ex instanceof UnmatchedArgumentException unmatched) {
      List<String> options = new ArrayList<>();
      int values = 0;
      for (String arg : unmatched.getUnmatched()) {
        if (arg.startsWith("-") && arg.length() > 1) {
          int equals = arg.indexOf('=');
          options.add(equals < 0 ? arg : arg.substring(0, equals) + "=" + MASK);
        } else {
          values++;
        }
      }
      String unshown = values == 0 ? "" : " (" + values + " further argument" + (values == 1 ? "" : "s") + ", not shown)";
      if (options.isEmpty()) {
        return "Unexpected argument" + (values == 1 ? "" : "s") + unshown.replace(" further", "");
      }
      return "Unknown option" + (options.size() == 1 ? "" : "s") + ": '" + String.join("', '", options) + "'" + unshown;
    }
    String message = String.valueOf(ex.getMessage());
    for (String secret : secretValues(args)) {
      message = message.replace(secret, MASK);
    }
    return message;
  }

  /** Values given to options (or {@code name=value} settings) whose names say they are secrets. */
  private static Set<String> secretValues(String[] args) {
    Set<String> values = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!isSecretName(arg)) {
        continue;
      }
      int equals = arg.indexOf('=');
      if (equals >= 0) {
        values.add(arg.substring(equals + 1));
        values.add(arg.substring(arg.lastIndexOf('=') + 1));
      } else if (arg.startsWith("-") && i + 1 < args.length) {
        values.add(args[i + 1]);
      }
    }
    values.removeIf(String::isEmpty);
    return values;
  }

  private static boolean isSecretName(String name) {
    return dev.onfs.core.config.OptionSet.looksSecret(name);
  }
}
