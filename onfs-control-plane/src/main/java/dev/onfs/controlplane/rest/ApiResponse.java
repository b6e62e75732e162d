package dev.onfs.controlplane.rest;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The API's answer: status, content type, extra headers (such as {@code Set-Cookie}) and body. */
public record ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
  public static final String JSON = "application/json";
  public static final String PROBLEM = "application/problem+json";

  public ApiResponse {
    requireNonNull(contentType, "contentType is null");
    headers = Map.copyOf(headers);
    requireNonNull(body, "body is null");
  }

  /** The body as text (tests and logs). */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
