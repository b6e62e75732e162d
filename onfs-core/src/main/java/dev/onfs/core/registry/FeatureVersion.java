package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The ordered feature list of one feature-group version ({@code features/<v>} in the reference).
 *
 * <p>Features are ordered by sequence, and sequences run 0..n-1, so a feature's index is its
 * sequence and its position in every block written with this version. The per-feature arrays are
 * computed once; the accessors that return arrays hand out the shared instance so that the codec
 * and serving paths allocate nothing: <b>never modify a returned array</b>.
 */
public final class FeatureVersion {
  private final int version;
  private final List<Feature> features;
  private final List<String> labels;
  private final Map<String, Integer> indexByLabel;
  private final int[] vectorLengths;
  private final int[] stringLengths;
  private final byte[][] defaultValues;

  private FeatureVersion(int version, List<Feature> features) {
    this.version = version;
    this.features = features;
    int n = features.size();
    List<String> labelList = new ArrayList<>(n);
    Map<String, Integer> index = new HashMap<>(n * 2);
    vectorLengths = new int[n];
    stringLengths = new int[n];
    defaultValues = new byte[n][];
    for (int i = 0; i < n; i++) {
      Feature feature = features.get(i);
      labelList.add(feature.label());
      index.put(feature.label(), i);
      vectorLengths[i] = feature.vectorLength();
      stringLengths[i] = feature.stringLength();
      defaultValues[i] = feature.defaultValue();
    }
    this.labels = Collections.unmodifiableList(labelList);
    this.indexByLabel = index;
  }

  /**
   * Creates a version from its features in any order; they are sorted by sequence, which must run
   * 0..n-1 without gaps, and labels must be unique.
   */
  public static FeatureVersion of(int version, List<Feature> features) {
    requireNonNull(features, "features is null");
    String where = "version " + version;
    RegistryChecks.range(version, RegistryChecks.MAX_LENGTH, where + ": version number");
    List<Feature> sorted = new ArrayList<>(features);
    for (Feature feature : sorted) {
      requireNonNull(feature, "feature is null");
    }
    sorted.sort(Comparator.comparingInt(Feature::sequence));
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      Feature feature = sorted.get(i);
      if (seen.put(feature.label(), i) != null) {
        throw RegistryChecks.invalid(where + ": feature label '" + feature.label() + "' appears twice");
      }
      if (feature.sequence() != i) {
        throw RegistryChecks.invalid(where + ": feature '" + feature.label() + "' has sequence "
            + feature.sequence() + ", expected " + i + " (sequences must run 0.." + (sorted.size() - 1)
            + " without gaps or repeats)");
      }
    }
    return new FeatureVersion(version, List.copyOf(sorted));
  }

  /** A builder that assigns sequences in the order features are added. */
  public static Builder builder(int version) {
    return new Builder(version);
  }

  /** The version number (the schema version in every block header, a uint16; the reference starts at 1). */
  public int version() {
    return version;
  }

  /** The features in sequence order. */
  public List<Feature> features() {
    return features;
  }

  /** The feature labels in sequence order. */
  public List<String> labels() {
    return labels;
  }

  /** The number of features. */
  public int size() {
    return features.size();
  }

  /** The feature at {@code index} (= its sequence). */
  public Feature feature(int index) {
    return features.get(index);
  }

  /** The feature with this label, or null. */
  public @Nullable Feature feature(String label) {
    Integer index = indexByLabel.get(label);
    return index == null ? null : features.get(index);
  }

  /** The index (= sequence) of the feature with this label, or -1; one hash lookup, no allocation. */
  public int indexOf(String label) {
    Integer index = indexByLabel.get(label);
    return index == null ? -1 : index;
  }

  /** Vector length per feature in sequence order. Shared array: never modify it. */
  public int[] vectorLengths() {
    return vectorLengths;
  }

  /** String length per feature in sequence order. Shared array: never modify it. */
  public int[] stringLengths() {
    return stringLengths;
  }

  public int vectorLength(int index) {
    return vectorLengths[index];
  }

  public int stringLength(int index) {
    return stringLengths[index];
  }

  /** The default value bytes of the feature at {@code index}. Shared array: never modify it. */
  public byte[] defaultValue(int index) {
    return defaultValues[index];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureVersion other && version == other.version && features.equals(other.features);
  }

  @Override
  public int hashCode() {
    return version * 31 + features.hashCode();
  }

  @Override
  public String toString() {
    return "FeatureVersion[" + version + ": " + labels + "]";
  }

  /** Collects features, assigning sequences 0, 1, 2, ... in the order they are added. */
  public static final class Builder {
    private final int version;
    private final List<Feature> features = new ArrayList<>();

    private Builder(int version) {
      this.version = version;
    }

    /** Adds a feature with encoded default bytes. */
    public Builder feature(String label, byte[] defaultValue, int stringLength, int vectorLength) {
      features.add(new Feature(label, features.size(), defaultValue, stringLength, vectorLength));
      return this;
    }

    /** Adds a scalar feature (string and vector length 0). */
    public Builder feature(String label, byte[] defaultValue) {
      return feature(label, defaultValue, 0, 0);
    }

    public FeatureVersion build() {
      return FeatureVersion.of(version, features);
    }
  }
}
