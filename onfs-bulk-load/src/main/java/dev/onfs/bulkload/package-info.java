/**
 * {@code onfs-load}: backfills feature rows from Parquet and CSV files, either straight into the
 * store through the core persist path or to the ingestion topic through
 * {@link dev.onfs.ingest.kafka.FeaturePusher}. Columns are the entity's keys, named as its keys,
 * and one column per feature named {@code <feature group>__<feature>}. Every row is checked against
 * the registry; a row that does not fit is reported with its file, row and column.
 */
@NullMarked
package dev.onfs.bulkload;

import org.jspecify.annotations.NullMarked;
