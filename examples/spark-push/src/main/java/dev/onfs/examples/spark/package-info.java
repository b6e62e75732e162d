/**
 * Pushing features from a Spark batch job: {@link dev.onfs.examples.spark.ParquetFeaturePush} reads
 * Parquet and pushes registry-checked {@code persist.Query} records that {@code onfs consume}
 * ingests.
 */
@NullMarked
package dev.onfs.examples.spark;

import org.jspecify.annotations.NullMarked;
