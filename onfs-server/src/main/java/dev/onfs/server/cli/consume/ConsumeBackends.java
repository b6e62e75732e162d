package dev.onfs.server.cli.consume;

import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.ingest.kafka.FeatureSink;
import dev.onfs.ingest.kafka.SchemaCatalog;
import java.io.Closeable;

/**
 * Turns the {@code store} and {@code registry} options into the registry view and the persist path
 * the consumers use. The server binds this to the same store/registry selection {@code serve} uses.
 */
public interface ConsumeBackends {

  /** The opened backends; closed when the command stops. */
  interface Opened extends Closeable {
    SchemaCatalog catalog();

    FeatureSink sink();

    /** The registry the catalog reads: readiness checks it is loaded, and metric labels come from it. */
    FeatureRegistry registry();

    /** The store the sink writes to: readiness pings it. */
    OnlineStore store();

    @Override
    void close();
  }

  Opened open(ConsumeConfig config);
}
