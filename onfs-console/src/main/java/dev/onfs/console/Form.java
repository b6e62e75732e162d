package dev.onfs.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An {@code application/x-www-form-urlencoded} body: every value of every field, in order. */
final class Form {
  private final Map<String, List<String>> fields;

  private Form(Map<String, List<String>> fields) {
    this.fields = fields;
  }

  static Form parse(byte[] body) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      fields.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return new Form(fields);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadForm("form", "the form is not URL-encoded: " + e.getMessage());
    }
  }

  /** The first value of a field, trimmed; empty when the field is missing. */
  String get(String name) {
    List<String> values = fields.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0).trim();
  }

  /** Every value of a field, raw. */
  List<String> all(String name) {
    return fields.getOrDefault(name, List.of());
  }

  boolean checked(String name) {
    return !get(name).isEmpty();
  }

  int integer(String name, int otherwise) {
    String v = get(name);
    if (v.isEmpty()) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new BadForm(name, name + " must be a whole number, was '" + v + "'");
    }
  }

  long number(String name, long otherwise) {
    String v = get(name);
    if (v.isEmpty()) {
      return otherwise;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new BadForm(name, name + " must be a whole number, was '" + v + "'");
    }
  }

  /** A form field the console could not read; shown next to the form like the control plane's errors. */
  static final class BadForm extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    BadForm(String field, String message) {
      super(message);
      this.field = field;
    }

    String field() {
      return field;
    }
  }
}
