package dev.onfs.server;

import dev.onfs.core.config.Option;
import dev.onfs.core.config.OptionSet;
import dev.onfs.server.cli.consume.ConsumeConfig;
import dev.onfs.storage.redis.RedisStoreFactory;
import dev.onfs.storage.scylla.ScyllaStoreFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code docs/configuration.md}, the option reference, from the option declarations, so that
 * the docs list exactly the options the code reads, with their defaults. A test fails when the
 * committed file differs from what this produces.
 */
public final class ConfigurationReference {
  /** Where the reference lives, relative to the repository root. */
  public static final String PATH = "docs/configuration.md";

  private ConfigurationReference() {}

  /** Writes the reference to the file named by the first argument (default {@value #PATH}). */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : PATH);
    Files.writeString(file, markdown());
  }

  /** The reference's text. */
  public static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("# Configuration reference\n\n")
        .append("<!-- Generated from the option declarations by ConfigurationReference; do not edit by hand. -->\n\n")
        .append("Every option the commands and storage adapters read, generated from their declarations in the"
            + " code. Errors name the option and where its value came from (the config file or the environment"
            + " variable); secrets are never printed.\n\n");
    section(out, ServerConfig.OPTION_SET, "`onfs serve`",
        "Values come from, in increasing precedence: the defaults, a YAML file (`--config onfs.yaml`, option names"
            + " as keys, nested maps joined with `.`), environment variables `ONFS_<NAME>` (`-` as `_`, `.` as"
            + " `__`: `grpc-port` is `ONFS_GRPC_PORT`, `store-settings.password` is"
            + " `ONFS_STORE_SETTINGS__PASSWORD`) and flags (`--grpc-port`, `--store`, ... or any option with"
            + " `--set name=value`). Unknown names stop the server. See [server.md](server.md#configuration).");
    section(out, ConsumeConfig.OPTION_SET, "`onfs consume`",
        "Each value comes from, in order: the flag (`--<option>`), the environment variable"
            + " `ONFS_CONSUME_<NAME>` (`-` as `_`), the reference consumer's variable where one is listed, the"
            + " config file (`--config`, YAML or `.properties`, option names as keys), the default. See"
            + " [ingestion.md](ingestion.md#onfs-consume).");
    section(out, RedisStoreFactory.OPTIONS, "Redis store settings",
        "`store-settings.<name>` with `store: redis` (`--store-setting name=value` for `consume`). See"
            + " [onfs-storage-redis](../onfs-storage-redis/README.md).");
    section(out, ScyllaStoreFactory.OPTIONS, "Scylla store settings",
        "`store-settings.<name>` with `store: scylla`. See [onfs-storage-scylla](../onfs-storage-scylla/README.md).");
    return out.toString();
  }

  private static void section(StringBuilder out, OptionSet set, String heading, String intro) {
    out.append("## ").append(heading).append("\n\n").append(intro).append("\n\n");
    out.append("| option | type | default | meaning |\n|---|---|---|---|\n");
    for (Option<?> option : set.options()) {
      StringBuilder meaning = new StringBuilder(option.description());
      if (option.isRequired()) {
        meaning.append(". Required");
      }
      if (!option.aliases().isEmpty()) {
        meaning.append(". Also read from ").append(String.join(", ", option.aliases().stream()
            .map(alias -> "`" + alias + "`").toList()));
      }
      if (option.isSecret()) {
        meaning.append(". Never printed");
      }
      String fallback = option.defaultValue();
      out.append("| `").append(option.name()).append("` | ").append(cell(option.type().describe())).append(" | ")
          .append(fallback == null || fallback.isEmpty() ? "" : "`" + fallback + "`").append(" | ")
          .append(cell(meaning.toString())).append(" |\n");
    }
    for (Map.Entry<String, String> family : set.families().entrySet()) {
      out.append("| `").append(family.getKey()).append("<name>` | text | | ").append(cell(family.getValue()))
          .append(" |\n");
    }
    out.append('\n');
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** The sets the reference covers, for tests. */
  static List<OptionSet> sets() {
    return List.of(ServerConfig.OPTION_SET, ConsumeConfig.OPTION_SET, RedisStoreFactory.OPTIONS,
        ScyllaStoreFactory.OPTIONS);
  }
}
