package dev.onfs.console;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.ControlPlane;
import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.Session;
import dev.onfs.controlplane.rest.ApiRequest;
import dev.onfs.controlplane.rest.ApiResponse;
import dev.onfs.controlplane.users.Principal;
import dev.onfs.core.OnfsException;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The web console: server-rendered pages under {@link #PREFIX}, same origin as the control plane's
 * API. It has no logic of its own: every page reads through {@link ControlPlane} operations with the
 * signed-in user's session, and every form calls one, so the role checks are the control plane's.
 *
 * <p>Security: the session token lives in an HttpOnly, SameSite=Strict cookie on {@code /console}
 * ({@code Secure} over TLS) and ends with the control-plane session; every form that changes state
 * carries a token bound to the session ({@link Csrf}) and every POST must come from this origin; every
 * answer carries a strict Content-Security-Policy (no inline script or style), {@code nosniff} and
 * {@code frame-ancestors 'none'}. Templates escape all output.
 */
public final class Console {
  /** Where the console is served. */
  public static final String PREFIX = "/console/";
  /** The largest form body accepted. */
  public static final int MAX_BODY_BYTES = 256 * 1024;
  static final String COOKIE = "onfs_console";
  static final String HTML = "text/html; charset=utf-8";
  private static final Logger LOG = Logger.getLogger(Console.class.getName());
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
      + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  private static final Set<String> STATIC = Set.of("console.css", "console.js");

  private final ControlPlane cp;
  private final Duration sessionTtl;
  private final Csrf csrf;
  private final TemplateEngine templates;
  private final Pages pages;

  /**
   * @param cp the control plane every read and change goes through
   * @param samples the serving path for the feature-group page's sample read
   * @param freshness the feature-group page's last-write figures
   * @param csrfKey at least 32 bytes; servers that share sessions must share it
   * @param sessionTtl the control plane's session lifetime, for the cookie's {@code Max-Age}
   */
  public Console(ControlPlane cp, SampleReads samples, Freshness freshness, byte[] csrfKey, Duration sessionTtl) {
    this.cp = requireNonNull(cp, "cp is null");
    this.sessionTtl = requireNonNull(sessionTtl, "sessionTtl is null");
    this.csrf = new Csrf(requireNonNull(csrfKey, "csrfKey is null"));
    this.templates = TemplateEngine.createPrecompiled(null, ContentType.Html, Console.class.getClassLoader(),
        "dev.onfs.console.templates");
    this.pages = new Pages(cp, requireNonNull(samples, "samples is null"), requireNonNull(freshness, "freshness is null"));
  }

  /** Answers a request whose path starts with {@link #PREFIX} (or is {@code /console}). */
  public ApiResponse handle(ApiRequest request) {
    try {
      return secured(route(request));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "console request " + request.method() + " " + request.path() + " failed", e);
      return secured(new ApiResponse(500, "text/plain; charset=utf-8", Map.of(),
          "The console failed to answer; the server log has the details.".getBytes(StandardCharsets.UTF_8)));
    }
  }

  private ApiResponse route(ApiRequest request) {
    String path = request.path();
    if (path.equals("/console")) {
      return redirect(PREFIX);
    }
    if (!path.startsWith(PREFIX)) {
      return notFound();
    }
    String rest = path.substring(PREFIX.length());
    boolean get = request.method().equals("GET") || request.method().equals("HEAD");
    boolean post = request.method().equals("POST");
    if (rest.startsWith("static/")) {
      return get ? staticFile(rest.substring("static/".length())) : methodNotAllowed("GET, HEAD");
    }
    if (!get && !post) {
      return methodNotAllowed("GET, HEAD, POST");
    }
    if (post && !sameOrigin(request)) {
      return text(403, "Refused: the form was not sent from this console's origin.");
    }
    if (rest.equals("login")) {
      return post ? login(request) : render(200, "login.jte", blankFrame("Sign in", null, null), null);
    }
    String session = cookie(request, COOKIE);
    Principal principal;
    try {
      principal = cp.whoAmI(session);
    } catch (ControlPlaneException e) {
      if (e.reason() != Reason.UNAUTHENTICATED) {
        throw e;
      }
      // An expired or ended session: back to the sign-in page, with the cookie cleared.
      return new ApiResponse(303, HTML, Map.of("Location", PREFIX + "login", "Set-Cookie", clearCookie(request)),
          new byte[0]);
    }
    String token = csrf.tokenFor(requireNonNull(session));
    Frame frame = new Frame("", "", principal.name(), principal.role(), token,
        Pages.notice(request.query().get("done")), null, null);
    if (post) {
      Form form;
      if (!isForm(request)) {
        return text(415, "Refused: forms must be sent as application/x-www-form-urlencoded.");
      }
      try {
        form = Form.parse(request.body());
      } catch (Form.BadForm e) {
        return text(400, requireNonNull(e.getMessage())); // a BadForm always has one
      }
      if (!csrf.matches(session, form.get("csrf"))) {
        return text(403, "Refused: the form's token does not belong to this session. Reload the page and try again.");
      }
      if (rest.equals("logout")) {
        try {
          cp.logout(session, request.remoteAddress());
        } catch (ControlPlaneException e) {
          // already ended: signing out is done either way
        }
        return new ApiResponse(303, HTML, Map.of("Location", PREFIX + "login?done=signed-out",
            "Set-Cookie", clearCookie(request)), new byte[0]);
      }
      return pages.post(new Pages.Ctx(session, principal, frame, request, this), rest, form);
    }
    return pages.get(new Pages.Ctx(session, principal, frame, request, this), rest);
  }

  private ApiResponse login(ApiRequest request) {
    if (!isForm(request)) {
      return text(415, "Refused: forms must be sent as application/x-www-form-urlencoded.");
    }
    Form form = Form.parse(request.body());
    String name = form.get("name");
    try {
      Session s = cp.login(name, form.get("password").toCharArray(), request.remoteAddress());
      String cookie = COOKIE + "=" + s.token() + "; Path=/console; Max-Age=" + sessionTtl.toSeconds()
          + "; HttpOnly; SameSite=Strict" + (request.secure() ? "; Secure" : "");
      return new ApiResponse(303, HTML, Map.of("Location", PREFIX + "catalog", "Set-Cookie", cookie), new byte[0]);
    } catch (ControlPlaneException e) {
      Frame frame = blankFrame("Sign in", null, null).withError(e.getMessage(), "name");
      int status = e.reason() == Reason.RATE_LIMITED ? 429 : 401;
      return render(status, "login.jte", frame, Map.of("name", name));
    }
  }

  Frame blankFrame(String title, @Nullable String notice, @Nullable String error) {
    return new Frame(title, "login", null, null, "", notice, error, null);
  }

  /** Renders a template with the frame and, when given, its view as parameter {@code v}. */
  ApiResponse render(int status, String template, Frame frame, @Nullable Object view) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("frame", frame);
    if (view != null) {
      params.put("v", view);
    }
    Utf8ByteOutput out = new Utf8ByteOutput();
    templates.render(template, params, out);
    return new ApiResponse(status, HTML, Map.of(), out.toByteArray());
  }

  static ApiResponse redirect(String location) {
    return new ApiResponse(303, HTML, Map.of("Location", location), new byte[0]);
  }

  static ApiResponse text(int status, String message) {
    return new ApiResponse(status, "text/plain; charset=utf-8", Map.of(), message.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiResponse notFound() {
    return text(404, "No such console page.");
  }

  private static ApiResponse methodNotAllowed(String allow) {
    return new ApiResponse(405, "text/plain; charset=utf-8", Map.of("Allow", allow),
        "Method not allowed.".getBytes(StandardCharsets.UTF_8));
  }

  private ApiResponse staticFile(String name) {
    if (!STATIC.contains(name)) {
      return notFound();
    }
    try (InputStream in = Console.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        return notFound();
      }
      String type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
      return new ApiResponse(200, type, Map.of("Cache-Control", "max-age=300"), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every answer's headers: the CSP and friends, and no caching of pages that show user data. */
  private static ApiResponse secured(ApiResponse response) {
    Map<String, String> headers = new LinkedHashMap<>(response.headers());
    headers.put("Content-Security-Policy", CSP);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Referrer-Policy", "same-origin");
    headers.putIfAbsent("Cache-Control", "no-store");
    return new ApiResponse(response.status(), response.contentType(), headers, response.body());
  }

  private static String clearCookie(ApiRequest request) {
    return COOKIE + "=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict" + (request.secure() ? "; Secure" : "");
  }

  private static boolean isForm(ApiRequest request) {
    String type = request.headers().apply("Content-Type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /**
   * Whether a POST came from a page of this origin: its {@code Origin} (or, without one, its {@code
   * Referer}) must name the host the request was sent to. Browsers send one of them with every form.
   */
  static boolean sameOrigin(ApiRequest request) {
    String host = request.headers().apply("Host");
    if (host == null) {
      return false;
    }
    String expected = (request.secure() ? "https://" : "http://") + host;
    String origin = request.headers().apply("Origin");
    if (origin != null) {
      return origin.equals(expected);
    }
    String referer = request.headers().apply("Referer");
    return referer != null && (referer.equals(expected) || referer.startsWith(expected + "/"));
  }

  static @Nullable String cookie(ApiRequest request, String name) {
    String cookies = request.headers().apply("Cookie");
    if (cookies == null) {
      return null;
    }
    for (String cookie : cookies.split(";")) {
      String kv = cookie.trim();
      if (kv.startsWith(name + "=")) {
        return kv.substring(name.length() + 1);
      }
    }
    return null;
  }

  /** A query string of the non-empty pairs, URL-encoded, starting with {@code ?} (empty when none). */
  static String query(String... pairs) {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (pairs[i + 1] == null || pairs[i + 1].isEmpty()) {
        continue;
      }
      q.append(q.length() == 0 ? '?' : '&').append(pairs[i]).append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  /** A path segment, URL-encoded. */
  public static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The HTTP status an exception of the control plane or the serving path answers with. */
  static int status(RuntimeException e) {
    if (e instanceof ControlPlaneException c) {
      return switch (c.reason()) {
        case FORBIDDEN -> 403;
        case NOT_FOUND -> 404;
        case UNAUTHENTICATED -> 401;
        case RATE_LIMITED -> 429;
        case STALE, CONFLICT, INVALID_STATE, ALREADY_EXISTS -> 409;
        case BREAKING_CHANGE, INVALID, NO_CHANGE -> 422;
        case UNAVAILABLE -> 503;
      };
    }
    return e instanceof OnfsException ? 422 : 400;
  }
}
