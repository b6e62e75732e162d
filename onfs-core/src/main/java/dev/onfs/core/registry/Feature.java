package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;
import java.util.Arrays;
import java.util.Base64;

/**
 * One feature of a feature-group version.
 *
 * @param label the feature name, unique within its version
 * @param sequence its position in the version, 0-based (= its position in the block)
 * @param defaultValue the default value encoded as the reference stores it (see {@link
 *     DefaultValues}); copied on the way in and out
 * @param stringLength the maximum string length in bytes (string types; 0 = not limited)
 * @param vectorLength the number of elements (vector types; 0 for scalars)
 */
public record Feature(String label, int sequence, byte[] defaultValue, int stringLength, int vectorLength) {
  public Feature {
    requireNonNull(label, "label is null");
    requireNonNull(defaultValue, "defaultValue is null");
    RegistryChecks.label(label, "feature label");
    RegistryChecks.nonNegative(sequence, "feature '" + label + "' sequence");
    RegistryChecks.range(stringLength, RegistryChecks.MAX_LENGTH, "feature '" + label + "' string-length");
    RegistryChecks.range(vectorLength, RegistryChecks.MAX_LENGTH, "feature '" + label + "' vector-length");
    defaultValue = defaultValue.clone();
  }

  /** A copy of the default value bytes; hot paths use {@link FeatureVersion#defaultValue(int)}. */
  @Override
  public byte[] defaultValue() {
    return defaultValue.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Feature other
        && label.equals(other.label)
        && sequence == other.sequence
        && Arrays.equals(defaultValue, other.defaultValue)
        && stringLength == other.stringLength
        && vectorLength == other.vectorLength;
  }

  @Override
  public int hashCode() {
    return ((label.hashCode() * 31 + sequence) * 31 + Arrays.hashCode(defaultValue)) * 31
        + stringLength * 65599 + vectorLength;
  }

  @Override
  public String toString() {
    return "Feature[label=" + label + ", sequence=" + sequence + ", defaultValue="
        + Base64.getEncoder().encodeToString(defaultValue) + ", stringLength=" + stringLength
        + ", vectorLength=" + vectorLength + "]";
  }
}
