package dev.onfs.server.cli.consume;

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

    @Override
    void close();
  }

  Opened open(ConsumeConfig config);
}
