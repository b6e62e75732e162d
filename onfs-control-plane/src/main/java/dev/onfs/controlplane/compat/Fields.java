package dev.onfs.controlplane.compat;

import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.internal.RegistryChecks;
import dev.onfs.core.types.DataType;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Input checks that name the field at fault. Label rules are the registry's own ({@link
 * RegistryChecks#label}), so a request is refused for exactly what the registry would refuse.
 */
final class Fields {
  /** Cassandra's (and so Scylla's) largest TTL: 20 years. */
  static final long MAX_CQL_TTL_SECONDS = 630_720_000L;

  private Fields() {}

  static ControlPlaneException invalid(String field, String message) {
    return ControlPlaneException.invalid(field, message);
  }

  static ControlPlaneException notFound(String field, String message) {
    return new ControlPlaneException(Reason.NOT_FOUND, field, message);
  }

  static ControlPlaneException exists(String field, String message) {
    return new ControlPlaneException(Reason.ALREADY_EXISTS, field, message);
  }

  /** A label by the registry's grammar. */
  static String label(@Nullable String value, String field) {
    if (value == null) {
      throw invalid(field, field + " is missing");
    }
    try {
      return RegistryChecks.label(value, field);
    } catch (OnfsException e) {
      throw invalid(field, e.getMessage());
    }
  }

  /** A data type name, with or without the {@code DataType} prefix. */
  static DataType dataType(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw invalid(field, field + " is missing");
    }
    try {
      return DataType.fromName(value);
    } catch (IllegalArgumentException e) {
      throw invalid(field, field + " '" + value + "' is not a known data type (use FP32, Int64, String, Bool,"
          + " FP16Vector, ..., with or without the DataType prefix)");
    }
  }

  static long nonNegative(long value, String field) {
    if (value < 0) {
      throw invalid(field, field + " is " + value + ", must not be negative");
    }
    return value;
  }

  static int range(long value, long max, String field) {
    if (value < 0 || value > max) {
      throw invalid(field, field + " is " + value + ", must be between 0 and " + max);
    }
    return (int) value;
  }

  /** A plain CQL identifier, as tables and columns of column stores must be. */
  static String cqlIdentifier(String value, String field) {
    if (!value.matches("[A-Za-z_][A-Za-z0-9_]{0,47}")) {
      throw invalid(field, field + " '" + value + "' is not a plain CQL identifier (letters, digits and '_',"
          + " not starting with a digit, at most 48 characters)");
    }
    return value;
  }

  /** Runs a model builder; a registry rule it enforces becomes an invalid-field error. */
  static <T> T at(@Nullable String field, Supplier<T> build) {
    try {
      return build.get();
    } catch (ControlPlaneException e) {
      throw e;
    } catch (OnfsException e) {
      throw new ControlPlaneException(Reason.INVALID, field, e.getMessage(), e);
    }
  }

  /** The short type name used in messages: {@code FP32} for {@code DataTypeFP32}. */
  static String typeName(DataType type) {
    return type.registryName().substring("DataType".length());
  }
}
