/**
 * Micrometer bindings: {@link dev.onfs.server.metrics.MicrometerStatsRecorder} turns the core's stats
 * SPI into meters, {@link dev.onfs.server.metrics.GrpcMetricsInterceptor} measures every RPC and
 * {@link dev.onfs.server.metrics.JvmMeters} adds the process's own. Entity and feature-group tags pass
 * through {@link dev.onfs.server.metrics.RegistryLabels}, so only registry names become tag values.
 * Every meter has a description (the Prometheus HELP line). Only the server depends on Micrometer.
 */
@NullMarked
package dev.onfs.server.metrics;

import org.jspecify.annotations.NullMarked;
