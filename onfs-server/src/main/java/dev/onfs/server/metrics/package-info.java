/**
 * Micrometer bindings: {@link dev.onfs.server.metrics.MicrometerStatsRecorder} turns the core's stats
 * SPI into meters and {@link dev.onfs.server.metrics.GrpcMetricsInterceptor} measures every RPC.
 * Only the server depends on Micrometer.
 */
@NullMarked
package dev.onfs.server.metrics;

import org.jspecify.annotations.NullMarked;
