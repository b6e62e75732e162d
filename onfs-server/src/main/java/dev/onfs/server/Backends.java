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
import dev.onfs.storage.redis.DistributedCache;
import dev.onfs.storage.redis.DistributedCacheStore;
import dev.onfs.storage.redis.RedisStoreFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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

  /** Prefix of the distributed caches' settings: {@code distributed-cache.<conf-id>.<Redis store setting>}. */
  public static final String DISTRIBUTED_CACHE_PREFIX = "distributed-cache.";
  public static final String DISTRIBUTED_CACHE_DESCRIPTION = "a distributed cache (Redis, Sentinel, Cluster or"
      + " Dragonfly) in front of the store, for the entities whose distributed-cache conf-id is <id>:"
      + " distributed-cache.<id>.<setting> takes the Redis store settings, e.g. distributed-cache.2.nodes=cache:6379";
  public static final Option<Integer> DISTRIBUTED_CACHE_LEASE_MS = Option.of("distributed-cache-lease-ms",
      OptionType.positive(), "10000", "how long a read that missed the distributed cache may take between its lease"
          + " and its write-back; a later write-back is dropped (the next read misses again)");

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
      EtcdRegistries.Access etcdAccess, Map<String, String> distributedCaches, int distributedCacheLeaseMillis) {
    public Selection {
      distributedCaches = Map.copyOf(requireNonNull(distributedCaches, "distributedCaches is null"));
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
          values.require(EtcdRegistries.APP_NAME), EtcdRegistries.Access.from(values),
          values.family(DISTRIBUTED_CACHE_PREFIX), values.require(DISTRIBUTED_CACHE_LEASE_MS));
    }
  }

  private final FeatureRegistry registry;
  private final OnlineStore store;
  private final List<DistributedCache> caches;
  private final String storeName;
  private final String registryName;

  private Backends(FeatureRegistry registry, OnlineStore store, List<DistributedCache> caches, String storeName,
      String registryName) {
    this.registry = registry;
    this.store = store;
    this.caches = caches;
    this.storeName = storeName;
    this.registryName = registryName;
  }

  /**
   * Connects the distributed caches, opens the registry, then the store (behind the caches, when there are
   * any); if one fails, what was opened is closed again.
   *
   * @param missingFileHint appended to the error when registry=file has no registry-file (e.g. another
   *     way to run), or empty
   */
  public static Backends open(Selection selection, String missingFileHint) {
    List<DistributedCache> caches = distributedCaches(selection);
    try {
      FeatureRegistry registry = registry(selection, missingFileHint);
      Backends backends = withStore(registry, selection.registry(), selection.store(), selection.storeSettings());
      if (caches.isEmpty()) {
        return backends;
      }
      OnlineStore tiered = DistributedCacheStore.wrap(backends.store, registry, caches, Clock.systemUTC());
      return new Backends(registry, tiered, List.copyOf(caches), backends.storeName, backends.registryName);
    } catch (RuntimeException e) {
      caches.forEach(DistributedCache::close);
      throw e;
    }
  }

  /** The caches {@code distributed-cache.<id>.*} configures, each connected; none when none is. */
  private static List<DistributedCache> distributedCaches(Selection selection) {
    Map<Integer, Map<String, String>> byId = new TreeMap<>();
    for (Map.Entry<String, String> setting : selection.distributedCaches().entrySet()) {
      String name = setting.getKey();
      int dot = name.indexOf('.');
      int id;
      try {
        id = Integer.parseInt(dot < 0 ? name : name.substring(0, dot));
      } catch (NumberFormatException e) {
        id = -1;
      }
      if (dot < 0 || id < 0) {
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "option '" + DISTRIBUTED_CACHE_PREFIX + name
            + "' must be " + DISTRIBUTED_CACHE_PREFIX + "<conf-id>.<setting>, with a number as conf-id");
      }
      byId.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(name.substring(dot + 1), setting.getValue());
    }
    List<DistributedCache> caches = new ArrayList<>();
    try {
      byId.forEach((id, settings) -> caches.add(DistributedCache.connect(
          id, RedisStoreFactory.parse(settings), selection.distributedCacheLeaseMillis())));
    } catch (RuntimeException e) {
      caches.forEach(DistributedCache::close);
      throw e;
    }
    return caches;
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

  /** The distributed cache tier in front of the store, when {@code distributed-cache.*} configures one. */
  public Optional<DistributedCacheStore> distributedCache() {
    return store instanceof DistributedCacheStore tier ? Optional.of(tier) : Optional.empty();
  }

  /** The store's factory name, for readiness checks and the start-up line. */
  public String storeName() {
    return storeName;
  }

  /** {@code file} or {@code etcd} (the demo's is {@code memory}), for metrics and the start-up line. */
  public String registryName() {
    return registryName;
  }

  /** Closes the store, the distributed caches, then the registry. */
  @Override
  public void close() {
    try {
      store.close();
    } catch (Exception e) {
      System.getLogger(Backends.class.getName()).log(System.Logger.Level.WARNING, "closing the store failed", e);
    }
    caches.forEach(DistributedCache::close);
    registry.close();
  }

  private static Backends withStore(FeatureRegistry registry, String registryName, String storeName,
      Map<String, String> settings) {
    try {
      return new Backends(registry, StoreFactories.create(storeName, settings), List.of(), storeName, registryName);
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
