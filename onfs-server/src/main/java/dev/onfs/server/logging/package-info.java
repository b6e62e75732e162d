/**
 * Log output of the {@code onfs} commands: plain text or JSON lines on standard error
 * ({@link dev.onfs.server.logging.Logs}), and the sampled gRPC access log
 * ({@link dev.onfs.server.logging.AccessLog}), which never records credentials.
 */
@NullMarked
package dev.onfs.server.logging;

import org.jspecify.annotations.NullMarked;
