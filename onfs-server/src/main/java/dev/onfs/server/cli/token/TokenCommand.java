package dev.onfs.server.cli.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.TokenHash;
import dev.onfs.core.registry.file.RegistryDocument;
import dev.onfs.registry.etcd.EtcdRegistryClient;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.server.cli.registry.RegistryCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code onfs token}: issues random caller tokens and rotates them. The token is printed once, on
 * standard output; the registry (a file or etcd) receives only its hash.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Issue and rotate reader and writer tokens; the registry keeps only their hashes.",
    subcommands = {TokenCommand.Create.class, TokenCommand.Promote.class})
public final class TokenCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Which caller: a reader or a writer, by id. */
  static final class Who {
    @Option(names = "--reader", paramLabel = "ID", description = "a reader (serving caller) id") @Nullable String reader;

    @Option(names = "--writer", paramLabel = "ID", description = "a writer (ingestion job) id") @Nullable String writer;

    boolean writer() {
      return writer != null;
    }

    String id() {
      return writer != null ? writer : java.util.Objects.requireNonNull(reader);
    }

    String describe() {
      return (writer() ? "writer '" : "reader '") + id() + "'";
    }
  }

  /** Where the registry is. */
  static final class Target {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
        description = "the registry YAML/JSON file holding the security section (rewritten in place; comments are not kept)")
    @Nullable Path file;

    @ArgGroup(exclusive = false)
    RegistryCommand.@Nullable EtcdOptions etcd;
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a random token for a reader or writer. The token is printed once on standard output;"
          + " the registry gets only its hash. Without --next the new token replaces the caller's tokens;"
          + " with --next it is added beside the current one (rotation: move clients, then 'token promote').",
          "Without -f or --etcd nothing is written: the hash to paste is printed on standard error."})
  static final class Create implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    @Nullable Target target;

    @Option(names = "--next", description = "add the token as next-token beside the current token (rotation)")
    boolean next;

    @Option(names = "--hash-iterations", defaultValue = "" + TokenHash.DEFAULT_ITERATIONS, paramLabel = "N",
        description = "PBKDF2 iterations of the stored hash (default: ${DEFAULT-VALUE})")
    int iterations;

    @Override
    public Integer call() throws Exception {
      return RegistryCommand.guarded(spec, () -> {
        String token = RegistryTokens.newToken();
        String hash = TokenHash.create(token, iterations).encoded();
        PrintWriter err = spec.commandLine().getErr();
        if (target == null) {
          if (next) {
            throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "--next needs a registry (-f or --etcd) to add the token to");
          }
          err.println("no registry given, nothing written; put this under security." + (who.writer() ? "writers" : "readers")
              + " in the registry:");
          err.println("  " + who.id() + ": " + hash);
        } else {
          String where = update(target, who, existing -> {
            if (!next) {
              return existing == null ? Caller.of(who.id(), hash) : existing.withTokens(hash, null);
            }
            if (existing == null) {
              throw new OnfsException(ErrorCode.INVALID_ARGUMENT, who.describe()
                  + " is not registered; create its first token without --next");
            }
            return existing.withTokens(existing.token(), hash);
          });
          err.println((next ? "added a next token for " : "set a new token for ") + who.describe() + " in " + where
              + " (stored hashed)");
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.println(token);
        out.flush();
        return 0;
      });
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Finish a rotation: the caller's next token becomes its only token; the old one stops working.")
  static final class Promote implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Override
    public Integer call() throws Exception {
      return RegistryCommand.guarded(spec, () -> {
        String where = update(target, who, existing -> {
          if (existing == null || existing.nextToken() == null) {
            throw new OnfsException(ErrorCode.INVALID_ARGUMENT, who.describe() + " has no next token to promote"
                + (existing == null ? " (it is not registered)" : "; add one with 'token create --next'"));
          }
          return existing.withTokens(existing.nextToken(), null);
        });
        spec.commandLine().getErr().println("promoted the next token of " + who.describe() + " in " + where);
        spec.commandLine().getErr().flush();
        return 0;
      });
    }
  }

  /** Applies {@code change} to the caller's entry in the target registry; returns where it was written. */
  static String update(Target target, Who who, Function<@Nullable Caller, Caller> change) throws IOException {
    if (target.file != null) {
      return updateFile(target.file, who, change);
    }
    EtcdRegistryConfig config = java.util.Objects.requireNonNull(target.etcd).config();
    try (EtcdRegistryClient client = EtcdRegistryClient.connect(config)) {
      RegistrySnapshot snapshot = client.read();
      Caller existing = who.writer() ? snapshot.writer(who.id()) : snapshot.reader(who.id());
      client.apply(who.writer(), change.apply(existing));
    }
    return config.basePath();
  }

  // ---- files -----------------------------------------------------------------------------------

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Edits the caller's entry in the file's document tree, leaving every other entry in the form it
   * was written in. Only the security section is checked as a registry (the file may be one of a
   * directory's, whose stores and entities live elsewhere); the rewritten text must read back as the
   * same tree, so nothing else can change.
   */
  @SuppressWarnings("unchecked")
  private static String updateFile(Path file, Who who, Function<@Nullable Caller, Caller> change) throws IOException {
    if (Files.isDirectory(file)) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, file + " is a directory; give the registry file that holds"
          + " (or should hold) the security section");
    }
    String name = file.getFileName().toString();
    Object root = RegistryFiles.parser().parse(name, Files.readAllBytes(file));
    if (root != null && !(root instanceof Map)) {
      throw new OnfsException(ErrorCode.INVALID_REGISTRY, name + ": must hold a map (stores, security, entities)");
    }
    Map<String, Object> document = root == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, Object>) root);
    Map<String, Object> security = child(document, "security", name);
    RegistrySnapshot callers = RegistryDocument.toSnapshot(Map.of(name, Map.of("security", security)), 0);
    Caller existing = who.writer() ? callers.writer(who.id()) : callers.reader(who.id());
    Caller changed = change.apply(existing);

    Map<String, Object> entries = child(security, who.writer() ? "writers" : "readers", name);
    Object entry = entries.get(who.id());
    if (entry instanceof Map<?, ?> fields) {
      Map<String, Object> map = new LinkedHashMap<>((Map<String, Object>) fields);
      map.put("token", changed.token());
      if (changed.nextToken() == null) {
        map.remove("next-token");
      } else {
        map.put("next-token", changed.nextToken());
      }
      entries.put(who.id(), map.size() == 1 ? changed.token() : map);
    } else if (changed.nextToken() == null) {
      entries.put(who.id(), changed.token());
    } else {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("token", changed.token());
      map.put("next-token", changed.nextToken());
      entries.put(who.id(), map);
    }
    RegistryDocument.toSnapshot(Map.of(name, Map.of("security", security)), 0); // the edited entries are valid
    boolean json = name.toLowerCase(Locale.ROOT).endsWith(".json");
    String text;
    try {
      text = (json ? JSON : YAML).writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new OnfsException(ErrorCode.INTERNAL, "cannot render " + name + ": " + e.getOriginalMessage(), e);
    }
    if (!document.equals(RegistryFiles.parser().parse(name, text.getBytes(StandardCharsets.UTF_8)))) {
      throw new OnfsException(ErrorCode.INVALID_REGISTRY, "cannot rewrite " + file + " without changing other values;"
          + " run without -f and put the printed hash into the file by hand");
    }
    replace(file, text);
    return file.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String key, String file) {
    Object node = parent.get(key);
    if (node == null) {
      Map<String, Object> created = new LinkedHashMap<>();
      parent.put(key, created);
      return created;
    }
    if (!(node instanceof Map)) {
      throw new OnfsException(ErrorCode.INVALID_REGISTRY, file + ": " + key + " must be a map");
    }
    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) node);
    parent.put(key, copy);
    return copy;
  }

  /** Replaces the file in one step (readers and the file watcher never see half a file), keeping its permissions. */
  private static void replace(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        Files.setPosixFilePermissions(temp, permissions);
      } catch (UnsupportedOperationException notPosix) {
        // keep the default permissions
      }
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
