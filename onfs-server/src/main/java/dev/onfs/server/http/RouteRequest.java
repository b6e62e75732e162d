package dev.onfs.server.http;

import java.io.IOException;
import java.util.Map;
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

  /** Every query parameter, the first value of each. */
  Map<String, String> queryParameters();

  /** The client's address, or null when unknown. */
  @Nullable String remoteAddress();

  /** Whether the request came over TLS. */
  boolean isSecure();

  /**
   * The request body, read up to {@code maxBytes + 1} bytes: a longer result means the body is larger
   * than {@code maxBytes} (the rest is not read). Empty for a request without a body.
   */
  byte[] body(int maxBytes) throws IOException;
}
