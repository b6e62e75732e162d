package dev.onfs.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens that every state-changing form carries: HMAC-SHA256 of the session token under the console's
 * key, so a token is bound to one session, ends with it, and needs no server state. A page from
 * another site cannot read it (the session cookie is HttpOnly and the CSP allows no foreign script).
 */
final class Csrf {
  private final SecretKeySpec key;

  Csrf(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the console's CSRF key must have at least 32 bytes, has " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  String tokenFor(String session) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(mac.doFinal(("csrf:" + session).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  boolean matches(String session, String token) {
    return MessageDigest.isEqual(tokenFor(session).getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }
}
