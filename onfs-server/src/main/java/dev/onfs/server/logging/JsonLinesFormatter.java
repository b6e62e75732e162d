package dev.onfs.server.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code thread}, {@code message},
 * {@code error} (the exception's trace) when there is one, and the fields of a structured record
 * (a record whose only parameter is a {@link Fields} map, such as an access-log line) at the top level.
 */
final class JsonLinesFormatter extends Formatter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory JSON = MAPPER.getFactory();

  /** The structured fields of a record, passed as its only parameter. */
  static final class Fields extends java.util.LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
    /** The JSON line's {@code message}: the fields say the rest. */
    final String message;

    Fields(String message) {
      this.message = message;
    }
  }

  @Override
  public String format(LogRecord record) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.setCodec(MAPPER);
      json.writeStartObject();
      json.writeStringField("ts", Instant.ofEpochMilli(record.getMillis()).toString());
      json.writeStringField("level", record.getLevel().getName());
      json.writeStringField("logger", record.getLoggerName());
      json.writeStringField("thread", Thread.currentThread().getName());
      Object[] parameters = record.getParameters();
      if (parameters != null && parameters.length == 1 && parameters[0] instanceof Fields fields) {
        json.writeStringField("message", fields.message);
        for (Map.Entry<String, Object> field : fields.entrySet()) {
          json.writeObjectField(field.getKey(), field.getValue());
        }
      } else {
        json.writeStringField("message", formatMessage(record));
      }
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        json.writeStringField("error", trace.toString());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.append('\n').toString();
  }
}
