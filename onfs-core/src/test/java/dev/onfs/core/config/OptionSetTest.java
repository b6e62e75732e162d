package dev.onfs.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionSetTest {
  static final Option<Integer> PORT = Option.of("port", OptionType.port(), "8089", "port");
  static final Option<Duration> GRACE = Option.of("grace", OptionType.positiveDuration(), "20s", "grace");
  static final Option<String> HOST = Option.of("host", OptionType.text(), null, "host").required()
      .alsoFromEnv("REFERENCE_HOST");
  static final Option<String> PASSWORD = Option.of("password", OptionType.verbatim(), null, "password").secret();
  static final OptionSet SET = OptionSet.builder("test").environment("T_", false)
      .add(PORT, GRACE, HOST, PASSWORD).family("extra.", "passed on").build();

  @Test
  void laterSourcesWinAndDefaultsFillTheRest() {
    OptionValues values = SET.resolve(
        OptionSet.Source.of("config file t.yaml", Map.of("host", "file", "port", "1", "extra.x", "y")),
        SET.environment(Map.of("REFERENCE_HOST", "reference", "T_PORT", "2", "PATH", "/bin")),
        OptionSet.Source.of(null, Map.of("port", "3")));
    assertThat(values.get(PORT)).isEqualTo(3);
    assertThat(values.get(HOST)).isEqualTo("reference");
    assertThat(values.get(GRACE)).isEqualTo(Duration.ofSeconds(20));
    assertThat(values.isSet(GRACE)).isFalse();
    assertThat(values.get(PASSWORD)).isNull();
    assertThat(values.family("extra.")).isEqualTo(Map.of("x", "y"));
    assertThat(SET.resolve(SET.environment(Map.of("REFERENCE_HOST", "reference", "T_HOST", "own")))
        .get(HOST)).isEqualTo("own");
  }

  @Test
  void errorsNameTheOptionAndWhereItsValueCameFrom() {
    assertThatThrownBy(() -> SET.resolve(OptionSet.Source.of("config file t.yaml", Map.of("host", "h", "port", "x"))))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage("option 'port' must be an integer, got 'x' (config file t.yaml)");
    assertThatThrownBy(() -> SET.resolve(SET.environment(Map.of("T_HOST", "h", "T_GRACE", "0s"))))
        .hasMessage("option 'grace' must be positive, got PT0S (environment variable T_GRACE)");
    assertThatThrownBy(() -> SET.resolve(OptionSet.Source.of(null, Map.of("host", "h", "prot", "1"))))
        .hasMessage("unknown option 'prot'");
    assertThat(SET.resolve(OptionSet.Source.of(null, Map.of("host", "h", "prot", "1")).lenient()).get(PORT))
        .isEqualTo(8089);
    assertThatThrownBy(() -> SET.resolve())
        .hasMessage("option 'host' is required (or T_HOST, or 'host' in the config file)");
    OptionValues values = SET.resolve(OptionSet.Source.of("command line", Map.of("host", "h", "password", "p")));
    assertThat(values.invalid(PASSWORD, "is set without 'user'"))
        .hasMessage("option 'password' is set without 'user' (command line)");
  }

  @Test
  void secretsAreMasked() {
    OptionValues values = SET.resolve(OptionSet.Source.of(null,
        Map.of("host", "h", "password", "hunter2", "extra.token", "t0ken", "extra.token-file", "/run/t")));
    assertThat(values.toString()).doesNotContain("hunter2").doesNotContain("t0ken").contains("password=****")
        .contains("extra.*=[token, token-file]").contains("host=h");
    assertThat(OptionSet.looksSecret("tls-key-passphrase")).isTrue();
    assertThat(OptionSet.looksSecret("password-file")).isFalse();
  }

  @Test
  void typesSayWhatIsWrong() {
    assertThatThrownBy(() -> OptionType.integer(0, 1024).parse("-1")).hasMessage("must be 0..1024, got -1");
    assertThatThrownBy(() -> OptionType.positive().parse("0")).hasMessage("must be positive, got 0");
    assertThatThrownBy(() -> OptionType.nonNegative().parse("-3")).hasMessage("must not be negative, got -3");
    assertThatThrownBy(() -> OptionType.oneOf("a", "b").parse("c")).hasMessage("must be one of a, b, got 'c'");
    assertThatThrownBy(() -> OptionType.bool().parse("yes")).hasMessage("must be true or false, got 'yes'");
    assertThatThrownBy(() -> OptionType.fraction().parse("2")).hasMessage("must be a number from 0 to 1, got '2'");
    assertThat(OptionType.millis(1).parse("1000ms")).isEqualTo(Duration.ofSeconds(1));
    assertThat(OptionType.list().parse(" a, ,b ")).containsExactly("a", "b");
    assertThatThrownBy(() -> Option.of("n", OptionType.positive(), "0", "n"))
        .hasMessage("default of option 'n' must be positive, got 0");
    assertThatThrownBy(() -> OptionSet.builder("t").add(PORT, PORT).build()).hasMessageContaining("twice");
  }
}
