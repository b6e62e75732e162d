package dev.onfs.server.http;

/**
 * Answers the requests of one route. Runs on one of the HTTP port's few threads: it must not wait
 * long (bound any I/O it does). An exception becomes a 500 answer and is logged.
 */
@FunctionalInterface
public interface RouteHandler {
  RouteReply handle(RouteRequest request) throws Exception;
}
