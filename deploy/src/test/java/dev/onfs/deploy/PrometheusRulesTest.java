package dev.onfs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs Prometheus's own {@code promtool} on the rules: syntax and PromQL ({@code check rules}), and the unit
 * tests under {@code prometheus/tests}, one file per alert ({@code test rules}).
 */
class PrometheusRulesTest {
  private static final Path RULES = Path.of("prometheus", "onfs-rules.yaml");
  private static final Path TESTS = Path.of("prometheus", "tests");
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    String out = promtool("check", "rules", RULES.toString());
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void everyAlertsUnitTestPasses() throws Exception {
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    testFiles().forEach(file -> args.add(file.toString()));
    String out = promtool(args.toArray(String[]::new));
    assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void everyAlertHasAUnitTestThatFiresIt() throws IOException {
    Set<String> alerts = new TreeSet<>();
    for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          alerts.add(rule.path("alert").asText());
        }
      }
    }
    Set<String> fired = new TreeSet<>();
    for (Path file : testFiles()) {
      for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
        for (JsonNode check : test.path("alert_rule_test")) {
          if (!check.path("exp_alerts").isEmpty()) {
            fired.add(check.path("alertname").asText());
          }
        }
      }
    }
    assertThat(alerts).isNotEmpty();
    assertThat(fired).as("alerts with a unit test in %s that expects them to fire", TESTS).containsAll(alerts);
  }

  private static List<Path> testFiles() throws IOException {
    try (Stream<Path> files = Files.list(TESTS)) {
      List<Path> tests = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(tests).as("unit test files in %s", TESTS).isNotEmpty();
      return tests;
    }
  }

  /** Runs promtool and returns its output; fails naming the package when it is not installed. */
  private static String promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(promtoolPath());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
    assertThat(process.exitValue()).as("%s exited with:%n%s", String.join(" ", command), out).isZero();
    return out;
  }

  private static String promtoolPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError("promtool is not on the PATH: install Debian's 'prometheus' package"
        + " (apt-get install prometheus), as scripts/test does");
  }
}
