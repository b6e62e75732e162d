package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.server.OnfsCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code --flag} the README and {@code docs/} mention is an option of some {@code onfs}
 * command: a documented flag that does not exist fails with an "Unknown option" error at the user.
 */
class DocsFlagsTest {
  /**
   * Text that looks like a flag but is not one of ours: the etcd, Kafka and helm flags the docs quote
   * (how the tests start those servers), an arrow label in the control plane's state diagram, and the
   * misspelt flag the docs show an error for.
   */
  private static final Set<String> OTHER_TOOLS = Set.of(
      "--max-txn-ops", "--cert-file", "--key-file", "--trusted-ca-file", "--client-cert-auth", // etcd
      "--add-scram", // kafka-storage format
      "--strict", // helm lint
      "--port", "--save", "--appendonly", // redis-server, in the ingestion quickstart
      "--data-dir", "--partitions", // scripts/kafka (--port too)
      // onfs-load's own, checked against its command by onfs-bulk-load's LoadDocsFlagsTest
      "--rejects", "--format", "--csv-delimiter", "--batch-rows", "--progress-interval-ms",
      "--approve", "--sasl-pasword");

  private static final Pattern FLAG = Pattern.compile("(?<![A-Za-z0-9_-])--[a-z][a-z0-9-]*");

  private static Set<String> declaredFlags() {
    Set<String> names = new TreeSet<>();
    Deque<CommandLine> todo = new ArrayDeque<>();
    todo.add(OnfsCommand.commandLine());
    while (!todo.isEmpty()) {
      CommandLine command = todo.pop();
      for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
        names.addAll(Set.of(option.names()));
      }
      todo.addAll(command.getSubcommands().values());
    }
    return names;
  }

  @Test
  void everyDocumentedFlagExists() throws IOException {
    Set<String> declared = declaredFlags();
    TreeMap<String, String> missing = new TreeMap<>();
    Path root = Path.of("..");
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      for (Path doc : Stream.concat(Stream.of(root.resolve("README.md")), docs.filter(p -> p.toString().endsWith(".md")))
          .toList()) {
        Matcher flags = FLAG.matcher(Files.readString(doc));
        while (flags.find()) {
          String flag = flags.group();
          // "--etcd-*" names a family of our flags.
          boolean family = flag.endsWith("-") && declared.stream().anyMatch(d -> d.startsWith(flag));
          if (!declared.contains(flag) && !OTHER_TOOLS.contains(flag) && !family) {
            missing.putIfAbsent(flag, doc.getFileName().toString());
          }
        }
      }
    }
    assertThat(missing).as("flags in the docs (flag -> first doc) that no onfs command declares").isEmpty();
    // The walk reaches nested subcommands (registry apply, token create), not only the top level.
    assertThat(declared).contains("--grpc-port", "--bootstrap-servers", "--dry-run", "--next");
  }
}
