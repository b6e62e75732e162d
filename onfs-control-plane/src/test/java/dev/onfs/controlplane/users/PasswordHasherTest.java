package dev.onfs.controlplane.users;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher();

  @Test
  void verifiesTheRightPasswordOnly() {
    String hash = hasher.hash("correct horse battery".toCharArray());
    assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(hasher.verify("correct horse battery".toCharArray(), hash)).isTrue();
    assertThat(hasher.verify("correct horse batterz".toCharArray(), hash)).isFalse();
  }

  @Test
  void saltsEveryHash() {
    assertThat(hasher.hash("same password".toCharArray())).isNotEqualTo(hasher.hash("same password".toCharArray()));
  }

  @Test
  void readsTheCostFromTheStoredHash() {
    String cheaper = new PasswordHasher(8 * 1024, 1).hash("p4ssword-long".toCharArray());
    assertThat(hasher.verify("p4ssword-long".toCharArray(), cheaper)).isTrue();
  }

  @Test
  void rejectsWhatIsNotAHash() {
    for (String stored : new String[] {"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA",
        "$argon2id$v=19$m=99999999,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA", "$argon2id$v=19$m=x$a$b"}) {
      assertThat(hasher.verify("whatever".toCharArray(), stored)).as(stored).isFalse();
    }
  }
}
