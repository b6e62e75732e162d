package dev.onfs.controlplane.users;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.ControlPlaneException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which role may perform which operation: one table, checked before every operation. */
public final class AccessPolicy {
  private static final Map<Operation, Role> MINIMUM = new EnumMap<>(Operation.class);

  static {
    MINIMUM.put(Operation.VIEW_REGISTRY, Role.VIEWER);
    MINIMUM.put(Operation.VIEW_REQUESTS, Role.VIEWER);
    MINIMUM.put(Operation.CHANGE_OWN_PASSWORD, Role.VIEWER);
    MINIMUM.put(Operation.PLAN, Role.EDITOR);
    MINIMUM.put(Operation.READ_FEATURES, Role.EDITOR);
    MINIMUM.put(Operation.SUBMIT_SCHEMA_CHANGE, Role.EDITOR);
    MINIMUM.put(Operation.WITHDRAW, Role.EDITOR);
    MINIMUM.put(Operation.SUBMIT_REGISTRATION, Role.ADMIN);
    MINIMUM.put(Operation.APPROVE, Role.ADMIN);
    MINIMUM.put(Operation.REJECT, Role.ADMIN);
    MINIMUM.put(Operation.VIEW_USERS, Role.ADMIN);
    MINIMUM.put(Operation.MANAGE_USERS, Role.ADMIN);
    MINIMUM.put(Operation.VIEW_AUDIT, Role.ADMIN);
    if (MINIMUM.size() != Operation.values().length) {
      throw new ExceptionInInitializerError("every operation needs a minimum role");
    }
  }

  private AccessPolicy() {}

  /** Whether {@code role} may perform {@code operation}. */
  public static boolean allows(Role role, Operation operation) {
    return role.compareTo(MINIMUM.get(operation)) >= 0;
  }

  /** The operations {@code role} may perform. */
  public static Set<Operation> allowed(Role role) {
    Set<Operation> result = EnumSet.noneOf(Operation.class);
    for (Operation operation : Operation.values()) {
      if (allows(role, operation)) {
        result.add(operation);
      }
    }
    return result;
  }

  /** Throws {@link ControlPlaneException.Reason#FORBIDDEN} unless the principal's role allows the operation. */
  public static void check(Principal principal, Operation operation) {
    if (!allows(principal.role(), operation)) {
      Role minimum = requireNonNull(MINIMUM.get(operation)); // every operation has one (checked above)
      throw new ControlPlaneException(ControlPlaneException.Reason.FORBIDDEN, null, "user '" + principal.name()
          + "' (role " + principal.role().text() + ") may not " + describe(operation) + "; that needs role "
          + minimum.text() + (minimum == Role.ADMIN ? "" : " or higher"));
    }
  }

  private static String describe(Operation operation) {
    return operation.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
