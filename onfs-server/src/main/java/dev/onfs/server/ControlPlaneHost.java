package dev.onfs.server;

import dev.onfs.console.Console;
import dev.onfs.console.Freshness;
import dev.onfs.console.SampleReads;
import dev.onfs.controlplane.ControlPlane;
import dev.onfs.controlplane.rest.ApiRequest;
import dev.onfs.controlplane.rest.ApiResponse;
import dev.onfs.controlplane.rest.ControlPlaneApi;
import dev.onfs.controlplane.users.Role;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.server.http.RouteHandler;
import dev.onfs.server.http.RouteReply;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * The control plane hosted by {@code serve} on its HTTP port: built from the {@code control-plane-*}
 * options (or, in demo mode, on a directory next to the demo's registry file), its API answering every
 * request under {@code /api/}.
 */
public final class ControlPlaneHost implements AutoCloseable {
  static final Duration SESSION_TTL = Duration.ofHours(12);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ControlPlane cp;
  private final ControlPlaneApi api;
  /** The console's form-token key: derived from the configured session secret, so replicas agree on it. */
  private final byte[] consoleKey;

  private ControlPlaneHost(ControlPlane cp, byte[] consoleKey) {
    this.cp = cp;
    this.api = new ControlPlaneApi(cp, SESSION_TTL);
    this.consoleKey = consoleKey;
  }

  /** From the options; the directory store publishes to {@code registry-file}, which the server reloads. */
  public static ControlPlaneHost open(ServerConfig config) {
    ServerConfig.ControlPlaneOptions options = config.controlPlane();
    byte[] secret = secret(options);
    ControlPlane.Builder builder = ControlPlane.builder().sessionSecret(secret).sessionTtl(SESSION_TTL);
    if (options.store().equals("etcd")) {
      if (config.etcdEndpoints() == null || config.etcdEndpoints().isBlank()) {
        throw invalid("option 'etcd-endpoints' is required when control-plane-store=etcd");
      }
      // The same user, password and TLS as the registry's etcd connection.
      builder.etcd(EtcdRegistries.config(config.etcdEndpoints(), config.appName(), config.etcdAccess()));
    } else {
      if (options.dir() == null) {
        throw invalid("option 'control-plane-dir' is required when control-plane-store=dir");
      }
      if (!config.registry().equals("file") || config.registryFile() == null) {
        throw invalid("control-plane-store=dir publishes to the registry file: it needs registry=file and"
            + " option 'registry-file'");
      }
      builder.directory(Path.of(options.dir()), Path.of(config.registryFile())).appName(config.appName());
    }
    return new ControlPlaneHost(builder.build(), consoleKey(secret));
  }

  private static byte[] consoleKey(byte[] sessionSecret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("onfs console form tokens\0".getBytes(StandardCharsets.UTF_8));
      return sha.digest(sessionSecret);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * Demo mode: state in {@code dir}, the registry published to {@code registryFile}, a random session
   * secret, and an admin and an editor with random passwords, printed once. Single-admin mode stays
   * off: the editor submits, the admin approves.
   */
  static ControlPlaneHost demo(Path dir, Path registryFile, PrintWriter out) {
    ControlPlane cp = ControlPlane.builder().directory(dir, registryFile).demoMode(true).sessionTtl(SESSION_TTL).build();
    try {
      String adminPassword = cp.bootstrapDemoAdmin("admin");
      String editorPassword = randomPassword();
      String session = cp.login("admin", adminPassword.toCharArray(), null).token();
      cp.createUser(session, "editor", Role.EDITOR, editorPassword.toCharArray());
      cp.logout(session, null);
      out.printf("demo control plane: user 'admin' password %s, user 'editor' password %s%n", adminPassword,
          editorPassword);
    } catch (RuntimeException e) {
      cp.close();
      throw e;
    }
    byte[] consoleKey = new byte[32];
    RANDOM.nextBytes(consoleKey);
    return new ControlPlaneHost(cp, consoleKey);
  }

  private static String randomPassword() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] secret(ServerConfig.ControlPlaneOptions options) {
    byte[] secret;
    if (options.sessionSecret() != null) {
      secret = options.sessionSecret().getBytes(StandardCharsets.UTF_8);
    } else if (options.sessionSecretFile() != null) {
      try {
        secret = Files.readAllBytes(Path.of(options.sessionSecretFile()));
      } catch (IOException e) {
        throw invalid("option 'control-plane-session-secret-file': cannot read " + options.sessionSecretFile()
            + ": " + e.getMessage());
      }
    } else {
      throw invalid("the control plane needs a session secret: option 'control-plane-session-secret'"
          + " (ONFS_CONTROL_PLANE_SESSION_SECRET) or 'control-plane-session-secret-file'");
    }
    if (secret.length < 32) {
      throw invalid("the control plane's session secret must have at least 32 bytes, has " + secret.length);
    }
    return secret;
  }

  private static OnfsException invalid(String message) {
    return new OnfsException(ErrorCode.INVALID_ARGUMENT, message);
  }

  /** Creates the first admin unless the control plane has one; false when it had one already. */
  public boolean bootstrapAdmin(String name, char[] password) {
    if (cp.isBootstrapped()) {
      return false;
    }
    cp.bootstrapAdmin(name, password);
    return true;
  }

  /** Answers requests under {@link ControlPlaneApi#PREFIX}. */
  public RouteHandler handler() {
    return request -> {
      byte[] body = request.body(ControlPlaneApi.MAX_BODY_BYTES);
      ApiResponse response = api.handle(new ApiRequest(request.method(), request.path(), request::header,
          request.queryParameters(), body, request.remoteAddress(), request.isSecure()));
      return new RouteReply(response.status(), response.contentType(), response.body(), response.headers());
    };
  }

  /** The web console on this control plane, answering requests under {@link Console#PREFIX}. */
  public RouteHandler console(SampleReads samples, Freshness freshness) {
    Console console = new Console(cp, samples, freshness, consoleKey, SESSION_TTL);
    return request -> {
      byte[] body = request.method().equals("POST") ? request.body(Console.MAX_BODY_BYTES) : new byte[0];
      if (body.length > Console.MAX_BODY_BYTES) {
        return RouteReply.text(413, "The form is larger than " + Console.MAX_BODY_BYTES + " bytes.");
      }
      ApiResponse response = console.handle(new ApiRequest(request.method(), request.path(), request::header,
          request.queryParameters(), body, request.remoteAddress(), request.isSecure()));
      return new RouteReply(response.status(), response.contentType(), response.body(), response.headers());
    };
  }

  @Override
  public void close() {
    cp.close();
  }

  @Override
  public String toString() {
    return "control plane";
  }

}
