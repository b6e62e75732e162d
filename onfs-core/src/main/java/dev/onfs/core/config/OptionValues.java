package dev.onfs.core.config;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnfsException;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** The parsed options of one {@link OptionSet#resolve}: given values, else defaults. */
public final class OptionValues {
  private final OptionSet set;
  private final Map<String, String> texts;
  private final Map<String, @Nullable String> origins;
  private final Map<String, Object> parsed;
  private final Map<String, Map<String, String>> families;

  OptionValues(OptionSet set, Map<String, String> texts, Map<String, @Nullable String> origins,
      Map<String, Object> parsed, Map<String, Map<String, String>> families) {
    this.set = set;
    this.texts = texts;
    this.origins = origins;
    this.parsed = parsed;
    this.families = families;
  }

  /** The option's value, its default when not given, or null when it has neither. */
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(Option<T> option) {
    check(option);
    return (T) parsed.get(option.name());
  }

  /** The option's value or default; an error naming it when it has neither. */
  public <T> T require(Option<T> option) {
    T value = get(option);
    if (value == null) {
      throw invalid(option, "is required");
    }
    return value;
  }

  /** The option's text as given (trimmed), else its default's, else null. */
  public @Nullable String text(Option<?> option) {
    check(option);
    String text = texts.get(option.name());
    return text != null ? text.trim() : option.defaultValue();
  }

  /** Whether the option was given (rather than defaulted). */
  public boolean isSet(Option<?> option) {
    check(option);
    return texts.containsKey(option.name());
  }

  /** The entries given under a family's prefix, prefix removed. */
  public Map<String, String> family(String prefix) {
    return Map.copyOf(requireNonNull(families.get(prefix), () -> set.title() + " has no family " + prefix));
  }

  /**
   * The error for a problem with {@code option} that only shows when read with others ({@code is set
   * without 'etcd-user'}): named as a bad value is, with where it came from.
   */
  public OnfsException invalid(Option<?> option, String problem) {
    return set.invalid(option.name(), problem, origins.get(option.name()));
  }

  /**
   * Every option's value, declared secrets as {@code ****}; of a family only the names, as a pass-through
   * value may hold anything (a key, a JAAS config).
   */
  @Override
  public String toString() {
    StringJoiner out = new StringJoiner(", ", "[", "]");
    for (Option<?> option : set.options()) {
      Object value = parsed.get(option.name());
      out.add(option.name() + "=" + (option.isSecret() && value != null ? "****" : value));
    }
    families.forEach((prefix, entries) -> out.add(prefix + "*=" + new TreeSet<>(entries.keySet())));
    return out.toString();
  }

  private void check(Option<?> option) {
    if (set.find(option.name()) != option) {
      throw new IllegalArgumentException(set.title() + " does not declare " + option);
    }
  }
}
