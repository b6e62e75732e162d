/**
 * The embeddable feature store. Exported packages are the API an embedding application or an adapter
 * compiles against; everything else (the PSDB codec, the near cache, the registry's shared checks and
 * quarantine) is implementation and may change without notice.
 *
 * <ul>
 *   <li>{@code dev.onfs.core.serving}: the entry point {@code OnlineFeatureStore}, its builder, queries,
 *       results and values.
 *   <li>{@code dev.onfs.core}: the error model ({@code OnfsException}, {@code ErrorCode}, {@code ErrorKind}).
 *   <li>{@code dev.onfs.core.registry}, {@code dev.onfs.core.registry.file}: the registry model, its SPI
 *       and the file registry.
 *   <li>{@code dev.onfs.core.storage}, {@code dev.onfs.core.storage.memory}: the storage SPI and the
 *       in-memory store.
 *   <li>{@code dev.onfs.core.types}, {@code dev.onfs.core.metrics}, {@code dev.onfs.core.backend}: data
 *       types, the stats hook, and the TLS and secret settings adapters share.
 * </ul>
 */
@SuppressWarnings("module") // qualified exports name adapter modules that are compiled after this one
module dev.onfs.core {
  requires static org.jspecify;
  requires com.github.luben.zstd_jni;
  requires com.github.benmanes.caffeine;

  exports dev.onfs.core;
  exports dev.onfs.core.backend;
  exports dev.onfs.core.config;
  exports dev.onfs.core.metrics;
  exports dev.onfs.core.registry;
  exports dev.onfs.core.registry.file;
  exports dev.onfs.core.serving;
  exports dev.onfs.core.storage;
  exports dev.onfs.core.storage.memory;
  exports dev.onfs.core.types;

  // Shared by the registry sources in core and the etcd registry; not API.
  exports dev.onfs.core.registry.internal to dev.onfs.registry.etcd;
  exports dev.onfs.core.registry.quarantine to dev.onfs.registry.etcd;

  uses dev.onfs.core.storage.StoreFactory;
  provides dev.onfs.core.storage.StoreFactory with dev.onfs.core.storage.memory.InMemoryStoreFactory;
}
