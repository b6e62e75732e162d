package dev.onfs.core.serving;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;

/**
 * Bounds on the work one retrieve or persist may ask for, checked before the store is called, so that
 * no single request can make the store read, or the process hold, an unbounded answer. Each limit has
 * the name of the server option that sets it ({@code docs/operations.md}); the messages of the
 * errors name it too.
 *
 * <p>Exceeding a count limit fails with {@link ErrorCode#REQUEST_TOO_LARGE}. A key value longer than
 * {@link #maxKeyBytes()} is a bad key and fails with {@link ErrorCode#INVALID_ARGUMENT}, like the other
 * key rules ({@code docs/serving.md}).
 *
 * @param maxKeysPerRequest key rows of a retrieve, data rows of a persist ({@code max-keys-per-request})
 * @param maxKeyBytes UTF-8 bytes of one key value ({@code max-key-bytes})
 * @param maxFeatureGroupsPerRequest feature groups listed in one request ({@code max-feature-groups-per-request})
 * @param maxFeaturesPerRequest feature labels listed in one request, over all its groups
 *     ({@code max-features-per-request})
 * @param maxCellsPerRequest keys times features: the cells one request reads or writes
 *     ({@code max-cells-per-request})
 */
public record Limits(
    int maxKeysPerRequest,
    int maxKeyBytes,
    int maxFeatureGroupsPerRequest,
    int maxFeaturesPerRequest,
    long maxCellsPerRequest) {

  public static final int DEFAULT_MAX_KEYS_PER_REQUEST = 10_000;
  public static final int DEFAULT_MAX_KEY_BYTES = 1024;
  public static final int DEFAULT_MAX_FEATURE_GROUPS_PER_REQUEST = 100;
  public static final int DEFAULT_MAX_FEATURES_PER_REQUEST = 2_000;
  public static final long DEFAULT_MAX_CELLS_PER_REQUEST = 1_000_000;

  private static final Limits DEFAULTS = new Limits(DEFAULT_MAX_KEYS_PER_REQUEST, DEFAULT_MAX_KEY_BYTES,
      DEFAULT_MAX_FEATURE_GROUPS_PER_REQUEST, DEFAULT_MAX_FEATURES_PER_REQUEST, DEFAULT_MAX_CELLS_PER_REQUEST);

  public Limits {
    positive("maxKeysPerRequest", maxKeysPerRequest);
    positive("maxKeyBytes", maxKeyBytes);
    positive("maxFeatureGroupsPerRequest", maxFeatureGroupsPerRequest);
    positive("maxFeaturesPerRequest", maxFeaturesPerRequest);
    positive("maxCellsPerRequest", maxCellsPerRequest);
  }

  /** 10,000 keys of at most 1,024 bytes, 100 feature groups, 2,000 features, 1,000,000 cells per request. */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** @throws OnfsException {@link ErrorCode#REQUEST_TOO_LARGE} when {@code keys} exceeds the limit */
  public void checkKeys(long keys) {
    check("keys per request", keys, maxKeysPerRequest, "max-keys-per-request");
  }

  /** @throws OnfsException {@link ErrorCode#REQUEST_TOO_LARGE} when {@code groups} exceeds the limit */
  public void checkFeatureGroups(long groups) {
    check("feature groups per request", groups, maxFeatureGroupsPerRequest, "max-feature-groups-per-request");
  }

  /** @throws OnfsException {@link ErrorCode#REQUEST_TOO_LARGE} when {@code features} exceeds the limit */
  public void checkFeatures(long features) {
    check("features per request", features, maxFeaturesPerRequest, "max-features-per-request");
  }

  /** @throws OnfsException {@link ErrorCode#REQUEST_TOO_LARGE} when {@code keys * features} exceeds the limit */
  public void checkCells(long keys, long features) {
    // Both factors are already bounded by int limits, so the product cannot overflow.
    check("cells per request (" + keys + " keys x " + features + " features)", keys * features, maxCellsPerRequest,
        "max-cells-per-request");
  }

  private static void check(String what, long actual, long limit, String option) {
    if (actual > limit) {
      throw new OnfsException(
          ErrorCode.REQUEST_TOO_LARGE, what + ": " + actual + " > limit " + limit + " (option " + option + ")");
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** Builds {@link Limits}; each setter checks its value. */
  public static final class Builder {
    private int maxKeysPerRequest;
    private int maxKeyBytes;
    private int maxFeatureGroupsPerRequest;
    private int maxFeaturesPerRequest;
    private long maxCellsPerRequest;

    private Builder(Limits from) {
      this.maxKeysPerRequest = from.maxKeysPerRequest;
      this.maxKeyBytes = from.maxKeyBytes;
      this.maxFeatureGroupsPerRequest = from.maxFeatureGroupsPerRequest;
      this.maxFeaturesPerRequest = from.maxFeaturesPerRequest;
      this.maxCellsPerRequest = from.maxCellsPerRequest;
    }

    public Builder maxKeysPerRequest(int value) {
      positive("maxKeysPerRequest", value);
      this.maxKeysPerRequest = value;
      return this;
    }

    public Builder maxKeyBytes(int value) {
      positive("maxKeyBytes", value);
      this.maxKeyBytes = value;
      return this;
    }

    public Builder maxFeatureGroupsPerRequest(int value) {
      positive("maxFeatureGroupsPerRequest", value);
      this.maxFeatureGroupsPerRequest = value;
      return this;
    }

    public Builder maxFeaturesPerRequest(int value) {
      positive("maxFeaturesPerRequest", value);
      this.maxFeaturesPerRequest = value;
      return this;
    }

    public Builder maxCellsPerRequest(long value) {
      positive("maxCellsPerRequest", value);
      this.maxCellsPerRequest = value;
      return this;
    }

    public Limits build() {
      return new Limits(
          maxKeysPerRequest, maxKeyBytes, maxFeatureGroupsPerRequest, maxFeaturesPerRequest, maxCellsPerRequest);
    }
  }
}
