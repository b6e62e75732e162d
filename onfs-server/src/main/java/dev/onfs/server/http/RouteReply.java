package dev.onfs.server.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A route's answer: status code, content type, body and any further headers (such as {@code Set-Cookie}). */
public record RouteReply(int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json";
  public static final String TEXT = "text/plain; charset=utf-8";

  public RouteReply {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599, got " + status);
    }
    requireNonNull(contentType, "contentType is null");
    requireNonNull(body, "body is null");
    headers = Map.copyOf(headers);
  }

  public RouteReply(int status, String contentType, byte[] body) {
    this(status, contentType, body, Map.of());
  }

  public static RouteReply json(int status, String json) {
    return new RouteReply(status, JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  public static RouteReply text(int status, String text) {
    return new RouteReply(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }
}
