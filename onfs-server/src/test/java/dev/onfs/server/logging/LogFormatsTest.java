package dev.onfs.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onfs.core.OnfsException;
import dev.onfs.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Both formats write one line per record, whatever the message holds. */
class LogFormatsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Logger logger = Logger.getLogger("onfs.test.formats");

  @AfterEach
  void backToText() {
    Logs.configure(LogFormat.TEXT);
  }

  @Test
  void jsonLinesHoldTheMessageAndTheTraceAsFields() throws Exception {
    Logs.configure(LogFormat.JSON, out);
    logger.log(Level.WARNING, "line one\nline \"two\"", new IllegalStateException("boom"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text.strip().lines()).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(text);
    assertThat(line.path("level").asText()).isEqualTo("WARNING");
    assertThat(line.path("logger").asText()).isEqualTo("onfs.test.formats");
    assertThat(line.path("message").asText()).isEqualTo("line one\nline \"two\"");
    assertThat(line.path("error").asText()).startsWith("java.lang.IllegalStateException: boom");
  }

  @Test
  void textLinesEscapeLineBreaksSoACallerCannotForgeARecord() {
    Logs.configure(LogFormat.TEXT, out);
    logger.info("entity=user\n2026-01-01T00:00:00Z INFO onfs.access access caller=admin");
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text.strip().lines()).hasSize(1);
    assertThat(text).contains("INFO onfs.test.formats entity=user\\u000a2026");
  }

  @Test
  void anUnknownFormatIsNamed() {
    assertThatThrownBy(() -> LogFormat.parse("xml", "log-format")).isInstanceOf(OnfsException.class)
        .hasMessage("option 'log-format' must be one of text, json, got 'xml'");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("access-log-sample-rate", "10%")))
        .hasMessage("option 'access-log-sample-rate' must be a number from 0 to 1, got '10%'");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("access-log-sample-rate", "2")))
        .hasMessage("option 'access-log-sample-rate' must be a number from 0 to 1, got '2'");
    assertThat(ServerConfig.fromMap(Map.of("log-format", "JSON", "access-log-sample-rate", "0.25")).logging())
        .isEqualTo(new LogOptions(LogFormat.JSON, 0.25, 10));
  }
}
