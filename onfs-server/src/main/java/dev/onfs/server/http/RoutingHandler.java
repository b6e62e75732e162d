package dev.onfs.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/** Dispatches every request to its route, and answers 404 / 405 / 500 itself. */
final class RoutingHandler extends Handler.Abstract {
  private static final Logger LOG = Logger.getLogger(RoutingHandler.class.getName());

  private final HttpRoutes.Table routes;

  RoutingHandler(HttpRoutes.Table routes) {
    // Handlers may wait a little (a readiness probe does): they run on pool threads, not selector threads.
    super(InvocationType.BLOCKING);
    this.routes = routes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    RouteReply reply;
    RouteHandler handler = routes.find(method, path);
    if (handler == null && !routes.hasPath(path)) {
      handler = routes.findPrefix(path);
    }
    if (handler != null && isBodiless(method) && hasBody(request)) {
      // Such a body is never read, so its framing (a bad chunk size, say) would go unchecked.
      reply = RouteReply.text(400, method + " carries no body\n");
    } else if (handler != null) {
      reply = call(handler, request, path);
    } else if (routes.hasPath(path)) {
      response.getHeaders().put(HttpHeader.ALLOW, routes.allowed(path));
      reply = RouteReply.text(405, "method " + method + " not allowed on " + path + "\n");
    } else {
      reply = RouteReply.text(404, "not found\n");
    }
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    // Everything here is live state: no proxy or browser should answer it from a cache.
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
    reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    // Jetty sends no body for HEAD.
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
    return true;
  }

  private static boolean isBodiless(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  private static boolean hasBody(Request request) {
    return request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
        || request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0;
  }

  private static RouteReply call(RouteHandler handler, Request request, String path) {
    try {
      return handler.handle(new JettyRouteRequest(request, path));
    } catch (Exception e) {
      LOG.log(Level.WARNING, request.getMethod() + " " + path + " failed", e);
      return RouteReply.text(500, "internal error\n");
    }
  }

  private static final class JettyRouteRequest implements RouteRequest {
    private final Request request;
    private final String path;
    private @Nullable Fields query;

    JettyRouteRequest(Request request, String path) {
      this.request = request;
      this.path = path;
    }

    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public @Nullable String header(String name) {
      return request.getHeaders().get(name);
    }

    @Override
    public @Nullable String queryParameter(String name) {
      return query().getValue(name);
    }

    @Override
    public Map<String, String> queryParameters() {
      Map<String, String> result = new LinkedHashMap<>();
      for (Fields.Field field : query()) {
        result.putIfAbsent(field.getName(), field.getValue());
      }
      return result;
    }

    private Fields query() {
      if (query == null) {
        query = Request.extractQueryParameters(request);
      }
      return query;
    }

    @Override
    public @Nullable String remoteAddress() {
      return Request.getRemoteAddr(request);
    }

    @Override
    public boolean isSecure() {
      return request.isSecure();
    }

    @Override
    public byte[] body(int maxBytes) throws IOException {
      if (maxBytes < 0) {
        throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
      }
      try (InputStream in = Content.Source.asInputStream(request)) {
        return in.readNBytes(maxBytes + 1);
      }
    }
  }
}
