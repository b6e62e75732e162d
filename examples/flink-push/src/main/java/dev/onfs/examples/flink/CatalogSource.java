package dev.onfs.examples.flink;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.ingest.kafka.SchemaCatalog;
import dev.onfs.registry.file.RegistryFiles;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Where a Flink task finds the registry. Serializable, so it travels with the job graph to every task
 * manager and the catalog is built there in {@code open()}, never in the client JVM only.
 */
@FunctionalInterface
public interface CatalogSource extends Supplier<SchemaCatalog>, Serializable {

  /** The registry in a YAML file or directory readable on every task manager. */
  static CatalogSource registryFile(String path) {
    return () -> new RegistryCatalog(new InMemoryFeatureRegistry(RegistryFiles.load(Path.of(path))));
  }
}
