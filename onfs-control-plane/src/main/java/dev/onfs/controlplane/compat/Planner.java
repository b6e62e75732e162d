package dev.onfs.controlplane.compat;

import static dev.onfs.controlplane.compat.Fields.at;
import static dev.onfs.controlplane.compat.Fields.exists;
import static dev.onfs.controlplane.compat.Fields.invalid;
import static dev.onfs.controlplane.compat.Fields.label;
import static dev.onfs.controlplane.compat.Fields.notFound;
import static dev.onfs.controlplane.compat.Fields.typeName;
import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.StoreConnection;
import dev.onfs.controlplane.request.AddFeatures;
import dev.onfs.controlplane.request.CacheSpec;
import dev.onfs.controlplane.request.CreateEntity;
import dev.onfs.controlplane.request.CreateFeatureGroup;
import dev.onfs.controlplane.request.DeleteFeatures;
import dev.onfs.controlplane.request.EditEntity;
import dev.onfs.controlplane.request.EditFeatureGroup;
import dev.onfs.controlplane.request.EditFeatures;
import dev.onfs.controlplane.request.FeatureSpec;
import dev.onfs.controlplane.request.KeySpec;
import dev.onfs.controlplane.request.Payload;
import dev.onfs.controlplane.request.RegisterClient;
import dev.onfs.controlplane.request.RegisterJob;
import dev.onfs.controlplane.request.RegisterStore;
import dev.onfs.controlplane.request.SourceSpec;
import dev.onfs.controlplane.request.Target;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.DefaultValues;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.EntityKey;
import dev.onfs.core.registry.Feature;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.Segments;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.registry.internal.RegistryChecks;
import dev.onfs.core.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Plans a request against a registry snapshot: checks every field, classifies each change and
 * computes the registry approval would publish. Pure: reads nothing but its arguments.
 *
 * <p>Invalid input throws {@link ControlPlaneException} naming the field. A breaking change does
 * not throw: the plan says {@link ChangeClass#BREAKING} and names it, so a dry run can show it;
 * submit and approve refuse such plans ({@link Plan#requireAcceptable()}).
 */
public final class Planner {
  /** The storage providers a source mapping may name (the reference's list). */
  public static final Set<String> STORAGE_PROVIDERS = Set.of(
      "TABLE", "PARQUET_GCS", "PARQUET_S3", "PARQUET_ADLS", "DELTA_GCS", "DELTA_S3", "DELTA_ADLS");

  private final Map<Integer, StoreConnection> connections;

  /** @param connections the store connections stores may be registered on, by conf-id */
  public Planner(Map<Integer, StoreConnection> connections) {
    this.connections = Map.copyOf(requireNonNull(connections, "connections is null"));
  }

  /**
   * Plans {@code payload} against {@code current}.
   *
   * @param sources the current source mappings ({@code <entity>|<group>|<feature>} to value)
   */
  public Plan plan(RegistrySnapshot current, Map<String, String> sources, Payload payload) {
    requireNonNull(current, "current is null");
    requireNonNull(sources, "sources is null");
    requireNonNull(payload, "payload is null");
    // Java 17: no pattern switch yet; the sealed kind enum keeps this exhaustive.
    return switch (payload.kind()) {
      case CREATE_ENTITY -> createEntity(current, (CreateEntity) payload);
      case EDIT_ENTITY -> editEntity(current, (EditEntity) payload);
      case CREATE_FEATURE_GROUP -> createFeatureGroup(current, (CreateFeatureGroup) payload);
      case EDIT_FEATURE_GROUP -> editFeatureGroup(current, sources, (EditFeatureGroup) payload);
      case ADD_FEATURES -> addFeatures(current, (AddFeatures) payload);
      case EDIT_FEATURES -> editFeatures(current, sources, (EditFeatures) payload);
      case DELETE_FEATURES -> deleteFeatures(current, sources, (DeleteFeatures) payload);
      case REGISTER_STORE -> registerStore(current, (RegisterStore) payload);
      case REGISTER_JOB -> registerCaller(current, payload,
          Target.writer(label(((RegisterJob) payload).jobId(), "job-id")), "job-id");
      case REGISTER_CLIENT -> registerCaller(current, payload,
          Target.reader(label(((RegisterClient) payload).clientId(), "client-id")), "client-id");
    };
  }

  // ---- entities --------------------------------------------------------------------------------

  private Plan createEntity(RegistrySnapshot current, CreateEntity p) {
    String label = label(p.entity(), "entity");
    if (current.entity(label) != null) {
      throw exists("entity", "entity '" + label + "' already exists; use an edit-entity request to change its caches");
    }
    if (p.keys().isEmpty()) {
      throw invalid("keys", "keys is empty: an entity needs at least one key");
    }
    Entity.Builder entity = at("entity", () -> Entity.builder(label));
    Set<String> names = new HashSet<>();
    Set<String> columns = new HashSet<>();
    for (int i = 0; i < p.keys().size(); i++) {
      KeySpec key = p.keys().get(i);
      String at = "keys[" + i + "]";
      if (key == null) {
        throw invalid(at, at + " is missing");
      }
      String name = label(key.entityLabel(), at + ".entity-label");
      String column = label(key.columnLabel() == null ? name : key.columnLabel(), at + ".column-label");
      if (!names.add(name)) {
        throw invalid(at + ".entity-label", "key entity-label '" + name + "' appears twice");
      }
      if (!columns.add(column)) {
        throw invalid(at + ".column-label", "key column-label '" + column + "' appears twice");
      }
      entity.key(new EntityKey(i, name, column));
    }
    entity.distributedCache(cache(p.distributedCache(), "distributed-cache"));
    entity.inMemoryCache(cache(p.inMemoryCache(), "in-memory-cache"));
    Entity built = at("entity", entity::build);
    RegistrySnapshot after = at("entity", () -> current.toBuilder().entity(built).build());
    return plan(p, List.of(new Change(ChangeClass.ADDITIVE,
            "new entity '" + label + "' with keys " + built.keyLabels() + " (columns " + built.keyColumns() + ")")),
        List.of(), after, List.of(Target.entity(label)), List.of(), List.of(), null, "entity '" + label + "'");
  }

  private Plan editEntity(RegistrySnapshot current, EditEntity p) {
    Entity entity = entity(current, p.entity());
    List<Change> changes = new ArrayList<>();
    Entity.Builder edited = entity.toBuilder();
    if (p.distributedCache() != null) {
      CacheConfig next = cache(p.distributedCache(), "distributed-cache");
      describeCache(changes, entity.label(), "distributed-cache", entity.distributedCache(), next);
      edited.distributedCache(next);
    }
    if (p.inMemoryCache() != null) {
      CacheConfig next = cache(p.inMemoryCache(), "in-memory-cache");
      describeCache(changes, entity.label(), "in-memory-cache", entity.inMemoryCache(), next);
      edited.inMemoryCache(next);
    }
    noChange(changes, "entity '" + entity.label() + "'");
    Entity built = at("entity", edited::build);
    RegistrySnapshot after = at("entity", () -> current.toBuilder().entity(built).build());
    return plan(p, changes, List.of(), after, List.of(Target.entity(entity.label())), List.of(), List.of(), null,
        "entity '" + entity.label() + "' settings");
  }

  private static void describeCache(List<Change> changes, String entity, String which, CacheConfig from, CacheConfig to) {
    List<String> diffs = new ArrayList<>();
    diff(diffs, "enabled", from.enabled(), to.enabled());
    diff(diffs, "ttl-in-seconds", from.ttlInSeconds(), to.ttlInSeconds());
    diff(diffs, "jitter-percentage", from.jitterPercentage(), to.jitterPercentage());
    diff(diffs, "conf-id", from.confId(), to.confId());
    if (!diffs.isEmpty()) {
      changes.add(new Change(ChangeClass.COMPATIBLE, "entity '" + entity + "' " + which + ": " + String.join(", ", diffs)));
    }
  }

  private static CacheConfig cache(@Nullable CacheSpec spec, String field) {
    if (spec == null) {
      return CacheConfig.DISABLED;
    }
    Fields.nonNegative(spec.ttlInSeconds(), field + ".ttl-in-seconds");
    Fields.range(spec.jitterPercentage(), 100, field + ".jitter-percentage");
    Fields.nonNegative(spec.confId(), field + ".conf-id");
    if (spec.enabled() && spec.ttlInSeconds() == 0) {
      throw invalid(field + ".ttl-in-seconds", field + ".ttl-in-seconds is 0: an enabled cache needs a TTL above 0");
    }
    return at(field, () -> new CacheConfig(spec.enabled(), spec.ttlInSeconds(), spec.jitterPercentage(), spec.confId()));
  }

  // ---- feature groups --------------------------------------------------------------------------

  private Plan createFeatureGroup(RegistrySnapshot current, CreateFeatureGroup p) {
    Entity entity = entity(current, p.entity());
    String label = label(p.featureGroup(), "feature-group");
    if (entity.featureGroup(label) != null) {
      throw exists("feature-group", "feature group '" + label + "' of entity '" + entity.label()
          + "' already exists; use edit-feature-group, add-features, edit-features or delete-features to change it");
    }
    DataType type = Fields.dataType(p.dataType(), "data-type");
    StoreConfig store = store(current, p.storeId(), "store-id");
    checkKeysMatchStore(entity, store);
    String jobId = writer(current, p.jobId(), "job-id");
    Fields.nonNegative(p.ttlInSeconds(), "ttl-in-seconds");
    layout(p.layoutVersion());
    List<Built> features = features(p.features(), type, "features", Set.of());
    FeatureVersion version = at("features", () -> FeatureVersion.of(1, Built.features(features)));
    int id = 0;
    for (FeatureGroup group : entity.featureGroups().values()) {
      id = Math.max(id, group.id() + 1);
    }
    long total = Segments.LAYOUT_1_HEADER_BYTES + Segments.blockBytes(type, version);
    Columns.Sized columns = Columns.create(total, store.maxColumnSizeInBytes(), Columns.nextNumber(current, entity, store.id()));
    int groupId = id;
    FeatureGroup.Builder group = at("feature-group", () -> FeatureGroup.builder(label))
        .id(groupId)
        .dataType(type)
        .storeId(store.id())
        .ttlInSeconds(p.ttlInSeconds())
        .jobId(jobId)
        .inMemoryCacheEnabled(p.inMemoryCacheEnabled())
        .distributedCacheEnabled(p.distributedCacheEnabled())
        .activeVersion(1)
        .version(version);
    columns.columns().forEach(group::column);
    FeatureGroup built = at("feature-group", group::build);
    RegistrySnapshot after = withGroup(current, entity, built);
    List<SourceChange> sources = new ArrayList<>();
    for (Built feature : features) {
      if (feature.sourceValue() != null) {
        sources.add(new SourceChange(sourceKey(entity.label(), label, feature.feature().label()), feature.sourceValue()));
      }
    }
    Change change = new Change(ChangeClass.ADDITIVE, "new feature group '" + label + "' of entity '" + entity.label()
        + "' (" + typeName(type) + ", id " + groupId + ", store " + store.id() + ") with version 1: "
        + version.labels() + "; columns " + columns.added());
    return plan(p, List.of(change), List.of(), after, List.of(Target.featureGroup(entity.label(), label)),
        schema(store, entity, columns.added()), sources, null,
        "feature group '" + label + "' id " + groupId + " version 1");
  }

  private Plan editFeatureGroup(RegistrySnapshot current, Map<String, String> sources, EditFeatureGroup p) {
    Entity entity = entity(current, p.entity());
    FeatureGroup group = group(entity, p.featureGroup());
    String where = "feature group '" + group.label() + "'";
    int published = group.activeVersion();
    List<Change> changes = new ArrayList<>();
    FeatureGroup.Builder edited = group.toBuilder();
    if (p.ttlInSeconds() != null) {
      long ttl = Fields.nonNegative(p.ttlInSeconds(), "ttl-in-seconds");
      setting(changes, where, "ttl-in-seconds", group.ttlInSeconds(), ttl);
      edited.ttlInSeconds(ttl);
    }
    if (p.inMemoryCacheEnabled() != null) {
      setting(changes, where, "in-memory-cache-enabled", group.inMemoryCacheEnabled(), p.inMemoryCacheEnabled());
      edited.inMemoryCacheEnabled(p.inMemoryCacheEnabled());
    }
    if (p.distributedCacheEnabled() != null) {
      setting(changes, where, "distributed-cache-enabled", group.distributedCacheEnabled(), p.distributedCacheEnabled());
      edited.distributedCacheEnabled(p.distributedCacheEnabled());
    }
    if (p.jobId() != null) {
      String jobId = writer(current, p.jobId(), "job-id");
      setting(changes, where, "job-id", group.jobId(), jobId);
      edited.jobId(jobId);
    }
    if (p.layoutVersion() != null) {
      layout(p.layoutVersion());
    }
    if (p.dataType() != null) {
      DataType type = Fields.dataType(p.dataType(), "data-type");
      if (type != group.dataType()) {
        changes.add(new Change(ChangeClass.BREAKING, where + ": changing data type " + typeName(group.dataType())
            + " -> " + typeName(type) + " of published version " + published
            + " is breaking; publish a new feature group instead"));
      }
    }
    if (p.storeId() != null) {
      String storeId = label(p.storeId(), "store-id");
      if (!storeId.equals(group.storeId())) {
        store(current, storeId, "store-id");
        changes.add(new Change(ChangeClass.BREAKING, where + ": moving from store " + group.storeId() + " to store "
            + storeId + " is breaking (blocks written to store " + group.storeId()
            + " would no longer be read); publish a new feature group on store " + storeId + " instead"));
      }
    }
    List<SourceChange> sourceChanges = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> added = List.of();
    FeatureGroup settings = at("feature-group", edited::build);
    FeatureGroup result = settings;
    if (p.features() != null) {
      VersionEdit versionEdit = wantedFeatures(current, sources, entity, group, p.features(), changes, sourceChanges, warnings);
      added = versionEdit.addedColumns();
      if (versionEdit.group() != null) {
        result = settingsOnto(versionEdit.group(), settings);
      }
    }
    noChange(changes, where);
    if (isBreaking(changes)) {
      return breaking(p, changes);
    }
    FeatureGroup built = result;
    RegistrySnapshot after = withGroup(current, entity, built);
    StoreConfig store = requireNonNull(current.store(group.storeId()));
    String outcome = built.activeVersion() != published
        ? "version " + built.activeVersion() + " of feature group '" + group.label() + "'"
        : "feature group '" + group.label() + "' settings";
    return plan(p, changes, warnings, after, List.of(Target.featureGroup(entity.label(), group.label())),
        schema(store, entity, added), sourceChanges, null, outcome);
  }

  /** Applies the edited settings of {@code settings} onto a group that has a new version. */
  private static FeatureGroup settingsOnto(FeatureGroup versioned, FeatureGroup settings) {
    return at("feature-group", () -> versioned.toBuilder()
        .ttlInSeconds(settings.ttlInSeconds())
        .inMemoryCacheEnabled(settings.inMemoryCacheEnabled())
        .distributedCacheEnabled(settings.distributedCacheEnabled())
        .jobId(settings.jobId())
        .build());
  }

  private record VersionEdit(@Nullable FeatureGroup group, List<String> addedColumns) {}

  /** Compares a complete wanted feature list with the active version. */
  private VersionEdit wantedFeatures(RegistrySnapshot current, Map<String, String> sources, Entity entity,
      FeatureGroup group, List<FeatureSpec> specs, List<Change> changes, List<SourceChange> sourceChanges,
      List<String> warnings) {
    String where = "feature group '" + group.label() + "'";
    FeatureVersion active = group.activeFeatures();
    int published = group.activeVersion();
    List<Built> wanted = features(specs, group.dataType(), "features", Set.of());
    List<String> wantedLabels = new ArrayList<>();
    wanted.forEach(b -> wantedLabels.add(b.feature().label()));
    List<String> keptWanted = new ArrayList<>();
    for (String label : wantedLabels) {
      if (active.indexOf(label) >= 0) {
        keptWanted.add(label);
      }
    }
    List<String> keptPublished = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (String label : active.labels()) {
      (wantedLabels.contains(label) ? keptPublished : removed).add(label);
    }
    if (!keptWanted.equals(keptPublished)) {
      changes.add(new Change(ChangeClass.BREAKING, where + ": reordering features inside published version " + published
          + " is breaking (published order " + keptPublished + ", requested " + keptWanted
          + "); keep the published order and append new features at the end"));
    }
    int lastKept = -1;
    for (int i = 0; i < wantedLabels.size(); i++) {
      if (active.indexOf(wantedLabels.get(i)) >= 0) {
        lastKept = i;
      }
    }
    for (int i = 0; i < lastKept; i++) {
      String label = wantedLabels.get(i);
      if (active.indexOf(label) >= 0) {
        continue;
      }
      if (i < active.size() && removed.contains(active.labels().get(i))) {
        changes.add(new Change(ChangeClass.BREAKING, where + ": renaming feature '" + active.labels().get(i) + "' to '"
            + label + "' inside published version " + published + " is breaking; add '" + label
            + "' as a new feature (and delete '" + active.labels().get(i) + "') instead"));
      } else {
        changes.add(new Change(ChangeClass.BREAKING, where + ": inserting feature '" + label + "' before '"
            + wantedLabels.get(lastKept) + "' inside published version " + published
            + " is breaking (published features keep their positions); append it at the end instead"));
      }
    }
    List<Feature> next = new ArrayList<>();
    boolean layoutChanged = !removed.isEmpty();
    for (Built b : wanted) {
      Feature publishedFeature = active.feature(b.feature().label());
      if (publishedFeature == null) {
        continue;
      }
      FeatureChange fc = compareFeature(where, published, group.dataType(), publishedFeature, b, "features["
          + wantedLabels.indexOf(b.feature().label()) + "]", changes);
      layoutChanged |= fc.newVersion();
      next.add(fc.feature());
      sourceChange(entity, group, b, sources, changes, sourceChanges, where, false);
    }
    List<String> addedLabels = new ArrayList<>();
    for (Built b : wanted) {
      if (active.indexOf(b.feature().label()) < 0) {
        next.add(b.feature());
        addedLabels.add(b.feature().label());
        layoutChanged = true;
        if (b.sourceValue() != null) {
          sourceChanges.add(new SourceChange(sourceKey(entity.label(), group.label(), b.feature().label()), b.sourceValue()));
        }
      }
    }
    if (!addedLabels.isEmpty()) {
      changes.add(new Change(ChangeClass.ADDITIVE, where + ": adds features " + addedLabels));
    }
    removal(entity, group, removed, sources, changes, sourceChanges, warnings);
    if (!layoutChanged || isBreaking(changes)) {
      return new VersionEdit(null, List.of());
    }
    return newVersion(current, entity, group, next, changes);
  }

  private Plan addFeatures(RegistrySnapshot current, AddFeatures p) {
    Entity entity = entity(current, p.entity());
    FeatureGroup group = group(entity, p.featureGroup());
    if (p.features().isEmpty()) {
      throw invalid("features", "features is empty: nothing to add");
    }
    FeatureVersion active = group.activeFeatures();
    List<Built> added = features(p.features(), group.dataType(), "features", Set.copyOf(active.labels()));
    List<Feature> next = new ArrayList<>(active.features());
    List<SourceChange> sources = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (Built b : added) {
      next.add(b.feature());
      labels.add(b.feature().label());
      if (b.sourceValue() != null) {
        sources.add(new SourceChange(sourceKey(entity.label(), group.label(), b.feature().label()), b.sourceValue()));
      }
    }
    List<Change> changes = new ArrayList<>();
    changes.add(new Change(ChangeClass.ADDITIVE, "feature group '" + group.label() + "': adds features " + labels));
    VersionEdit edit = newVersion(current, entity, group, next, changes);
    FeatureGroup built = requireNonNull(edit.group());
    return plan(p, changes, List.of(), withGroup(current, entity, built),
        List.of(Target.featureGroup(entity.label(), group.label())),
        schema(requireNonNull(current.store(group.storeId())), entity, edit.addedColumns()), sources, null,
        "version " + built.activeVersion() + " of feature group '" + group.label() + "'");
  }

  private Plan editFeatures(RegistrySnapshot current, Map<String, String> sources, EditFeatures p) {
    Entity entity = entity(current, p.entity());
    FeatureGroup group = group(entity, p.featureGroup());
    String where = "feature group '" + group.label() + "'";
    if (p.features().isEmpty()) {
      throw invalid("features", "features is empty: nothing to edit");
    }
    FeatureVersion active = group.activeFeatures();
    List<Built> edits = features(p.features(), group.dataType(), "features", Set.of());
    Map<String, Built> byLabel = new HashMap<>();
    for (int i = 0; i < edits.size(); i++) {
      Built b = edits.get(i);
      if (active.indexOf(b.feature().label()) < 0) {
        throw notFound("features[" + i + "].label", where + " has no feature '" + b.feature().label()
            + "' in its active version " + group.activeVersion() + " (features: " + active.labels()
            + "); use add-features to add it");
      }
      byLabel.put(b.feature().label(), b);
    }
    List<Change> changes = new ArrayList<>();
    List<SourceChange> sourceChanges = new ArrayList<>();
    List<Feature> next = new ArrayList<>();
    boolean newVersion = false;
    for (Feature feature : active.features()) {
      Built b = byLabel.get(feature.label());
      if (b == null) {
        next.add(feature);
        continue;
      }
      FeatureChange fc = compareFeature(where, group.activeVersion(), group.dataType(), feature, b,
          "features[" + edits.indexOf(b) + "]", changes);
      newVersion |= fc.newVersion();
      next.add(fc.feature());
      sourceChange(entity, group, b, sources, changes, sourceChanges, where, true);
    }
    noChange(changes, where);
    if (isBreaking(changes)) {
      return breaking(p, changes);
    }
    FeatureGroup built = group;
    List<String> added = List.of();
    if (newVersion) {
      VersionEdit edit = newVersion(current, entity, group, next, changes);
      built = requireNonNull(edit.group());
      added = edit.addedColumns();
    }
    FeatureGroup result = built;
    return plan(p, changes, List.of(), withGroup(current, entity, result),
        List.of(Target.featureGroup(entity.label(), group.label())),
        schema(requireNonNull(current.store(group.storeId())), entity, added), sourceChanges, null,
        newVersion ? "version " + result.activeVersion() + " of feature group '" + group.label() + "'"
            : "source mappings of feature group '" + group.label() + "'");
  }

  private Plan deleteFeatures(RegistrySnapshot current, Map<String, String> sources, DeleteFeatures p) {
    Entity entity = entity(current, p.entity());
    FeatureGroup group = group(entity, p.featureGroup());
    String where = "feature group '" + group.label() + "'";
    if (p.features().isEmpty()) {
      throw invalid("features", "features is empty: nothing to delete");
    }
    FeatureVersion active = group.activeFeatures();
    Set<String> removed = new LinkedHashSet<>();
    for (int i = 0; i < p.features().size(); i++) {
      String label = label(p.features().get(i), "features[" + i + "]");
      if (active.indexOf(label) < 0) {
        throw notFound("features[" + i + "]", where + " has no feature '" + label + "' in its active version "
            + group.activeVersion() + " (features: " + active.labels() + ")");
      }
      if (!removed.add(label)) {
        throw invalid("features[" + i + "]", "feature '" + label + "' appears twice");
      }
    }
    List<Feature> next = new ArrayList<>();
    for (Feature feature : active.features()) {
      if (!removed.contains(feature.label())) {
        next.add(feature);
      }
    }
    List<Change> changes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<SourceChange> sourceChanges = new ArrayList<>();
    removal(entity, group, new ArrayList<>(removed), sources, changes, sourceChanges, warnings);
    VersionEdit edit = newVersion(current, entity, group, next, changes);
    FeatureGroup built = requireNonNull(edit.group());
    return plan(p, changes, warnings, withGroup(current, entity, built),
        List.of(Target.featureGroup(entity.label(), group.label())), List.of(), sourceChanges, null,
        "version " + built.activeVersion() + " of feature group '" + group.label() + "'");
  }

  private static void removal(Entity entity, FeatureGroup group, List<String> removed, Map<String, String> sources,
      List<Change> changes, List<SourceChange> sourceChanges, List<String> warnings) {
    if (removed.isEmpty()) {
      return;
    }
    String where = "feature group '" + group.label() + "'";
    changes.add(new Change(ChangeClass.COMPATIBLE, where + ": removes features " + removed
        + " in a new version; version " + group.activeVersion() + " stays, so blocks written under it still decode"));
    warnings.add(where + ": readers that request " + removed + " get an unknown-feature error once the new version"
        + " is active");
    for (String label : removed) {
      String key = sourceKey(entity.label(), group.label(), label);
      if (sources.containsKey(key)) {
        sourceChanges.add(new SourceChange(key, null));
      }
    }
  }

  private record FeatureChange(Feature feature, boolean newVersion) {}

  /**
   * Compares a published feature with its requested definition: another vector-length or a shorter
   * string-length is breaking; a longer string-length or another default needs a new version.
   */
  private static FeatureChange compareFeature(String where, int published, DataType type, Feature current, Built wanted,
      String at, List<Change> changes) {
    Feature next = wanted.feature();
    String name = "feature '" + current.label() + "'";
    boolean newVersion = false;
    if (next.vectorLength() != current.vectorLength()) {
      changes.add(new Change(ChangeClass.BREAKING, where + ": changing vector-length " + current.vectorLength() + " -> "
          + next.vectorLength() + " of " + name + " in published version " + published
          + " is breaking; add a feature with a new label instead"));
    }
    if (next.stringLength() != current.stringLength()) {
      boolean shrinks = current.stringLength() == 0 || (next.stringLength() != 0 && next.stringLength() < current.stringLength());
      if (shrinks) {
        changes.add(new Change(ChangeClass.BREAKING, where + ": changing string-length " + current.stringLength() + " -> "
            + next.stringLength() + " of " + name + " in published version " + published
            + " is breaking (stored values may be longer); add a feature with a new label instead"));
      } else {
        changes.add(new Change(ChangeClass.COMPATIBLE, where + ": " + name + " string-length " + current.stringLength()
            + " -> " + next.stringLength() + " (new version)"));
        newVersion = true;
      }
    }
    if (!Arrays.equals(next.defaultValue(), current.defaultValue())) {
      changes.add(new Change(ChangeClass.COMPATIBLE, where + ": " + name + " default "
          + text(type, current) + " -> " + wanted.defaultText() + " (new version)"));
      newVersion = true;
    }
    Feature result = at(at, () -> new Feature(current.label(), current.sequence(), next.defaultValue(),
        next.stringLength(), next.vectorLength()));
    return new FeatureChange(result, newVersion);
  }

  private static void sourceChange(Entity entity, FeatureGroup group, Built wanted, Map<String, String> sources,
      List<Change> changes, List<SourceChange> sourceChanges, String where, boolean blankRemoves) {
    String key = sourceKey(entity.label(), group.label(), wanted.feature().label());
    String now = sources.get(key);
    if (wanted.sourceValue() != null) {
      if (!wanted.sourceValue().equals(now)) {
        changes.add(new Change(ChangeClass.COMPATIBLE, where + ": source of feature '" + wanted.feature().label()
            + "' " + (now == null ? "(none)" : now) + " -> " + wanted.sourceValue()));
        sourceChanges.add(new SourceChange(key, wanted.sourceValue()));
      }
    } else if (blankRemoves && wanted.removesSource() && now != null) {
      changes.add(new Change(ChangeClass.COMPATIBLE, where + ": source of feature '" + wanted.feature().label()
          + "' " + now + " -> (none)"));
      sourceChanges.add(new SourceChange(key, null));
    }
  }

  /**
   * A new version holding {@code features} (re-sequenced), made active; columns grow or shrink by
   * the difference in block size.
   */
  private static VersionEdit newVersion(RegistrySnapshot current, Entity entity, FeatureGroup group,
      List<Feature> features, List<Change> changes) {
    int number = 0;
    for (int v : group.versions().keySet()) {
      number = Math.max(number, v + 1);
    }
    if (number > RegistryChecks.MAX_LENGTH) {
      throw invalid("feature-group", "feature group '" + group.label() + "' has reached the last version number "
          + RegistryChecks.MAX_LENGTH);
    }
    List<Feature> sequenced = new ArrayList<>();
    for (Feature f : features) {
      sequenced.add(new Feature(f.label(), sequenced.size(), f.defaultValue(), f.stringLength(), f.vectorLength()));
    }
    int versionNumber = number;
    FeatureVersion version = at("features", () -> FeatureVersion.of(versionNumber, sequenced));
    StoreConfig store = requireNonNull(current.store(group.storeId()));
    long delta = Segments.blockBytes(group.dataType(), version) - Segments.blockBytes(group.dataType(), group.activeFeatures());
    Columns.Sized sized = delta >= 0
        ? Columns.grow(group.columns(), delta, store.maxColumnSizeInBytes(), Columns.nextNumber(current, entity, store.id()))
        : Columns.shrink(group.columns(), -delta);
    FeatureGroup.Builder builder = group.toBuilder().version(version).activeVersion(versionNumber);
    sized.columns().forEach(builder::column);
    FeatureGroup built = at("features", builder::build);
    changes.add(new Change(ChangeClass.ADDITIVE, "feature group '" + group.label() + "': version " + versionNumber + " "
        + version.labels() + " becomes active (was version " + group.activeVersion() + ")"
        + (sized.added().isEmpty() ? "" : "; new columns " + sized.added())));
    return new VersionEdit(built, sized.added());
  }

  // ---- stores, readers, writers -------------------------------------------------------------

  private Plan registerStore(RegistrySnapshot current, RegisterStore p) {
    StoreConnection connection = connections.get(p.confId());
    Fields.nonNegative(p.confId(), "conf-id");
    if (connection == null) {
      throw invalid("conf-id", "conf-id " + p.confId() + " is not a configured store connection (configured: "
          + (connections.isEmpty() ? "none" : new TreeMap<>(connections).values()) + ")");
    }
    if (p.dbType() == null || p.dbType().isBlank()) {
      throw invalid("db-type", "db-type is missing");
    }
    if (!p.dbType().equals(connection.dbType())) {
      throw invalid("db-type", "db-type '" + p.dbType() + "' does not match conf-id " + p.confId() + ", which is "
          + connection.dbType());
    }
    boolean columnStore = connection.schemaManager() != null;
    String table = label(p.table(), "table");
    if (columnStore) {
      Fields.cqlIdentifier(table, "table");
      if (p.primaryKeys().isEmpty()) {
        throw invalid("primary-keys", "primary-keys is empty: a " + connection.dbType() + " table needs at least one");
      }
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < p.primaryKeys().size(); i++) {
      String key = label(p.primaryKeys().get(i), "primary-keys[" + i + "]");
      if (columnStore) {
        Fields.cqlIdentifier(key, "primary-keys[" + i + "]");
      }
      if (!seen.add(key)) {
        throw invalid("primary-keys[" + i + "]", "primary key '" + key + "' appears twice");
      }
    }
    Fields.nonNegative(p.tableTtlSeconds(), "table-ttl-seconds");
    if (columnStore && p.tableTtlSeconds() > Fields.MAX_CQL_TTL_SECONDS) {
      throw invalid("table-ttl-seconds", "table-ttl-seconds is " + p.tableTtlSeconds() + ", the largest TTL a "
          + connection.dbType() + " table takes is " + Fields.MAX_CQL_TTL_SECONDS);
    }
    long id = 0;
    for (StoreConfig store : current.stores().values()) {
      if (store.table().equals(table) && store.confId() == p.confId()) {
        throw exists("table", "table '" + table + "' on conf-id " + p.confId() + " is already store " + store.id());
      }
      try {
        id = Math.max(id, Long.parseLong(store.id()));
      } catch (NumberFormatException e) {
        // Ids are numbers when the control plane allots them; others do not take part.
      }
    }
    String storeId = Long.toString(id + 1);
    StoreConfig store = at(null, () -> StoreConfig.of(storeId, p.dbType(), p.confId(), table, p.primaryKeys(), p.tableTtlSeconds()));
    RegistrySnapshot after = at(null, () -> current.toBuilder().store(store).build());
    return plan(p, List.of(new Change(ChangeClass.ADDITIVE, "new store " + storeId + ": " + p.dbType() + " conf-id "
            + p.confId() + " table '" + table + "' primary keys " + p.primaryKeys() + " table-ttl " + p.tableTtlSeconds())),
        List.of(), after, List.of(Target.store(storeId)), List.of(new SchemaStep.CreateTable(store, store.primaryKeys())), List.of(), null,
        "store " + storeId);
  }

  private Plan registerCaller(RegistrySnapshot current, Payload p, Target caller, String field) {
    boolean writer = caller.type() == Target.Type.WRITER;
    String what = writer ? "writer (job)" : "reader (client)";
    if (writer ? Registered.writer(current, caller.name()) : Registered.reader(current, caller.name())) {
      throw exists(field, what + " '" + caller.name() + "' already exists");
    }
    return plan(p, List.of(new Change(ChangeClass.ADDITIVE, "new " + what + " '" + caller.name()
            + "' with a token generated on approval")),
        List.of(), current, List.of(caller), List.of(), List.of(), caller, (writer ? "writer '" : "reader '") + caller.name() + "'");
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static Plan plan(Payload payload, List<Change> changes, List<String> warnings, RegistrySnapshot after,
      List<Target> targets, List<SchemaStep> schema, List<SourceChange> sources, @Nullable Target credential, String outcome) {
    ChangeClass highest = ChangeClass.ADDITIVE;
    for (Change change : changes) {
      if (change.changeClass().compareTo(highest) > 0) {
        highest = change.changeClass();
      }
    }
    return new Plan(payload, highest, changes, warnings, after, targets, schema, sources, credential, outcome);
  }

  private static Plan breaking(Payload payload, List<Change> changes) {
    return new Plan(payload, ChangeClass.BREAKING, changes, List.of(), null, List.of(), List.of(), List.of(), null,
        "nothing (breaking)");
  }

  private static boolean isBreaking(List<Change> changes) {
    return changes.stream().anyMatch(c -> c.changeClass() == ChangeClass.BREAKING);
  }

  private static void noChange(List<Change> changes, String where) {
    if (changes.isEmpty()) {
      throw new ControlPlaneException(ControlPlaneException.Reason.NO_CHANGE, null,
          "the request changes nothing in " + where);
    }
  }

  private static void setting(List<Change> changes, String where, String name, Object from, Object to) {
    if (!from.equals(to)) {
      changes.add(new Change(ChangeClass.COMPATIBLE, where + ": " + name + " " + from + " -> " + to));
    }
  }

  private static void diff(List<String> diffs, String name, Object from, Object to) {
    if (!from.equals(to)) {
      diffs.add(name + " " + from + " -> " + to);
    }
  }

  private static void layout(int layoutVersion) {
    if (layoutVersion != FeatureGroup.LAYOUT_VERSION_1) {
      throw invalid("layout-version", "layout-version is " + layoutVersion + ", only 1 exists");
    }
  }

  private static Entity entity(RegistrySnapshot current, @Nullable String label) {
    String name = label(label, "entity");
    Entity entity = current.entity(name);
    if (entity == null) {
      throw notFound("entity", "entity '" + name + "' does not exist (entities: " + current.entities().keySet() + ")");
    }
    return entity;
  }

  private static FeatureGroup group(Entity entity, @Nullable String label) {
    String name = label(label, "feature-group");
    FeatureGroup group = entity.featureGroup(name);
    if (group == null) {
      throw notFound("feature-group", "entity '" + entity.label() + "' has no feature group '" + name
          + "' (feature groups: " + entity.featureGroups().keySet() + ")");
    }
    return group;
  }

  private static StoreConfig store(RegistrySnapshot current, @Nullable String id, String field) {
    String name = label(id, field);
    StoreConfig store = current.store(name);
    if (store == null) {
      throw notFound(field, "store " + name + " does not exist (stores: " + current.stores().keySet() + ")");
    }
    return store;
  }

  private static String writer(RegistrySnapshot current, @Nullable String jobId, String field) {
    String name = label(jobId, field);
    if (!Registered.writer(current, name)) {
      throw notFound(field, "writer (job) '" + name + "' is not registered; register it with a register-job request first");
    }
    return name;
  }

  private static void checkKeysMatchStore(Entity entity, StoreConfig store) {
    List<String> primaryKeys = store.primaryKeys();
    if (!primaryKeys.isEmpty() && (primaryKeys.size() != entity.keyColumns().size()
        || !new HashSet<>(primaryKeys).equals(new HashSet<>(entity.keyColumns())))) {
      throw invalid("store-id", "store " + store.id() + " has primary keys " + primaryKeys
          + ", which differ from entity '" + entity.label() + "' key columns " + entity.keyColumns());
    }
  }

  private static RegistrySnapshot withGroup(RegistrySnapshot current, Entity entity, FeatureGroup group) {
    Entity edited = at("feature-group", () -> entity.toBuilder().featureGroup(group).build());
    return at("feature-group", () -> current.toBuilder().entity(edited).build());
  }

  private static List<SchemaStep> schema(StoreConfig store, Entity entity, List<String> columns) {
    if (columns.isEmpty()) {
      return List.of();
    }
    List<String> keys = store.primaryKeys().isEmpty() ? entity.keyColumns() : store.primaryKeys();
    // The table first: creating it is a no-op when it exists, and makes a retry complete either way.
    return List.of(new SchemaStep.CreateTable(store, keys), new SchemaStep.AddColumns(store, entity.label(), keys, columns));
  }

  static String sourceKey(String entity, String group, String feature) {
    return entity + "|" + group + "|" + feature;
  }

  // ---- features ----------------------------------------------------------------------------

  /** A requested feature checked and encoded; its sequence is its index in the request. */
  private record Built(Feature feature, String defaultText, @Nullable String sourceValue, boolean removesSource) {
    static List<Feature> features(List<Built> built) {
      List<Feature> features = new ArrayList<>();
      built.forEach(b -> features.add(b.feature()));
      return features;
    }
  }

  private static List<Built> features(List<FeatureSpec> specs, DataType type, String field, Set<String> taken) {
    List<Built> built = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      String at = field + "[" + i + "]";
      FeatureSpec spec = specs.get(i);
      if (spec == null) {
        throw invalid(at, at + " is missing");
      }
      Built b = feature(spec, type, i, at);
      String label = b.feature().label();
      if (taken.contains(label)) {
        throw exists(at + ".label", "feature '" + label + "' already exists in the active version; use"
            + " edit-features to change it");
      }
      Integer first = seen.putIfAbsent(label, i);
      if (first != null) {
        throw invalid(at + ".label", "feature '" + label + "' appears twice (also at " + field + "[" + first + "])");
      }
      built.add(b);
    }
    return Collections.unmodifiableList(built);
  }

  private static Built feature(FeatureSpec spec, DataType type, int sequence, String at) {
    String label = label(spec.label(), at + ".label");
    int stringLength = Fields.range(spec.stringLength(), RegistryChecks.MAX_LENGTH, at + ".string-length");
    int vectorLength = Fields.range(spec.vectorLength(), RegistryChecks.MAX_LENGTH, at + ".vector-length");
    String typeName = typeName(type);
    if (type.isVector() && vectorLength == 0) {
      throw invalid(at + ".vector-length", "feature '" + label + "': vector-length is 0, " + typeName + " needs at least 1");
    }
    if (!type.isVector() && vectorLength != 0) {
      throw invalid(at + ".vector-length", "feature '" + label + "': vector-length is " + vectorLength
          + ", the scalar type " + typeName + " takes none (0)");
    }
    if (!type.isString() && stringLength != 0) {
      throw invalid(at + ".string-length", "feature '" + label + "': string-length is " + stringLength
          + ", only String and StringVector features take one");
    }
    String text = spec.defaultValue() == null ? zeroText(type, vectorLength) : spec.defaultValue();
    byte[] value;
    try {
      value = DefaultValues.encode(type, text, stringLength, vectorLength);
    } catch (OnfsException e) {
      throw invalid(at + ".default-value", "feature '" + label + "': default-value " + e.getMessage());
    }
    Feature feature = at(at, () -> new Feature(label, sequence, value, stringLength, vectorLength));
    try {
      DefaultValues.checkEncoded(type, value, stringLength, vectorLength);
    } catch (OnfsException e) {
      throw invalid(at + ".default-value", "feature '" + label + "': default-value " + e.getMessage());
    }
    String source = null;
    boolean removesSource = false;
    SourceSpec s = spec.source();
    if (s != null) {
      if (s.storageProvider() == null || s.storageProvider().isBlank()) {
        removesSource = true;
      } else {
        if (!STORAGE_PROVIDERS.contains(s.storageProvider())) {
          throw invalid(at + ".source.storage-provider", "storage-provider '" + s.storageProvider()
              + "' is not one of " + new TreeSet<>(STORAGE_PROVIDERS));
        }
        String basePath = sourcePart(s.basePath(), at + ".source.base-path");
        String column = sourcePart(s.dataColumn(), at + ".source.data-column");
        if (text.indexOf('|') >= 0) {
          throw invalid(at + ".default-value", "feature '" + label + "': a default-value with a source mapping may not"
              + " contain '|' (the mapping is '|'-joined)");
        }
        source = s.storageProvider() + "|" + basePath + "|" + column + "|" + text;
      }
    }
    return new Built(feature, text, source, removesSource);
  }

  private static String sourcePart(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw invalid(field, field + " is missing");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '|' || Character.isISOControl(c)) {
        throw invalid(field, field + " '" + value + "' contains '|' or a control character (the mapping is '|'-joined)");
      }
    }
    return value;
  }

  /** Zero, false, the empty string, or a vector of those. */
  private static String zeroText(DataType type, int vectorLength) {
    String zero = type.isBool() ? "false" : type.isString() ? "\"\"" : "0";
    if (!type.isVector()) {
      return type.isString() ? "" : zero;
    }
    return "[" + String.join(",", Collections.nCopies(vectorLength, zero)) + "]";
  }

  private static String text(DataType type, Feature feature) {
    try {
      return DefaultValues.decode(type, feature.defaultValue(), feature.vectorLength());
    } catch (OnfsException e) {
      return "(undecodable)";
    }
  }
}
