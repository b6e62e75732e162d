package dev.onfs.core.config;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The options of one command or adapter. {@link #resolve} merges sources (later ones win), rejects
 * unknown names, parses every option and fails on the first bad value with an
 * {@link ErrorCode#INVALID_ARGUMENT} naming the option and where its value came from. Families are
 * open-ended groups of names under a prefix ({@code store-settings.<key>}) passed on as they are.
 */
public final class OptionSet {
  private final String title;
  private final String subject;
  private final String unknownNoun;
  private final @Nullable String envPrefix;
  private final boolean strictEnvironment;
  private final List<Option<?>> options;
  private final Map<String, String> families;

  private OptionSet(Builder b) {
    this.title = b.title;
    this.subject = b.subject;
    this.unknownNoun = b.unknownNoun;
    this.envPrefix = b.envPrefix;
    this.strictEnvironment = b.strictEnvironment;
    this.options = List.copyOf(b.options);
    this.families = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.families)); // declaration order, for the docs
    List<String> names = new ArrayList<>();
    for (Option<?> option : options) {
      if (names.contains(option.name())) {
        throw new IllegalArgumentException(title + " declares option '" + option.name() + "' twice");
      }
      names.add(option.name());
    }
  }

  /** Starts a set titled {@code title} (the heading of its section in the option reference). */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  public String title() {
    return title;
  }

  /** The options, in declaration order. */
  public List<Option<?>> options() {
    return options;
  }

  /** Prefix ({@code store-settings.}) to meaning of each family of pass-through names. */
  public Map<String, String> families() {
    return families;
  }

  /** The prefix of this set's environment variables ({@code ONFS_}), or null when none is read. */
  public @Nullable String envPrefix() {
    return envPrefix;
  }

  /** The option named {@code name}, if declared. */
  public @Nullable Option<?> find(String name) {
    for (Option<?> option : options) {
      if (option.name().equals(name)) {
        return option;
      }
    }
    return null;
  }

  /** The environment variable an option is read from: {@code grpc-port} is {@code ONFS_GRPC_PORT}. */
  public String envName(String optionName) {
    if (envPrefix == null) {
      throw new IllegalStateException(title + " reads no environment variables");
    }
    return envPrefix + optionName.toUpperCase(Locale.ROOT).replace(".", "__").replace('-', '_');
  }

  /** How messages name an option: {@code option 'grpc-port'}, {@code --topic}. */
  public String subject(String optionName) {
    return String.format(Locale.ROOT, subject, optionName);
  }

  /**
   * The values the environment gives: {@code <prefix><NAME>} variables ({@code -} as {@code _},
   * {@code .} as {@code __}), and each option's {@link Option#aliases() aliases} below its own variable.
   */
  public Source environment(Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    for (Option<?> option : options) {
      for (int i = option.aliases().size() - 1; i >= 0; i--) {
        String alias = option.aliases().get(i);
        if (env.containsKey(alias)) {
          values.put(option.name(), env.get(alias));
          origins.put(option.name(), "environment variable " + alias);
        }
      }
    }
    if (envPrefix != null) {
      for (Map.Entry<String, String> entry : new java.util.TreeMap<>(env).entrySet()) {
        String key = entry.getKey();
        if (key.startsWith(envPrefix) && key.length() > envPrefix.length()) {
          String name = key.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace("__", ".").replace('_', '-');
          if (strictEnvironment || find(name) != null) {
            values.put(name, entry.getValue());
            origins.put(name, "environment variable " + key);
          }
        }
      }
    }
    return new Source(values, origins, null, true);
  }

  /**
   * Merges {@code sources} (later ones win) and parses every option.
   *
   * @throws OnfsException INVALID_ARGUMENT for an unknown name, a bad value or a missing required
   *     option, naming it and where its value came from
   */
  public OptionValues resolve(Source... sources) {
    Map<String, String> texts = new LinkedHashMap<>();
    Map<String, @Nullable String> origins = new LinkedHashMap<>();
    Map<String, Map<String, String>> familyValues = new LinkedHashMap<>();
    for (String prefix : families.keySet()) {
      familyValues.put(prefix, new LinkedHashMap<>());
    }
    for (Source source : sources) {
      for (Map.Entry<String, String> entry : source.values.entrySet()) {
        String name = entry.getKey();
        String origin = source.origin(name);
        String family = familyOf(name);
        if (family != null) {
          requireNonNull(familyValues.get(family), family).put(name.substring(family.length()), entry.getValue());
        } else if (find(name) != null) {
          texts.put(name, requireNonNull(entry.getValue(), name));
          origins.put(name, origin);
        } else if (source.strict) {
          throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "unknown " + unknownNoun + " '" + name + "'" + from(origin));
        }
      }
    }
    Map<String, Object> parsed = new LinkedHashMap<>();
    for (Option<?> option : options) {
      String text = texts.get(option.name());
      if (text == null) {
        if (option.isRequired()) {
          throw new OnfsException(ErrorCode.INVALID_ARGUMENT, subject(option.name()) + " is required" + (envPrefix == null
              ? "" : " (or " + envName(option.name()) + ", or '" + option.name() + "' in the config file)"));
        }
        text = option.defaultValue();
      }
      if (text != null) {
        try {
          parsed.put(option.name(), option.type().parse(text));
        } catch (IllegalArgumentException e) {
          throw new OnfsException(ErrorCode.INVALID_ARGUMENT,
              subject(option.name()) + " " + e.getMessage() + from(origins.get(option.name())), e);
        }
      }
    }
    return new OptionValues(this, texts, origins, parsed, familyValues);
  }

  /** Turns a problem with an option into the error {@link #resolve} would throw. */
  OnfsException invalid(String optionName, String problem, @Nullable String origin) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, subject(optionName) + " " + problem + from(origin));
  }

  private @Nullable String familyOf(String name) {
    for (String prefix : families.keySet()) {
      if (name.startsWith(prefix)) {
        return prefix;
      }
    }
    return null;
  }

  private static String from(@Nullable String origin) {
    return origin == null ? "" : " (" + origin + ")";
  }

  /**
   * Whether a setting's name says it holds a secret, for names not declared here (a family's
   * entries, a flag). A name ending in {@code file} holds the path of a file with the secret, which
   * is shown.
   */
  public static boolean looksSecret(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace("_", "-");
    if (n.endsWith("file")) {
      return false;
    }
    return n.contains("password") || n.contains("passwd") || n.contains("secret") || n.contains("token")
        || n.contains("credential") || n.contains("jaas") || n.contains("passphrase");
  }

  /**
   * Option values from one place: a config file, the environment, the command line. Names it does
   * not know fail unless the source is {@link #lenient()}.
   */
  public static final class Source {
    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final @Nullable String origin;
    private final boolean strict;

    private Source(Map<String, String> values, Map<String, String> origins, @Nullable String origin, boolean strict) {
      this.values = new LinkedHashMap<>(values);
      this.origins = Map.copyOf(origins);
      this.origin = origin;
      this.strict = strict;
    }

    /**
     * Values from {@code origin}, which errors name ({@code config file onfs.yaml}); null names none.
     */
    public static Source of(@Nullable String origin, Map<String, String> values) {
      return new Source(values, Map.of(), origin, true);
    }

    /** The values by option name. */
    public Map<String, String> values() {
      return java.util.Collections.unmodifiableMap(values);
    }

    /** This source, whose names that no option or family has are ignored rather than refused. */
    public Source lenient() {
      return new Source(values, origins, origin, false);
    }

    private @Nullable String origin(String name) {
      return origins.getOrDefault(name, origin);
    }
  }

  /** Builds an {@link OptionSet}. */
  public static final class Builder {
    private final String title;
    private String subject = "option '%s'";
    private String unknownNoun = "option";
    private @Nullable String envPrefix;
    private boolean strictEnvironment;
    private final List<Option<?>> options = new ArrayList<>();
    private final Map<String, String> families = new LinkedHashMap<>();

    private Builder(String title) {
      this.title = requireNonNull(title, "title is null");
    }

    /**
     * How errors name an option, a format with one {@code %s} (default {@code option '%s'}), and what an
     * unknown name is called ({@code unknown <noun> 'x'}; default {@code option}).
     */
    public Builder naming(String subject, String unknownNoun) {
      this.subject = requireNonNull(subject, "subject is null");
      this.unknownNoun = requireNonNull(unknownNoun, "unknownNoun is null");
      return this;
    }

    /**
     * Reads {@code <prefix><NAME>} environment variables; with {@code strict}, one that names no option
     * is an error (a misspelt variable stops the command rather than being ignored).
     */
    public Builder environment(String prefix, boolean strict) {
      this.envPrefix = requireNonNull(prefix, "prefix is null");
      this.strictEnvironment = strict;
      return this;
    }

    public Builder add(Option<?>... more) {
      options.addAll(List.of(more));
      return this;
    }

    public Builder addAll(List<? extends Option<?>> more) {
      options.addAll(more);
      return this;
    }

    /** Names under {@code prefix} pass through to {@link OptionValues#family}; {@code description} says where to. */
    public Builder family(String prefix, String description) {
      families.put(prefix, description);
      return this;
    }

    public OptionSet build() {
      return new OptionSet(this);
    }
  }
}
