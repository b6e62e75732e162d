package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;
import dev.onfs.core.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A feature group: features of one data type that are written and read together, stored as one
 * block per entity key. Every version ever published is kept, because blocks carry the version they
 * were written with.
 */
public final class FeatureGroup {
  /** The only block layout with a defined header. */
  public static final int LAYOUT_VERSION_1 = 1;

  private final String label;
  private final int id;
  private final DataType dataType;
  private final String storeId;
  private final long ttlInSeconds;
  private final String jobId;
  private final boolean inMemoryCacheEnabled;
  private final boolean distributedCacheEnabled;
  private final int activeVersion;
  private final int layoutVersion;
  private final List<Column> columns;
  private final List<String> columnLabels;
  private final Map<Integer, FeatureVersion> versions;
  private final FeatureVersion[] versionTable;
  private final FeatureVersion active;

  private FeatureGroup(Builder b, List<Column> columns, Map<Integer, FeatureVersion> versions) {
    this.label = b.label;
    this.id = b.id;
    this.dataType = requireNonNull(b.dataType);
    this.storeId = requireNonNull(b.storeId);
    this.ttlInSeconds = b.ttlInSeconds;
    this.jobId = b.jobId;
    this.inMemoryCacheEnabled = b.inMemoryCacheEnabled;
    this.distributedCacheEnabled = b.distributedCacheEnabled;
    this.activeVersion = b.activeVersion;
    this.layoutVersion = b.layoutVersion;
    this.columns = columns;
    List<String> labels = new ArrayList<>(columns.size());
    for (Column column : columns) {
      labels.add(column.label());
    }
    this.columnLabels = Collections.unmodifiableList(labels);
    this.versions = versions;
    int max = 0;
    for (int v : versions.keySet()) {
      max = Math.max(max, v);
    }
    this.versionTable = new FeatureVersion[max + 1];
    for (FeatureVersion version : versions.values()) {
      versionTable[version.version()] = version;
    }
    this.active = versionTable[activeVersion];
  }

  public static Builder builder(String label) {
    return new Builder(label);
  }

  /** A builder holding this group's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(label)
        .id(id)
        .dataType(dataType)
        .storeId(storeId)
        .ttlInSeconds(ttlInSeconds)
        .jobId(jobId)
        .inMemoryCacheEnabled(inMemoryCacheEnabled)
        .distributedCacheEnabled(distributedCacheEnabled)
        .activeVersion(activeVersion)
        .layoutVersion(layoutVersion);
    columns.forEach(b::column);
    versions.values().forEach(b::version);
    return b;
  }

  public String label() {
    return label;
  }

  /** The id, unique within the entity; blocks in a Redis row are keyed by it. */
  public int id() {
    return id;
  }

  public DataType dataType() {
    return dataType;
  }

  public String storeId() {
    return storeId;
  }

  /** Lifetime of written blocks (their expiry); 0 = never expires. */
  public long ttlInSeconds() {
    return ttlInSeconds;
  }

  /** The writer job that feeds this group (informational for servers). */
  public String jobId() {
    return jobId;
  }

  /** In-memory caching for this group; effective only when the entity's in-memory cache is on. */
  public boolean inMemoryCacheEnabled() {
    return inMemoryCacheEnabled;
  }

  /** Distributed caching for this group; effective only when the entity's distributed cache is on. */
  public boolean distributedCacheEnabled() {
    return distributedCacheEnabled;
  }

  public int activeVersion() {
    return activeVersion;
  }

  public int layoutVersion() {
    return layoutVersion;
  }

  /** The storage columns, ordered by label as strings ({@code seg_10} before {@code seg_2}) like the reference. */
  public List<Column> columns() {
    return columns;
  }

  /** The column labels in {@link #columns()} order. */
  public List<String> columnLabels() {
    return columnLabels;
  }

  /** Every version, by version number, ascending. */
  public Map<Integer, FeatureVersion> versions() {
    return versions;
  }

  /** The active version's features; writes use it. */
  public FeatureVersion activeFeatures() {
    return active;
  }

  /** The given version (as read from a block header), or null; an array read, no allocation. */
  public @Nullable FeatureVersion version(int version) {
    return version >= 0 && version < versionTable.length ? versionTable[version] : null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureGroup other
        && label.equals(other.label)
        && id == other.id
        && dataType == other.dataType
        && storeId.equals(other.storeId)
        && ttlInSeconds == other.ttlInSeconds
        && jobId.equals(other.jobId)
        && inMemoryCacheEnabled == other.inMemoryCacheEnabled
        && distributedCacheEnabled == other.distributedCacheEnabled
        && activeVersion == other.activeVersion
        && layoutVersion == other.layoutVersion
        && columns.equals(other.columns)
        && versions.equals(other.versions);
  }

  @Override
  public int hashCode() {
    return (label.hashCode() * 31 + id) * 31 + versions.hashCode();
  }

