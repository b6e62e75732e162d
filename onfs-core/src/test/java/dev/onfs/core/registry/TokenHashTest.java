package dev.onfs.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import org.junit.jupiter.api.Test;

class TokenHashTest {
  private static final int FAST = TokenHash.MIN_ITERATIONS;

  @Test
  void roundTripsThroughItsEncodedForm() {
    TokenHash hash = TokenHash.create("s3cret-token", FAST);
    String encoded = hash.encoded();
    assertThat(encoded).startsWith("$pbkdf2-sha256$i=" + FAST + "$").doesNotContain("s3cret");
    assertThat(encoded.split("\\$")).hasSize(5);
    TokenHash parsed = TokenHash.parse(encoded);
    assertThat(parsed).isEqualTo(hash);
    assertThat(parsed.matches("s3cret-token")).isTrue();
    assertThat(parsed.matches("s3cret-tokem")).isFalse();
    assertThat(parsed.matches("")).isFalse();
  }

  @Test
  void eachHashHasItsOwnSalt() {
    TokenHash a = TokenHash.create("same", FAST);
    TokenHash b = TokenHash.create("same", FAST);
    assertThat(a.encoded()).isNotEqualTo(b.encoded());
    assertThat(a.matches("same")).isTrue();
    assertThat(b.matches("same")).isTrue();
  }

  @Test
  void defaultsToTheRecommendedIterationCount() {
    assertThat(TokenHash.DEFAULT_ITERATIONS).isGreaterThanOrEqualTo(600_000);
  }

  @Test
  void tellsHashesFromPlaintextTokens() {
    assertThat(TokenHash.isHashed(TokenHash.create("x", FAST).encoded())).isTrue();
    assertThat(TokenHash.isHashed("$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA")).isTrue();
    for (String plain : new String[] {"test", "rtok", "", "$", "$$", "$ecret", "a$b$c", "$Upper$x"}) {
      assertThat(TokenHash.isHashed(plain)).as(plain).isFalse();
    }
  }

  @Test
  void malformedHashesAreRejectedWithoutRepeatingTheValue() {
    String valid = TokenHash.create("x", FAST).encoded();
    String[] parts = valid.split("\\$");
    String[][] cases = {
        {"$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", "scheme 'argon2id' is not supported"},
        {"$pbkdf2-sha256$" + parts[3] + "$" + parts[4], "must look like $pbkdf2-sha256$i=<iterations>$<salt>$<hash>"},
        {"$pbkdf2-sha256$i=abc$" + parts[3] + "$" + parts[4], "iteration count is not a number"},
        {"$pbkdf2-sha256$i=1000$" + parts[3] + "$" + parts[4], "iteration count 1000 is outside"},
        {"$pbkdf2-sha256$i=100000$!!!$" + parts[4], "salt is not base64"},
        {"$pbkdf2-sha256$i=100000$c2FsdA$" + parts[4], "salt has 4 bytes"},
        {"$pbkdf2-sha256$i=100000$" + parts[3] + "$c2FsdA", "has 4 bytes, needs 32"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> TokenHash.parse(c[0])).as(c[0])
          .isInstanceOf(OnfsException.class)
          .hasMessageContaining(c[1])
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(c[0]))
          .extracting(e -> ((OnfsException) e).code()).isEqualTo(ErrorCode.INVALID_REGISTRY);
    }
  }

  @Test
  void aCallerWithAMalformedHashIsInvalidAndItsToStringShowsNoToken() {
    assertThatThrownBy(() -> Caller.of("ranker", "$pbkdf2-sha256$i=5$x$y"))
        .hasMessageStartingWith("token: token hash iteration count 5");
    Caller caller = new Caller("ranker", "plain-secret", "next-secret", CallerScopes.ALL);
    assertThat(caller.tokens()).containsExactly("plain-secret", "next-secret");
    assertThat(caller.toString()).doesNotContain("secret").contains("ranker");
  }
}
