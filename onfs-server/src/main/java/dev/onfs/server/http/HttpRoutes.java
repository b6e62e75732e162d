package dev.onfs.server.http;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The routes of the HTTP port: exact paths, each with handlers by method. A path with a {@code GET}
 * handler also answers {@code HEAD} (headers only). Requests for other paths get 404, other methods on
 * a known path 405 with an {@code Allow} header. Add routes before the server starts; it reads the
 * table once.
 */
public final class HttpRoutes {
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");

  private final Map<String, Map<String, RouteHandler>> byPath = new LinkedHashMap<>();
  private final Map<String, RouteHandler> byPrefix = new LinkedHashMap<>();

  /** Routes {@code GET} (and so {@code HEAD}) requests for {@code path} to {@code handler}. */
  public HttpRoutes get(String path, RouteHandler handler) {
    return add("GET", path, handler);
  }

  /**
   * Routes requests with {@code method} for {@code path} to {@code handler}.
   *
   * @throws IllegalArgumentException when the path does not start with {@code /}, the method is not an
   *     upper-case token, or the route is taken
   */
  public synchronized HttpRoutes add(String method, String path, RouteHandler handler) {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(handler, "handler is null");
    if (!METHOD.matcher(method).matches()) {
      throw new IllegalArgumentException("method must be an upper-case token like GET, got '" + method + "'");
    }
    if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
      throw new IllegalArgumentException("path must start with '/' and hold no query or fragment, got '" + path + "'");
    }
    Map<String, RouteHandler> methods = byPath.computeIfAbsent(path, p -> new LinkedHashMap<>());
    if (methods.putIfAbsent(method, handler) != null) {
      throw new IllegalArgumentException("route " + method + " " + path + " is already taken");
    }
    return this;
  }

  /**
   * Routes every request whose path starts with {@code prefix} (and that no exact route takes), whatever
   * its method, to {@code handler}: for a component with its own routing, such as the control plane's
   * API. The handler answers unknown paths and methods itself.
   *
   * @throws IllegalArgumentException when the prefix does not start and end with {@code /} or is taken
   */
  public synchronized HttpRoutes prefix(String prefix, RouteHandler handler) {
    requireNonNull(prefix, "prefix is null");
    requireNonNull(handler, "handler is null");
    if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 2) {
      throw new IllegalArgumentException("prefix must start and end with '/', got '" + prefix + "'");
    }
    if (byPrefix.putIfAbsent(prefix, handler) != null) {
      throw new IllegalArgumentException("prefix " + prefix + " is already taken");
    }
    return this;
  }

  /** The routed prefixes, in the order they were added. */
  public synchronized Set<String> prefixes() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(byPrefix.keySet()));
  }

  /** The routed paths, in the order they were added. */
  public synchronized Set<String> paths() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(byPath.keySet()));
  }

  /** An immutable copy, which the server reads without locking. */
  synchronized Table freeze() {
    Map<String, Map<String, RouteHandler>> copy = new LinkedHashMap<>();
    byPath.forEach((path, methods) -> copy.put(path, Map.copyOf(methods)));
    return new Table(Map.copyOf(copy), new LinkedHashMap<>(byPrefix));
  }

  /** The frozen routes. */
  static final class Table {
    private final Map<String, Map<String, RouteHandler>> byPath;
    private final Map<String, RouteHandler> byPrefix;

    private Table(Map<String, Map<String, RouteHandler>> byPath, Map<String, RouteHandler> byPrefix) {
      this.byPath = byPath;
      this.byPrefix = byPrefix;
    }

    /** The handler of the first prefix {@code path} starts with, or null. */
    @Nullable RouteHandler findPrefix(String path) {
      for (Map.Entry<String, RouteHandler> prefix : byPrefix.entrySet()) {
        if (path.startsWith(prefix.getKey())) {
          return prefix.getValue();
        }
      }
      return null;
    }

    /** Whether any route has this path. */
    boolean hasPath(String path) {
      return byPath.containsKey(path);
    }

    /** The handler for the method (GET's for HEAD when HEAD has none of its own), or null. */
    @Nullable RouteHandler find(String method, String path) {
      Map<String, RouteHandler> methods = byPath.get(path);
      if (methods == null) {
        return null;
      }
      RouteHandler handler = methods.get(method);
      if (handler == null && method.equals("HEAD")) {
        handler = methods.get("GET");
      }
      return handler;
    }

    /** The {@code Allow} header value of a path. */
    String allowed(String path) {
      Set<String> methods = new TreeSet<>(byPath.getOrDefault(path, Map.of()).keySet());
      if (methods.contains("GET")) {
        methods.add("HEAD");
      }
      return String.join(", ", methods);
    }
  }
}
