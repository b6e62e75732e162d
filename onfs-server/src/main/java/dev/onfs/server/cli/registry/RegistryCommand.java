package dev.onfs.server.cli.registry;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.TokenHash;
import dev.onfs.registry.etcd.EtcdRegistryClient;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.server.EtcdRegistries;
import dev.onfs.server.cli.token.RegistryTokens;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code onfs registry}: move feature registries between YAML files and etcd, and check them. */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "Validate, list, apply (file -> etcd) and export (etcd -> YAML) feature registries.",
    subcommands = {
      RegistryCommand.Apply.class,
      RegistryCommand.Export.class,
      RegistryCommand.Validate.class,
      RegistryCommand.ListCommand.class,
    })
public final class RegistryCommand implements Runnable {
  /** Exit code when the registry is invalid. */
  static final int INVALID = 1;
  /** Exit code when etcd or a file cannot be reached. */
  static final int UNAVAILABLE = 2;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the etcd tree is; shared with {@code onfs token}. */
  public static final class EtcdOptions {
    @Option(names = "--etcd", required = true, paramLabel = "URL[,URL...]",
        description = "etcd endpoints, comma-separated (http://host:port or host:port).")
    String endpoints;

    @Option(names = "--app", defaultValue = EtcdRegistryConfig.DEFAULT_APP_NAME,
        description = "Application name: the tree lives under /config/<app> (default: ${DEFAULT-VALUE}).")
    String app;

    @Option(names = "--etcd-timeout", defaultValue = "5", paramLabel = "SECONDS",
        description = "How long to wait for etcd (default: ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Option(names = "--etcd-user", description = "etcd user (with --etcd-password).")
    @Nullable String user;

    @Option(names = "--etcd-password", description = "etcd password (prompted when given without a value).",
        arity = "0..1", interactive = true)
    @Nullable String password;

    @Option(names = "--etcd-password-file", paramLabel = "FILE", description = "File holding the etcd password.")
    @Nullable String passwordFile;

    @Option(names = "--etcd-tls-ca-file", paramLabel = "PEM",
        description = "CA certificates to trust for etcd; turns TLS on (https://).")
    @Nullable String tlsCaFile;

    @Option(names = "--etcd-tls-cert-file", paramLabel = "PEM", description = "Client certificate for etcd.")
    @Nullable String tlsCertFile;

    @Option(names = "--etcd-tls-key-file", paramLabel = "PEM", description = "PKCS#8 key of --etcd-tls-cert-file.")
    @Nullable String tlsKeyFile;

    /** The client settings, checked and built where serve and consume build theirs. */
    public EtcdRegistryConfig config() {
      return EtcdRegistries.config(endpoints, app,
          new EtcdRegistries.Access(user, password, passwordFile, tlsCaFile, tlsCertFile, tlsKeyFile),
          java.time.Duration.ofSeconds(Math.max(1, timeoutSeconds)));
    }
  }

  /** Where a registry comes from: a file (or directory) or etcd. */
  static final class Source {
    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "A registry YAML/JSON file or a directory of them.")
    @Nullable Path file;

    @ArgGroup(exclusive = false)
    @Nullable EtcdOptions etcd;

    RegistrySnapshot load() {
      if (file != null) {
        return RegistryFiles.load(file);
      }
      if (etcd == null) {
        throw new CommandLine.ParameterException(new CommandLine(new Object()), "give -f FILE or --etcd URL");
      }
      try (EtcdRegistryClient client = EtcdRegistryClient.connect(etcd.config())) {
        return client.read();
      }
    }
  }

  /** Runs a step, printing an OnFS error to stderr and mapping it to an exit code. */
  public static int guarded(CommandLine.Model.CommandSpec spec, Callable<Integer> step) throws Exception {
    try {
      return step.call();
    } catch (OnfsException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: " + e.getMessage());
      err.flush();
      return e.isTransient() || e.code() == dev.onfs.core.ErrorCode.REGISTRY_UNAVAILABLE ? UNAVAILABLE : INVALID;
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Publish a registry file to etcd in the reference's key layout. Keys are added or"
          + " updated, never deleted; each feature group is written in one transaction. Plaintext tokens are"
          + " written as hashes (a token etcd already holds a matching hash of is left as it is).")
  static final class Apply implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "PATH",
        description = "The registry YAML/JSON file or directory.")
    Path file;

    @ArgGroup(exclusive = false, multiplicity = "1")
    EtcdOptions etcd;

    @Option(names = "--dry-run", description = "Validate and show how many keys would change; write nothing.")
    boolean dryRun;

    @Option(names = "--plaintext-tokens", description = "Write tokens as the file has them, plaintext included"
        + " (only for a tree that reference servers, which compare plaintext, also read).")
    boolean plaintextTokens;

