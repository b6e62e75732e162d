package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.storage.OnlineStore;
import dev.onfs.server.OnfsCommand;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.StoreFactories;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command answers {@code --help}, and every example a help text shows ({@code Example:} and
 * {@code Try:} lines, the JSON rows of {@code put}, the {@code --set} settings of {@code serve}) runs
 * against {@code serve --demo}, pointed at the test's demo ports, with exit code 0.
 */
class HelpExamplesTest {
  private static final Pattern EXAMPLE = Pattern.compile("(?:Example|Try):\\s+(onfs .+)");
  private static final Pattern CREDENTIALS = Pattern.compile("user 'admin' password (\\S+), user 'editor' password (\\S+)");
  private static final Pattern SETTING = Pattern.compile("--set ([a-z][a-z0-9.-]*)=([^\\s;,]+)");

  @TempDir Path dir;

  private final StringWriter banner = new StringWriter();
  private ServeCommand demo;
  private CompletableFuture<Integer> serving;

  private record Run(int exit, String out, String err) {}

  private static Run run(String stdin, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream in = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      int exit = OnfsCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
          .execute(args.toArray(String[]::new));
      return new Run(exit, out.toString(), err.toString());
    } finally {
      System.setIn(in);
    }
  }

  /** Every command, nested ones included, with the words that name it ({@code [cp, login]}). */
  private static Map<List<String>, CommandLine> commands() {
    Map<List<String>, CommandLine> all = new LinkedHashMap<>();
    Deque<CommandLine> todo = new ArrayDeque<>(List.of(OnfsCommand.commandLine()));
    while (!todo.isEmpty()) {
      CommandLine command = todo.pop();
      List<String> words = Arrays.asList(command.getCommandSpec().qualifiedName(" ").split(" "));
      all.put(words.subList(1, words.size()), command);
      todo.addAll(command.getSubcommands().values());
    }
    return all;
  }

  private static String help(List<String> words) {
    List<String> args = new ArrayList<>(words);
    args.add("--help");
    Run run = run("", args);
    assertThat(run.exit()).as("onfs %s --help: %s", String.join(" ", words), run.err()).isZero();
    return run.out();
  }

  @BeforeEach
  void startDemo() throws Exception {
    CommandLine serve = OnfsCommand.commandLine();
    serve.setOut(new PrintWriter(banner, true));
    StringWriter err = new StringWriter();
    serve.setErr(new PrintWriter(err, true));
    demo = serve.getSubcommands().get("serve").getCommand();
    serving = CompletableFuture.supplyAsync(() -> serve.execute("serve", "--demo", "--grpc-port", "0",
        "--http-port", "0", "--set", "shutdown-grace=1s"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (demo.running == null && !serving.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(demo.running).as("the demo did not start: %s", err).isNotNull();
  }

  @AfterEach
  void stopDemo() throws Exception {
    demo.stop.countDown();
    assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void everyCommandAnswersHelp() {
    for (List<String> words : commands().keySet()) {
      if (words.equals(List.of("help"))) {
        continue; // `onfs help` is the help itself
      }
      assertThat(help(words)).startsWith("Usage: onfs" + (words.isEmpty() ? "" : " " + String.join(" ", words)));
    }
  }

  @Test
  void everyHelpExampleRunsAgainstTheDemo() throws Exception {
    Matcher credentials = CREDENTIALS.matcher(banner.toString());
    assertThat(credentials.find()).as(banner.toString()).isTrue();
    Files.writeString(dir.resolve("change.yaml"), "kind: add-features\npayload:\n  entity: user\n"
        + "  feature-group: user_stats\n  features:\n    - label: views\n      default-value: '0'\n");
    String target = "127.0.0.1:" + demo.running.grpcPort();
    String url = "http://127.0.0.1:" + demo.running.httpPort();

    List<List<String>> examples = new ArrayList<>();
    List<String> jsonRows = new ArrayList<>();
    for (List<String> words : commands().keySet()) {
      if (words.equals(List.of("help"))) {
        continue;
      }
      String help = help(words);
      Matcher example = EXAMPLE.matcher(help);
      while (example.find()) {
        for (String command : example.group(1).split(", then ")) {
          examples.add(Arrays.asList(command.strip().split("\\s+")));
        }
      }
      jsonRows.addAll(jsonAfterEg(help));
    }
    assertThat(examples).as("examples found").contains(List.of("onfs", "serve", "--demo"));
    assertThat(jsonRows).as("put's JSON rows").hasSize(1);

    int ran = 0;
    for (List<String> example : examples) {
      assertThat(example.get(0)).isEqualTo("onfs");
      List<String> args = new ArrayList<>(example.subList(1, example.size()));
      if (args.equals(List.of("serve", "--demo"))) {
        ran++; // what this test's demo runs, on free ports
        continue;
      }
      String stdin = "";
      switch (args.get(0)) {
        case "get", "put" -> args.addAll(List.of("-t", target));
        case "cp" -> {
          args.addAll(1, List.of("--url", url, "--session-file", dir.resolve("cp-session").toString()));
          stdin = credentials.group(2) + "\n"; // login reads the editor's password from standard input
        }
        default -> { }
      }
      for (int i = 0; i + 1 < args.size(); i++) {
        if (args.get(i).equals("-f") && !args.get(i + 1).contains(":")) {
          args.set(i + 1, dir.resolve(args.get(i + 1)).toString()); // the example's file, written above
        }
      }
      Run run = run(stdin, args);
      assertThat(run.exit()).as("%s -> %s %s", String.join(" ", example), run.out(), run.err()).isZero();
      ran++;
    }
    for (String json : jsonRows) {
      Run run = run("", List.of("put", "-t", target, "--json", json));
      assertThat(run.exit()).as("put --json %s -> %s", json, run.err()).isZero();
      ran++;
    }
    assertThat(ran).isGreaterThanOrEqualTo(4);
  }

  @Test
  void theDocsGetAndPutCommandsRunAgainstTheDemo() throws Exception {
    String target = "127.0.0.1:" + demo.running.grpcPort();
    int ran = 0;
    for (Path doc : List.of(Path.of("../README.md"), Path.of("../docs/server.md"))) {
      for (List<String> command : shellCommands(Files.readString(doc))) {
        List<String> args = new ArrayList<>(command);
        if (args.size() > 3 && args.subList(0, 3).equals(List.of("java", "-jar", "onfs-server/target/onfs.jar"))) {
          args = new ArrayList<>(args.subList(3, args.size()));
        } else if (!args.isEmpty() && args.get(0).equals("onfs")) {
          args = new ArrayList<>(args.subList(1, args.size()));
        } else {
          continue;
        }
        if (args.isEmpty() || !(args.get(0).equals("get") || args.get(0).equals("put"))) {
          continue;
        }
        args.addAll(List.of("-t", target));
        Run run = run("", args);
        assertThat(run.exit()).as("%s (%s) -> %s", String.join(" ", command), doc, run.err()).isZero();
        ran++;
      }
    }
    assertThat(ran).as("get and put commands in README.md and docs/server.md").isGreaterThanOrEqualTo(3);
  }

  /**
   * The commands of a Markdown file's code blocks, split into words as a shell would: single and
   * double quotes (which may span lines), backslash line continuations, and comments after {@code #}.
   */
  static List<List<String>> shellCommands(String markdown) {
    List<List<String>> commands = new ArrayList<>();
    boolean inBlock = false;
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (String line : markdown.split("\n", -1)) {
      if (quote == 0 && line.startsWith("```")) {
        inBlock = !inBlock;
        continue;
      }
      if (!inBlock) {
        continue;
      }
      boolean continued = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          } else {
            word.append(c);
          }
        } else if (c == '\\' && i == line.length() - 1) {
          continued = true;
        } else if (c == '\'' || c == '"') {
          quote = c;
          word = word == null ? new StringBuilder() : word;
        } else if (Character.isWhitespace(c)) {
          if (word != null) {
            words.add(word.toString());
            word = null;
          }
        } else if (c == '#' && word == null) {
          break;
        } else {
          word = (word == null ? new StringBuilder() : word).append(c);
        }
      }
      if (quote != 0) {
        word.append('\n');
      } else if (!continued) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        if (!words.isEmpty()) {
          commands.add(words);
        }
        words = new ArrayList<>();
      }
    }
    return commands;
  }

  /** The JSON a help text shows after a line ending in "e.g.". */
  private static List<String> jsonAfterEg(String help) {
    List<String> found = new ArrayList<>();
    String[] lines = help.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].stripTrailing().endsWith("e.g.") && i + 1 < lines.length && lines[i + 1].startsWith("{")) {
        StringBuilder json = new StringBuilder();
        for (int j = i + 1; j < lines.length && (lines[j].startsWith("{") || lines[j].matches("\\s+\".*")); j++) {
          json.append(lines[j].strip());
        }
        found.add(json.toString());
      }
    }
    return found;
  }

  @Test
  void serveSettingsExamplesAreRealSettings() throws Exception {
    Matcher setting = SETTING.matcher(help(List.of("serve")).replaceAll("\\s+", " "));
    Map<String, String> settings = new LinkedHashMap<>();
    while (setting.find()) {
      settings.put(setting.group(1), setting.group(2));
    }
    assertThat(settings).as("--set examples in serve --help").containsKey("shutdown-grace");
    Map<String, String> storeSettings = new LinkedHashMap<>();
    settings.forEach((name, value) -> {
      if (name.startsWith(ServerConfig.STORE_SETTINGS_PREFIX)) {
        storeSettings.put(name.substring(ServerConfig.STORE_SETTINGS_PREFIX.length()), value);
      }
    });
    assertThat(storeSettings).as("a store-settings example in serve --help").isNotEmpty();
    Map<String, String> options = new LinkedHashMap<>(settings);
    options.put("store", "redis");
    ServerConfig config = ServerConfig.fromMap(options);
    // The Redis adapter takes the example's settings (it connects lazily, so no Redis is needed).
    try (OnlineStore store = StoreFactories.create(config.store(), config.storeSettings())) {
      assertThat(store).isNotNull();
    }
  }
}
