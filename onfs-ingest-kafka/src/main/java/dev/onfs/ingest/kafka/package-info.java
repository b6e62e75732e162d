/**
 * Kafka ingestion for OnFS.
 *
 * <p>{@link dev.onfs.ingest.kafka.FeatureConsumer} reads {@code persist.Query} records (the
 * reference's wire format, see {@link dev.onfs.ingest.kafka.PersistQueryCodec}), validates them
 * with the store's own persist checks through a {@link dev.onfs.ingest.kafka.SchemaCatalog}, stores them through a
 * {@link dev.onfs.ingest.kafka.FeatureSink} and commits offsets only after the store acknowledged
 * them: at-least-once, with a dead-letter topic for invalid records and paused, backed-off retries
 * while the store is down.
 *
 * <p>{@link dev.onfs.ingest.kafka.FeaturePusher} is the producer side for batch and streaming jobs:
 * typed rows in, schema-checked, entity-keyed {@code persist.Query} records out.
 */
@NullMarked
package dev.onfs.ingest.kafka;

import org.jspecify.annotations.NullMarked;
