package dev.onfs.controlplane.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.controlplane.ControlPlaneException;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every role against every operation, written out so a change to the policy shows up here. */
class AccessPolicyTest {
  private static final Set<Operation> VIEWER = EnumSet.of(
      Operation.VIEW_REGISTRY, Operation.VIEW_REQUESTS, Operation.CHANGE_OWN_PASSWORD);
  private static final Set<Operation> EDITOR = EnumSet.of(
      Operation.VIEW_REGISTRY, Operation.VIEW_REQUESTS, Operation.CHANGE_OWN_PASSWORD,
      Operation.PLAN, Operation.SUBMIT_SCHEMA_CHANGE, Operation.WITHDRAW, Operation.READ_FEATURES);
  private static final Set<Operation> ADMIN = EnumSet.allOf(Operation.class);

  @Test
  void everyRoleAgainstEveryOperation() {
    for (Role role : Role.values()) {
      Set<Operation> expected = switch (role) {
        case VIEWER -> VIEWER;
        case EDITOR -> EDITOR;
        case ADMIN -> ADMIN;
      };
      for (Operation operation : Operation.values()) {
        Principal principal = new Principal("u", role);
        assertThat(AccessPolicy.allows(role, operation)).as(role + " " + operation).isEqualTo(expected.contains(operation));
        if (expected.contains(operation)) {
          AccessPolicy.check(principal, operation);
        } else {
          assertThatThrownBy(() -> AccessPolicy.check(principal, operation))
              .isInstanceOfSatisfying(ControlPlaneException.class,
                  e -> assertThat(e.reason()).isEqualTo(ControlPlaneException.Reason.FORBIDDEN))
              .hasMessageContaining("role " + role.text());
        }
      }
      assertThat(AccessPolicy.allowed(role)).isEqualTo(expected);
    }
  }
}