  @Override
  public String toString() {
    return "FeatureGroup[" + label + " id=" + id + " " + dataType.registryName() + " store=" + storeId
        + " active=" + activeVersion + " versions=" + versions.values() + "]";
  }

  /** Builds a validated {@link FeatureGroup}; {@link #build()} checks the whole group. */
  public static final class Builder {
    private final String label;
    private int id = -1;
    private @Nullable DataType dataType;
    private @Nullable String storeId;
    private long ttlInSeconds;
    private String jobId = "";
    private boolean inMemoryCacheEnabled;
    private boolean distributedCacheEnabled;
    private int activeVersion = -1;
    private int layoutVersion = LAYOUT_VERSION_1;
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private final Map<Integer, FeatureVersion> versions = new TreeMap<>();

    private Builder(String label) {
      this.label = RegistryChecks.label(requireNonNull(label, "label is null"), "feature group label");
    }

    private String where() {
      return "feature group '" + label + "'";
    }

    public Builder id(int id) {
      this.id = RegistryChecks.range(id, Integer.MAX_VALUE, where() + " id");
      return this;
    }

    public Builder dataType(DataType dataType) {
      requireNonNull(dataType, "dataType is null");
      if (dataType == DataType.UNKNOWN) {
        throw RegistryChecks.invalid(where() + " data-type is DataTypeUnknown");
      }
      this.dataType = dataType;
      return this;
    }

    public Builder storeId(String storeId) {
      this.storeId = RegistryChecks.label(requireNonNull(storeId, "storeId is null"), where() + " store-id");
      return this;
    }

    public Builder ttlInSeconds(long ttlInSeconds) {
      this.ttlInSeconds = RegistryChecks.nonNegative(ttlInSeconds, where() + " ttl-in-seconds");
      return this;
    }

    public Builder jobId(String jobId) {
      this.jobId = requireNonNull(jobId, "jobId is null");
      return this;
    }

    public Builder inMemoryCacheEnabled(boolean enabled) {
      this.inMemoryCacheEnabled = enabled;
      return this;
    }

    public Builder distributedCacheEnabled(boolean enabled) {
      this.distributedCacheEnabled = enabled;
      return this;
    }

    public Builder activeVersion(int activeVersion) {
      this.activeVersion = RegistryChecks.range(activeVersion, RegistryChecks.MAX_LENGTH, where() + " active-version");
      return this;
    }

    public Builder layoutVersion(int layoutVersion) {
      if (layoutVersion != LAYOUT_VERSION_1) {
        throw RegistryChecks.invalid(where() + " layout-version is " + layoutVersion + ", only 1 is supported");
      }
      this.layoutVersion = layoutVersion;
      return this;
    }

    /** Adds or replaces the column with this column's label. */
    public Builder column(Column column) {
      requireNonNull(column, "column is null");
      columns.put(column.label(), column);
      return this;
    }

    public Builder column(String label, int currentSizeInBytes) {
      return column(new Column(label, currentSizeInBytes));
    }

    /** Adds (or replaces) a version. */
    public Builder version(FeatureVersion version) {
      requireNonNull(version, "version is null");
      versions.put(version.version(), version);
      return this;
    }

    /**
     * Checks the group: id, data type and store set; the active version exists; every feature's
     * lengths and default value fit the data type.
     */
    public FeatureGroup build() {
      if (id < 0) {
        throw RegistryChecks.invalid(where() + " id is missing");
      }
      if (dataType == null) {
        throw RegistryChecks.invalid(where() + " data-type is missing");
      }
      if (storeId == null) {
        throw RegistryChecks.invalid(where() + " store-id is missing");
      }
      if (activeVersion < 0) {
        throw RegistryChecks.invalid(where() + " active-version is missing");
      }
      if (!versions.containsKey(activeVersion)) {
        throw RegistryChecks.invalid(where() + " active-version " + activeVersion
            + " has no features/" + activeVersion + " (versions present: " + versions.keySet() + ")");
      }
      for (FeatureVersion version : versions.values()) {
        for (Feature feature : version.features()) {
          checkFeature(version.version(), feature);
        }
      }
      List<Column> sortedColumns = new ArrayList<>(columns.values());
      sortedColumns.sort(Comparator.comparing(Column::label));
      return new FeatureGroup(this, List.copyOf(sortedColumns),
          Collections.unmodifiableMap(new LinkedHashMap<>(versions)));
    }

    private void checkFeature(int version, Feature feature) {
      DataType type = requireNonNull(dataType);
      String where = where() + " version " + version + " feature '" + feature.label() + "'";
      if (type.isVector() && feature.vectorLength() == 0) {
        throw RegistryChecks.invalid(where + ": vector-length is 0, " + type.registryName() + " needs at least 1");
      }
      try {
        DefaultValues.checkEncoded(type, feature.defaultValue(), feature.stringLength(), feature.vectorLength());
      } catch (RuntimeException e) {
        throw RegistryChecks.invalid(where + ": default-value " + e.getMessage());
      }
    }
  }
}