    @Option(names = "--hash-iterations", defaultValue = "" + TokenHash.DEFAULT_ITERATIONS, paramLabel = "N",
        description = "PBKDF2 iterations of new token hashes (default: ${DEFAULT-VALUE}).")
    int hashIterations;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        RegistrySnapshot snapshot = RegistryFiles.load(file);
        PrintWriter out = spec.commandLine().getOut();
        EtcdRegistryConfig config = etcd.config();
        try (EtcdRegistryClient client = EtcdRegistryClient.connect(config)) {
          if (!plaintextTokens) {
            snapshot = RegistryTokens.hashPlaintext(snapshot, currentOrNull(client), hashIterations).snapshot();
          }
          if (dryRun) {
            var current = client.readKeys();
            long changes = dev.onfs.registry.etcd.EtcdKeyTree.keys(config.appName(), snapshot).entrySet().stream()
                .filter(e -> !e.getValue().equals(current.get(e.getKey())))
                .count();
            out.println("dry run: " + changes + " keys under " + config.basePath() + " would change");
          } else {
            EtcdRegistryClient.ApplyResult result = client.apply(snapshot);
            out.println("applied " + file + " to " + config.basePath() + ": " + result.keysWritten() + " keys written in "
                + result.transactions() + " transactions (revision " + result.revision() + ")");
          }
        }
        out.flush();
        return 0;
      });
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Print the registry in etcd as YAML (the file format that apply reads). Tokens stored in"
          + " plaintext (as the reference stores them) are printed as hashes: secrets are never printed.")
  static final class Export implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = false, multiplicity = "1")
    EtcdOptions etcd;

    @Option(names = "--hash-iterations", defaultValue = "" + TokenHash.DEFAULT_ITERATIONS, paramLabel = "N",
        description = "PBKDF2 iterations of the hashes printed for plaintext tokens (default: ${DEFAULT-VALUE}).")
    int hashIterations;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        try (EtcdRegistryClient client = EtcdRegistryClient.connect(etcd.config())) {
          RegistryTokens.Hashed hashed = RegistryTokens.hashPlaintext(client.read(), null, hashIterations);
          PrintWriter out = spec.commandLine().getOut();
          out.print(RegistryFiles.toYaml(hashed.snapshot()));
          out.flush();
          if (hashed.hashed() > 0) {
            spec.commandLine().getErr().println(hashed.hashed() + " plaintext tokens in etcd are exported as hashes;"
                + " the tokens themselves are not printed");
            spec.commandLine().getErr().flush();
          }
        }
        return 0;
      });
    }
  }

  /** What etcd holds now, or null when it holds nothing valid to compare with. */
  private static @Nullable RegistrySnapshot currentOrNull(EtcdRegistryClient client) {
    try {
      return client.read();
    } catch (OnfsException e) {
      if (e.code() == dev.onfs.core.ErrorCode.INVALID_REGISTRY) {
        return null;
      }
      throw e;
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a registry file (or directory); prints the first problem with its path.")
  static final class Validate implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "PATH",
        description = "The registry YAML/JSON file or directory.")
    Path file;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        RegistrySnapshot snapshot = RegistryFiles.load(file);
        int groups = snapshot.entities().values().stream().mapToInt(e -> e.featureGroups().size()).sum();
        spec.commandLine().getOut().println(file + " is valid: " + snapshot.stores().size() + " stores, "
            + snapshot.entities().size() + " entities, " + groups + " feature groups, "
            + snapshot.readers().size() + " readers, " + snapshot.writers().size() + " writers");
        spec.commandLine().getOut().flush();
        return 0;
      });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List entities, feature groups and versions as a table, from a file or etcd.")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        RegistrySnapshot snapshot = source.load();
        spec.commandLine().getOut().print(table(snapshot));
        spec.commandLine().getOut().flush();
        return 0;
      });
    }
  }

  /** The list table: one row per feature group. */
  static String table(RegistrySnapshot snapshot) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ENTITY", "KEYS", "FEATURE GROUP", "ID", "DATA TYPE", "STORE", "ACTIVE", "VERSIONS", "FEATURES"});
    for (Entity entity : snapshot.entities().values()) {
      String keys = String.join(",", entity.keyLabels());
      if (entity.featureGroups().isEmpty()) {
        rows.add(new String[] {entity.label(), keys, "-", "", "", "", "", "", ""});
      }
      List<FeatureGroup> groups = new ArrayList<>(entity.featureGroups().values());
      groups.sort(java.util.Comparator.comparingInt(FeatureGroup::id));
      for (FeatureGroup group : groups) {
        List<String> versions = new ArrayList<>();
        group.versions().keySet().forEach(v -> versions.add(Integer.toString(v)));
        rows.add(new String[] {entity.label(), keys, group.label(), Integer.toString(group.id()),
            group.dataType().registryName().substring("DataType".length()), group.storeId(),
            Integer.toString(group.activeVersion()), String.join(",", versions),
            Integer.toString(group.activeFeatures().size())});
      }
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", row[i]));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }
}
