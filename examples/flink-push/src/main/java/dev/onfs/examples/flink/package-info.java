/**
 * Pushing features from a Flink job: {@link dev.onfs.examples.flink.FeatureRowSerializationSchema}
 * plugs into Flink's {@code KafkaSink} and writes registry-checked {@code persist.Query} records
 * that {@code onfs consume} ingests.
 */
@NullMarked
package dev.onfs.examples.flink;

import org.jspecify.annotations.NullMarked;
