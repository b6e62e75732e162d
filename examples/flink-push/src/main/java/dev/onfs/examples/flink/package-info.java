/**
 * Pushing features from a Flink job: {@link dev.onfs.examples.flink.CsvFeaturePush} is a runnable
 * job that reads CSV feature rows and writes them through Flink's {@code KafkaSink} with
 * {@link dev.onfs.examples.flink.FeatureRowSerializationSchema}, which produces the registry-checked
 * {@code persist.Query} records that {@code onfs consume} ingests.
 */
@NullMarked
package dev.onfs.examples.flink;

import org.jspecify.annotations.NullMarked;
