package dev.onfs.server.http;

import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
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
    if (handler != null) {
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
    // Jetty sends no body for HEAD.
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
    return true;
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
      if (query == null) {
        query = Request.extractQueryParameters(request);
      }
      return query.getValue(name);
    }
  }
}
