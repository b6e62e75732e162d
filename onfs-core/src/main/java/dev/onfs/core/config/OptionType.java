package dev.onfs.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How an option's text becomes a value. {@link #parse} throws {@link IllegalArgumentException}
 * with the problem alone ({@code must be positive, got 0}); {@link OptionSet} prefixes the option's
 * name and suffixes where the value came from, so every option fails in the same words.
 *
 * @param <T> the value's type
 */
public interface OptionType<T> {

  /** The value {@code text} stands for; throws {@link IllegalArgumentException} saying what is wrong. */
  T parse(String text);

  /** What values look like, for the option reference: {@code integer}, {@code true or false}, ... */
  String describe();

  /** Text with surrounding blanks trimmed. */
  static OptionType<String> text() {
    return of("text", String::trim);
  }

  /** Text exactly as given (passwords, key prefixes: blanks may be part of the value). */
  static OptionType<String> verbatim() {
    return of("text", text -> text);
  }

  /** One of {@code allowed}, matched exactly after trimming. */
  static OptionType<String> oneOf(String... allowed) {
    List<String> values = List.of(allowed);
    return of(String.join(", ", values), raw -> {
      String text = raw.trim();
      if (!values.contains(text)) {
        throw new IllegalArgumentException("must be one of " + String.join(", ", values) + ", got '" + text + "'");
      }
      return text;
    });
  }

  /** A constant of {@code type}, named in lower case, matched in any case. */
  static <E extends Enum<E>> OptionType<E> lowerCaseEnum(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().toLowerCase(Locale.ROOT));
    }
    return of(String.join(", ", names), raw -> {
      String text = raw.trim().toLowerCase(Locale.ROOT);
      for (E constant : type.getEnumConstants()) {
        if (constant.name().toLowerCase(Locale.ROOT).equals(text)) {
          return constant;
        }
      }
      throw new IllegalArgumentException("must be one of " + String.join(", ", names) + ", got '" + raw + "'");
    });
  }

  /** {@code true} or {@code false}, any case. */
  static OptionType<Boolean> bool() {
    return of("true or false", raw -> {
      String text = raw.trim().toLowerCase(Locale.ROOT);
      if (!text.equals("true") && !text.equals("false")) {
        throw new IllegalArgumentException("must be true or false, got '" + text + "'");
      }
      return Boolean.parseBoolean(text);
    });
  }

  /** An integer in {@code min..max}. */
  static OptionType<Integer> integer(int min, int max) {
    return of(range("integer", min, max, Integer.MAX_VALUE), raw -> {
      long value = parseLong(raw.trim());
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("must be an integer, got '" + raw.trim() + "'");
      }
      checkRange(value, min, max, Integer.MAX_VALUE);
      return (int) value;
    });
  }

  /** An integer of at least 0. */
  static OptionType<Integer> nonNegative() {
    return integer(0, Integer.MAX_VALUE);
  }

  /** An integer of at least 1. */
  static OptionType<Integer> positive() {
    return integer(1, Integer.MAX_VALUE);
  }

  /** A TCP port; 0 picks a free one. */
  static OptionType<Integer> port() {
    return of("port, 0 to 65535", raw -> {
      long value = parseLong(raw.trim());
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("must be a port between 0 and 65535, got " + value);
      }
      return (int) value;
    });
  }

  /** A long integer in {@code min..max}. */
  static OptionType<Long> longInteger(long min, long max) {
    return of(range("integer", min, max, Long.MAX_VALUE), raw -> {
      long value = parseLong(raw.trim());
      checkRange(value, min, max, Long.MAX_VALUE);
      return value;
    });
  }

  /** A number from 0 to 1. */
  static OptionType<Double> fraction() {
    return of("number from 0 to 1", raw -> {
      String text = raw.trim();
      try {
        double value = Double.parseDouble(text);
        if (value >= 0 && value <= 1) {
          return value;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("must be a number from 0 to 1, got '" + text + "'");
    });
  }

  /** A duration: {@code 500ms}, {@code 20s}, {@code 2m} or ISO-8601 ({@code PT1H}). */
  static OptionType<Duration> duration() {
    return of("duration (500ms, 20s, 1m)", raw -> {
      String text = raw.trim();
      try {
        if (text.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
          return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        if (text.endsWith("m")) {
          return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return Duration.parse(text);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("must be a duration like 500ms, 20s or 1m, got '" + text + "'");
      }
    });
  }

  /** A {@link #duration()} longer than zero. */
  static OptionType<Duration> positiveDuration() {
    OptionType<Duration> any = duration();
    return of("duration > 0 (500ms, 20s, 1m)", raw -> {
      Duration value = any.parse(raw);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("must be positive, got " + value);
      }
      return value;
    });
  }

  /** Whole milliseconds of at least {@code min}; a trailing {@code ms} is accepted (Go's duration text). */
  static OptionType<Duration> millis(int min) {
    OptionType<Integer> number = integer(min, Integer.MAX_VALUE);
    return of("milliseconds", raw -> {
      String text = raw.trim();
      return Duration.ofMillis(number.parse(text.endsWith("ms") ? text.substring(0, text.length() - 2) : text));
    });
  }

  /** Whole seconds of at least 0. */
  static OptionType<Duration> seconds() {
    OptionType<Integer> number = nonNegative();
    return of("seconds", raw -> Duration.ofSeconds(number.parse(raw)));
  }

  /** A file system path. */
  static OptionType<Path> path() {
    return of("path", raw -> Path.of(raw.trim()));
  }

  /** Comma-separated items, trimmed, blanks dropped. */
  static OptionType<List<String>> list() {
    return of("comma-separated list", raw -> {
      List<String> items = new ArrayList<>();
      for (String item : raw.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
      return List.copyOf(items);
    });
  }

  /** A type from its description and parse function. */
  static <T> OptionType<T> of(String description, java.util.function.Function<String, T> parse) {
    return new OptionType<>() {
      @Override
      public T parse(String text) {
        return parse.apply(text);
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be an integer, got '" + text + "'");
    }
  }

  private static void checkRange(long value, long min, long max, long unbounded) {
    if (value >= min && value <= max) {
      return;
    }
    if (max == unbounded && min == 0) {
      throw new IllegalArgumentException("must not be negative, got " + value);
    }
    if (max == unbounded && min == 1) {
      throw new IllegalArgumentException("must be positive, got " + value);
    }
    throw new IllegalArgumentException("must be " + min + ".." + (max == unbounded ? "" : max) + ", got " + value);
  }

  private static String range(String what, long min, long max, long unbounded) {
    if (max == unbounded) {
      return min == 0 ? what + " >= 0" : min == 1 ? what + " >= 1" : what + " >= " + min;
    }
    return what + " " + min + ".." + max;
  }
}
