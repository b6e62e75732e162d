package dev.onfs.grpc;

import io.grpc.Context;
import io.grpc.Metadata;

/** The metadata every call carries, with the names the reference uses on the wire. */
public final class OnfsHeaders {
  public static final String CALLER_ID = "online-feature-store-caller-id";
  public static final String AUTH_TOKEN = "online-feature-store-auth-token";

  public static final Metadata.Key<String> CALLER_ID_KEY =
      Metadata.Key.of(CALLER_ID, Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> AUTH_TOKEN_KEY =
      Metadata.Key.of(AUTH_TOKEN, Metadata.ASCII_STRING_MARSHALLER);

  /** The authenticated caller of the current call, set by {@link CallerAuthInterceptor}. */
  public static final Context.Key<String> CALLER = Context.key("onfs-caller-id");

  private OnfsHeaders() {}

  /** Metadata carrying a caller id and token, as clients send them. */
  public static Metadata of(String callerId, String token) {
    Metadata metadata = new Metadata();
    metadata.put(CALLER_ID_KEY, callerId);
    metadata.put(AUTH_TOKEN_KEY, token);
    return metadata;
  }
}
