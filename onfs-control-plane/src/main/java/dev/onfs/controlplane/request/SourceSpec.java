package dev.onfs.controlplane.request;

/**
 * Where an offline pipeline reads a feature from (the reference's source mapping, kept under
 * {@code source/<entity>|<group>|<feature>} in etcd).
 *
 * @param storageProvider {@code TABLE}, {@code PARQUET_GCS}, {@code PARQUET_S3}, {@code PARQUET_ADLS},
 *     {@code DELTA_GCS}, {@code DELTA_S3} or {@code DELTA_ADLS}
 * @param basePath the table or path
 * @param dataColumn the column holding the feature
 */
public record SourceSpec(String storageProvider, String basePath, String dataColumn) {}
