/**
 * The server's HTTP port: {@link dev.onfs.server.http.AdminHttpServer} runs Jetty (its core handler
 * API, no servlets) with bounded threads, connections, header sizes and idle time, and answers the
 * routes an {@link dev.onfs.server.http.HttpRoutes} table holds. Components add their own routes to the
 * table before the server starts; handlers see only {@link dev.onfs.server.http.RouteRequest} and
 * answer a {@link dev.onfs.server.http.RouteReply}, so no Jetty type leaks into them.
 */
@NullMarked
package dev.onfs.server.http;

import org.jspecify.annotations.NullMarked;
