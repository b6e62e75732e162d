package dev.onfs.controlplane.request;

import org.jspecify.annotations.Nullable;

/**
 * A feature as requested.
 *
 * @param label the feature name
 * @param defaultValue the default as text ({@code 0.5}, {@code [1,2,3]}, {@code true}); null for
 *     zero, false, the empty string or a vector of those
 * @param stringLength the maximum bytes of a String / StringVector element, 0 = not limited
 * @param vectorLength the number of elements of a vector feature, 0 for scalars
 * @param source where pipelines read the feature from, or null
 */
public record FeatureSpec(
    String label, @Nullable String defaultValue, int stringLength, int vectorLength, @Nullable SourceSpec source) {

  /** A scalar feature with a default and no source mapping. */
  public static FeatureSpec of(String label, @Nullable String defaultValue) {
    return new FeatureSpec(label, defaultValue, 0, 0, null);
  }
}
