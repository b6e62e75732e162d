package dev.onfs.core.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One configuration option, declared once: its name (the config file key, the flag without
 * {@code --}), type, default, meaning, whether it must be given, whether it holds a secret, and other
 * names it is also read under (a reference deployment's environment variables). Immutable; the
 * methods that add a property return a copy.
 *
 * @param <T> the parsed value's type
 */
public final class Option<T> {
  private final String name;
  private final OptionType<T> type;
  private final @Nullable String defaultValue;
  private final String description;
  private final boolean required;
  private final boolean secret;
  private final List<String> aliases;

  private Option(String name, OptionType<T> type, @Nullable String defaultValue, String description,
      boolean required, boolean secret, List<String> aliases) {
    this.name = requireNonNull(name, "name is null");
    this.type = requireNonNull(type, "type is null");
    this.defaultValue = defaultValue;
    this.description = requireNonNull(description, "description is null");
    this.required = required;
    this.secret = secret;
    this.aliases = List.copyOf(aliases);
    if (defaultValue != null) {
      try {
        type.parse(defaultValue);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("default of option '" + name + "' " + e.getMessage(), e);
      }
    }
  }

  /**
   * An option.
   *
   * @param defaultValue the value's text when none is given, or null for none (the value is then
   *     absent, or an error if {@link #required()})
   */
  public static <T> Option<T> of(String name, OptionType<T> type, @Nullable String defaultValue, String description) {
    return new Option<>(name, type, defaultValue, description, false, false, List.of());
  }

  /** This option, which must be given. */
  public Option<T> required() {
    return new Option<>(name, type, defaultValue, description, true, secret, aliases);
  }

  /** This option, whose value is never shown (config dumps print {@code ****}). */
  public Option<T> secret() {
    return new Option<>(name, type, defaultValue, description, required, true, aliases);
  }

  /** This option, also read from the environment variable {@code env} (after its own). */
  public Option<T> alsoFromEnv(String env) {
    List<String> more = new ArrayList<>(aliases);
    more.add(env);
    return new Option<>(name, type, defaultValue, description, required, secret, more);
  }

  public String name() {
    return name;
  }

  public OptionType<T> type() {
    return type;
  }

  /** The default's text, or null when there is none. */
  public @Nullable String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public boolean isRequired() {
    return required;
  }

  public boolean isSecret() {
    return secret;
  }

  /** Environment variables this option is also read from, in order of precedence. */
  public List<String> aliases() {
    return aliases;
  }

  @Override
  public String toString() {
    return "Option[" + name + "]";
  }
}
