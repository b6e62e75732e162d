package dev.onfs.controlplane.rest;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the API sees of an HTTP request, independent of the server that received it.
 *
 * @param method upper case
 * @param path the decoded path without the query
 * @param headers the first value of a header by (case-insensitive) name, or null
 * @param query the query parameters (first value of each)
 * @param body the request body, already bounded by the server; empty when there is none
 * @param remoteAddress the client's address, for the audit log and the login limiter
 * @param secure whether the request came over TLS (the session cookie is then {@code Secure})
 */
public record ApiRequest(
    String method,
    String path,
    Function<String, @Nullable String> headers,
    Map<String, String> query,
    byte[] body,
    @Nullable String remoteAddress,
    boolean secure) {
  public ApiRequest {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(headers, "headers is null");
    query = Map.copyOf(query);
    requireNonNull(body, "body is null");
  }

  @Nullable String header(String name) {
    return headers.apply(name);
  }
}
