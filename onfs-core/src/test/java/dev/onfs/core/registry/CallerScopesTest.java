package dev.onfs.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerScopesTest {
  @Test
  void noListsAllowEverything() {
    assertThat(CallerScopes.ALL.isAll()).isTrue();
    assertThat(CallerScopes.ALL.denies("user", "user_stats")).isNull();
    assertThat(CallerScopes.ALL.deniesEntity("anything")).isNull();
  }

  @Test
  void entityListLimitsEntitiesAndAllTheirGroups() {
    CallerScopes scopes = new CallerScopes(Set.of("user"), null);
    assertThat(scopes.denies("user", "user_stats")).isNull();
    assertThat(scopes.denies("user", "anything")).isNull();
    assertThat(scopes.denies("item", "item_stats")).isEqualTo("entities");
    assertThat(scopes.deniesEntity("item")).isEqualTo("entities");
  }

  @Test
  void featureGroupListLimitsGroupsOfEveryEntity() {
    CallerScopes scopes = new CallerScopes(null, Set.of("user:user_stats"));
    assertThat(scopes.denies("user", "user_stats")).isNull();
    assertThat(scopes.denies("user", "user_profile")).isEqualTo("feature-groups");
    assertThat(scopes.denies("item", "user_stats")).isEqualTo("feature-groups");
    assertThat(scopes.deniesEntity("item")).isNull();
  }

  @Test
  void bothListsMustAllow() {
    CallerScopes scopes = new CallerScopes(Set.of("item"), Set.of("user:user_stats", "item:item_stats"));
    assertThat(scopes.denies("user", "user_stats")).isEqualTo("entities");
    assertThat(scopes.denies("item", "item_stats")).isNull();
  }

  @Test
  void featureGroupEntriesNeedEntityAndGroup() {
    for (String bad : new String[] {"user_stats", "user:", ":user_stats", "a:b:c", "user:user stats"}) {
      assertThatThrownBy(() -> new CallerScopes(null, Set.of(bad))).as(bad).hasMessageContaining("scopes.feature-groups");
    }
    assertThatThrownBy(() -> new CallerScopes(Set.of("a/b"), null)).hasMessageContaining("scopes.entities entry 'a/b'");
  }
}
