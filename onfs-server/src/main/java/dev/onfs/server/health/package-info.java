/**
 * Liveness and readiness. {@link dev.onfs.server.health.Readiness} answers whether the server can
 * serve: registry loaded, every store answering within a time budget, the server not shutting down;
 * {@link dev.onfs.server.health.GrpcHealthFollower} keeps the gRPC health service in step with it.
 */
@NullMarked
package dev.onfs.server.health;

import org.jspecify.annotations.NullMarked;
