package dev.onfs.controlplane.rest;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of the API.
 *
 * @param method {@code GET} or {@code POST}
 * @param path the path, with {@code {name}} for a path parameter ({@code /api/requests/{id}})
 * @param access who may call it
 */
public record ApiRoute(String method, String path, Access access) {
  /** Who may call a route. */
  public enum Access {
    /** Anyone, without a session. */
    ANONYMOUS,
    /** A writer job with its own token (the reference's integration endpoint), no session. */
    JOB_TOKEN,
    /** Any logged-in user. */
    VIEWER,
    /** Editors and admins. */
    EDITOR,
    /** Admins only. */
    ADMIN
  }

  public ApiRoute {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(access, "access is null");
  }

  /** The path parameters of {@code actual}, or null when it does not match this route's path. */
  @Nullable Map<String, String> match(String actual) {
    String[] want = path.split("/", -1);
    String[] got = actual.split("/", -1);
    if (want.length != got.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < want.length; i++) {
      if (want[i].startsWith("{") && want[i].endsWith("}")) {
        if (got[i].isEmpty()) {
          return null;
        }
        params.put(want[i].substring(1, want[i].length() - 1), got[i]);
      } else if (!want[i].equals(got[i])) {
        return null;
      }
    }
    return params;
  }
}
