package dev.onfs.controlplane.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.controlplane.request.Target;
import org.junit.jupiter.api.Test;

class Pbkdf2TokenHasherTest {
  private final Pbkdf2TokenHasher hasher = new Pbkdf2TokenHasher(Pbkdf2TokenHasher.MIN_ITERATIONS);

  @Test
  void storesTheRegistrysHashedTokenForm() {
    String hash = hasher.hash("s3cret-token");
    assertThat(hash).matches("\\$pbkdf2-sha256\\$i=100000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(hasher.matches("s3cret-token", hash)).isTrue();
    assertThat(hasher.matches("s3cret-tokem", hash)).isFalse();
    assertThat(hasher.hash("s3cret-token")).isNotEqualTo(hash);
  }

  @Test
  void aPlaintextOrMalformedStoredValueNeverMatches() {
    assertThat(hasher.matches("test", "test")).isFalse();
    assertThat(hasher.matches("x", "$pbkdf2-sha256$i=5$AAAA$AAAA")).isFalse();
    assertThat(hasher.matches("x", "$pbkdf2-sha256$i=100000$!!$AAAA")).isFalse();
  }

  @Test
  void issuedTokensAreRandomAndNotPrinted() {
    IssuedToken a = IssuedToken.generate(Target.writer("job"));
    IssuedToken b = IssuedToken.generate(Target.writer("job"));
    assertThat(a.token()).hasSize(43).isNotEqualTo(b.token());
    assertThat(a.toString()).doesNotContain(a.token()).contains("writer:job");
  }
}
