/**
 * The {@code onfs} command and the server's composition root: {@link dev.onfs.server.ServerConfig}
 * (YAML file, {@code ONFS_*} environment variables and flags) and {@link dev.onfs.server.OnfsServer}
 * (gRPC services, HTTP health and Prometheus metrics, graceful shutdown).
 */
@NullMarked
package dev.onfs.server;

import org.jspecify.annotations.NullMarked;
