package dev.onfs.bulkload;

import dev.onfs.core.OnfsException;
import dev.onfs.ingest.kafka.FeaturePusher;
import dev.onfs.ingest.kafka.FeatureRow;

/**
 * Sends rows to the ingestion topic through {@link FeaturePusher}, which checks each row against
 * the registry before anything is sent and keys records by entity key.
 */
final class TopicRowSink implements RowSink {
  private final FeaturePusher pusher;
  private long flushed;

  TopicRowSink(FeaturePusher pusher) {
    this.pusher = pusher;
  }

  @Override
  public void add(RowRef ref, FeatureRow row) {
    try {
      pusher.push(row);
    } catch (OnfsException e) {
      if (e.isTransient()) {
        throw e;
      }
      throw new BadRowException(null, e.getMessage());
    }
  }

  @Override
  public void flush() {
    pusher.flush();
    flushed = pusher.rowsPushed();
  }

  @Override
  public long rowsWritten() {
    return flushed;
  }

  @Override
  public void close() {
    pusher.close();
  }
}
