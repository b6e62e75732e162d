/**
 * The stats SPI serving reports to ({@link dev.onfs.core.metrics.OnfsStatsRecorder}), disabled by
 * default; the server adapts it to Micrometer.
 */
@NullMarked
package dev.onfs.core.metrics;

import org.jspecify.annotations.NullMarked;
