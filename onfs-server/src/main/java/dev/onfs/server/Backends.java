package dev.onfs.server;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.config.Option;
import dev.onfs.core.config.OptionType;
import dev.onfs.core.config.OptionValues;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.registry.file.RegistryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The registry and store every command that serves or stores features opens ({@code serve},
 * {@code consume}): the one place the {@code store}, {@code store-settings.*}, {@code registry},
 * {@code registry-file} and {@code etcd-*} options become a {@link FeatureRegistry} and an
 * {@link OnlineStore}. Closing it closes both.
 */
public final class Backends implements AutoCloseable {
  public static final Option<String> STORE = Option.of("store", OptionType.text(), "memory",
      "storage adapter by factory name (memory, redis, scylla), found with ServiceLoader; scylla needs"
          + " store-settings.keyspace (the registry names only tables)");
  /** Prefix of the settings passed to the storage adapter's factory. */
  public static final String STORE_SETTINGS_PREFIX = "store-settings.";
  public static final String STORE_SETTINGS_DESCRIPTION = "passed to the storage adapter's factory, e.g."
      + " store-settings.nodes=redis:6379 (see the adapter's settings below)";
  public static final Option<String> REGISTRY = Option.of("registry", OptionType.oneOf("file", "etcd"), "file",
      "where feature definitions come from: file (reloaded when it changes) or etcd (watched)");
  public static final Option<String> REGISTRY_FILE = Option.of("registry-file", OptionType.text(), null,
      "registry YAML file or directory (registry=file), reloaded when it changes");

  /** The options this class reads, for the commands' option sets. */
  public static final List<Option<?>> OPTIONS = List.of(STORE, REGISTRY, REGISTRY_FILE);

  /**
   * What to open, as the options give it.
   *
   * @param store storage adapter factory name
   * @param storeSettings the adapter's settings
   * @param registry {@code file} or {@code etcd}
   * @param registryFile the registry file or directory (registry=file), or null
   * @param etcdEndpoints comma-separated endpoints (registry=etcd), or null
   * @param appName the etcd tree's application name
   * @param etcdAccess etcd user, password and TLS
   */
  public record Selection(String store, Map<String, String> storeSettings, String registry,
      @Nullable String registryFile, @Nullable String etcdEndpoints, String appName,
      EtcdRegistries.Access etcdAccess) {
    public Selection {
      requireNonNull(store, "store is null");
      storeSettings = Map.copyOf(requireNonNull(storeSettings, "storeSettings is null"));
      requireNonNull(registry, "registry is null");
      requireNonNull(appName, "appName is null");
      requireNonNull(etcdAccess, "etcdAccess is null");
    }

    /** The selection among {@code values}, whose set declares {@link #OPTIONS} and {@link EtcdRegistries#OPTIONS}. */
    public static Selection from(OptionValues values) {
      return new Selection(values.require(STORE), values.family(STORE_SETTINGS_PREFIX), values.require(REGISTRY),
          blankToNull(values.get(REGISTRY_FILE)), blankToNull(values.get(EtcdRegistries.ENDPOINTS)),
          values.require(EtcdRegistries.APP_NAME), EtcdRegistries.Access.from(values));
    }
  }

  private final FeatureRegistry registry;
  private final OnlineStore store;
  private final String storeName;
  private final String registryName;

  private Backends(FeatureRegistry registry, OnlineStore store, String storeName, String registryName) {
    this.registry = registry;
    this.store = store;
    this.storeName = storeName;
    this.registryName = registryName;
  }

  /**
   * Opens the registry, then the store; if the store fails the registry is closed again.
   *
   * @param missingFileHint appended to the error when registry=file has no registry-file (e.g. another
   *     way to run), or empty
   */
  public static Backends open(Selection selection, String missingFileHint) {
    FeatureRegistry registry = registry(selection, missingFileHint);
    return withStore(registry, selection.registry(), selection.store(), selection.storeSettings());
  }

  /**
   * The self-contained demo: the bundled demo registry written to {@code dir/registry.yaml} (and
   * reloaded from there, so a control plane publishing to it is served) and the in-memory store.
   */
  public static Backends demo(Path dir) {
    Path file = dir.resolve("registry.yaml");
    try {
      Files.writeString(file, RegistryFiles.toYaml(DemoData.registry()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo registry: " + e.getMessage(), e);
    }
    return withStore(RegistryFiles.watch(file), "memory", "memory", Map.of());
  }

  public FeatureRegistry registry() {
    return registry;
  }

  public OnlineStore store() {
    return store;
  }

  /** The store's factory name, for readiness checks and the start-up line. */
  public String storeName() {
    return storeName;
  }

  /** {@code file} or {@code etcd} (the demo's is {@code memory}), for metrics and the start-up line. */
  public String registryName() {
    return registryName;
  }

  /** Closes the store, then the registry. */
  @Override
  public void close() {
    try {
      store.close();
    } catch (Exception e) {
      System.getLogger(Backends.class.getName()).log(System.Logger.Level.WARNING, "closing the store failed", e);
    }
    registry.close();
  }

  private static Backends withStore(FeatureRegistry registry, String registryName, String storeName,
      Map<String, String> settings) {
    try {
      return new Backends(registry, StoreFactories.create(storeName, settings), storeName, registryName);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  private static FeatureRegistry registry(Selection selection, String missingFileHint) {
    if (selection.registry().equals("file")) {
      if (selection.registryFile() == null) {
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT,
            "option 'registry-file' is required when registry=file" + missingFileHint);
      }
      return RegistryFiles.watch(Path.of(selection.registryFile()));
    }
    if (selection.registry().equals("etcd")) {
      return EtcdRegistries.open(selection.etcdEndpoints(), selection.appName(), selection.etcdAccess());
    }
    throw new OnfsException(ErrorCode.INVALID_ARGUMENT,
        "option 'registry' must be file or etcd, got '" + selection.registry() + "'");
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
