package dev.onfs.server.http;

import org.jspecify.annotations.Nullable;

/** What a route handler sees of a request. */
public interface RouteRequest {
  /** The method, upper case as sent ({@code HEAD} requests reach {@code GET} routes). */
  String method();

  /** The decoded path, without the query. */
  String path();

  /** The first value of a header, or null. */
  @Nullable String header(String name);

  /** The first value of a query parameter, or null. */
  @Nullable String queryParameter(String name);
}
