package dev.onfs.core.registry.file;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.CallerScopes;
import dev.onfs.core.registry.Column;
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
import dev.onfs.core.registry.quarantine.Quarantines;
import dev.onfs.core.types.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Maps registry documents (trees of maps, lists and scalars, one per file) to a {@link
 * RegistrySnapshot} and back. The format is in {@code docs/registry.md}; in short:
 *
 * <pre>{@code
 * stores:   {<id>: {db-type, conf-id, table, primary-keys, table-ttl}}
 * security: {readers: {<caller>: <token> | {token, next-token, scopes: {entities, feature-groups}}},
 *            writers: {<job>: same}}          # a token is plaintext or a TokenHash string
 * entities:
 *   <entity>:
 *     keys: [<name> | {entity-label, column-label}]
 *     distributed-cache / in-memory-cache / p2p-cache: {enabled, ttl-in-seconds, jitter-percentage, conf-id}
 *     feature-groups:
 *       <group>:
 *         {id, data-type, store-id, ttl-in-seconds, job-id, in-memory-cache-enabled,
 *          distributed-cache-enabled, layout-version, active-version, columns: {seg_N: size}}
 *         features: [{label, default | default-base64, string-length, vector-length}]   # version 1
 *         versions: {<v>: [same]}                                                       # or all versions
 * }</pre>
 *
 * <p>Unknown fields are errors (they are usually typos); every error names the file and the path.
 * {@link #toSnapshot} fails on the first error; {@link #toSnapshotQuarantining} fails only on errors
 * outside entities and quarantines a feature group (or an entity) whose definition is invalid.
 */
public final class RegistryDocument {

  private RegistryDocument() {}

  /**
   * Builds one snapshot from several documents (a directory of files); a store, entity, reader or
   * writer may be defined in one file only.
   *
   * @param documents document roots by file name, in the order to read them
   * @throws OnfsException INVALID_REGISTRY naming the file and path of the first error
   */
  public static RegistrySnapshot toSnapshot(Map<String, ? extends @Nullable Object> documents, long revision) {
    return toSnapshot(documents, revision, false);
  }

  /**
   * Builds one snapshot like {@link #toSnapshot}, except that a feature group whose definition is
   * invalid is left out and {@linkplain RegistrySnapshot#quarantined() quarantined} with its error,
   * and an entity whose own fields are invalid is left out with all its feature groups. Errors
   * outside entities (the document's structure, stores, security) still fail the whole snapshot.
   *
   * @throws OnfsException INVALID_REGISTRY naming the file and path of an error outside entities
   */
  public static RegistrySnapshot toSnapshotQuarantining(Map<String, ? extends @Nullable Object> documents,
      long revision) {
    return toSnapshot(documents, revision, true);
  }

  private static RegistrySnapshot toSnapshot(Map<String, ? extends @Nullable Object> documents, long revision,
      boolean quarantine) {
    requireNonNull(documents, "documents is null");
    Map<String, StoreConfig> stores = new TreeMap<>();
    Map<String, Caller> readers = new TreeMap<>();
    Map<String, Caller> writers = new TreeMap<>();
    Map<String, String> origin = new TreeMap<>();
    Map<String, Object> entityNodes = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends @Nullable Object> document : documents.entrySet()) {
      String file = document.getKey();
      Object root = document.getValue();
      if (root == null) {
        continue;
      }
      Map<String, Object> top = map(root, file + ":", Set.of("stores", "security", "entities"));
      for (Map.Entry<String, Object> e : map(top.get("stores"), file + ": stores", null).entrySet()) {
        claim(origin, "store " + e.getKey(), file);
        stores.put(e.getKey(), store(e.getKey(), e.getValue(), file + ": stores." + e.getKey()));
      }
      Map<String, Object> security = map(top.get("security"), file + ": security", Set.of("readers", "writers"));
      for (Map.Entry<String, Object> e : map(security.get("readers"), file + ": security.readers", null).entrySet()) {
        claim(origin, "reader " + e.getKey(), file);
        readers.put(e.getKey(), caller(e.getKey(), e.getValue(), file + ": security.readers." + e.getKey()));
      }
      for (Map.Entry<String, Object> e : map(security.get("writers"), file + ": security.writers", null).entrySet()) {
        claim(origin, "writer " + e.getKey(), file);
        writers.put(e.getKey(), caller(e.getKey(), e.getValue(), file + ": security.writers." + e.getKey()));
      }
      for (Map.Entry<String, Object> e : map(top.get("entities"), file + ": entities", null).entrySet()) {
        claim(origin, "entity " + e.getKey(), file);
        entityNodes.put(file + ": entities." + e.getKey(), e.getValue());
      }
    }
    RegistrySnapshot.Builder snapshot = RegistrySnapshot.builder().revision(revision);
    stores.values().forEach(snapshot::store);
    readers.values().forEach(snapshot::reader);
    writers.values().forEach(snapshot::writer);
    for (Map.Entry<String, Object> e : entityNodes.entrySet()) {
      String path = e.getKey();
      String label = path.substring(path.lastIndexOf("entities.") + "entities.".length());
      Entity entity = entity(label, e.getValue(), path, stores, quarantine ? snapshot : null);
      if (entity != null) {
        snapshot.entity(entity);
      }
    }
    return at(documents.size() == 1 ? documents.keySet().iterator().next() : "registry",
        quarantine ? snapshot::buildQuarantining : snapshot::build);
  }

  /** Renders a snapshot as a document: the full form, with every version, column and default. */
  public static Map<String, Object> toDocument(RegistrySnapshot snapshot) {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> stores = new LinkedHashMap<>();
    for (StoreConfig store : snapshot.stores().values()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("db-type", store.dbType());
      s.put("conf-id", store.confId());
      s.put("table", store.table());
      s.put("primary-keys", store.primaryKeys());
      s.put("table-ttl", store.tableTtlSeconds());
      s.put("max-column-size-in-bytes", store.maxColumnSizeInBytes());
      s.put("max-row-size-in-bytes", store.maxRowSizeInBytes());
      stores.put(store.id(), s);
    }
    root.put("stores", stores);
    Map<String, Object> security = new LinkedHashMap<>();
    security.put("readers", callers(snapshot.readers()));
    security.put("writers", callers(snapshot.writers()));
    root.put("security", security);
    Map<String, Object> entities = new LinkedHashMap<>();
    for (Entity entity : snapshot.entities().values()) {
      Map<String, Object> e = new LinkedHashMap<>();
      List<Object> keys = new ArrayList<>();
      for (EntityKey key : entity.keys()) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("entity-label", key.entityLabel());
        k.put("column-label", key.columnLabel());
        keys.add(k);
      }
      e.put("keys", keys);
      e.put("distributed-cache", cache(entity.distributedCache()));
      e.put("in-memory-cache", cache(entity.inMemoryCache()));
      if (!entity.p2pCache().equals(CacheConfig.DISABLED)) {
        e.put("p2p-cache", cache(entity.p2pCache()));
      }
      Map<String, Object> groups = new LinkedHashMap<>();
      List<FeatureGroup> byId = new ArrayList<>(entity.featureGroups().values());
      byId.sort(Comparator.comparingInt(FeatureGroup::id));
      for (FeatureGroup group : byId) {
        groups.put(group.label(), group(group));
      }
      e.put("feature-groups", groups);
      entities.put(entity.label(), e);
    }
    root.put("entities", entities);
    return root;
  }

  /** A caller in its short form (just the token) when it has one token and no scopes. */
  private static Map<String, Object> callers(Map<String, Caller> callers) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Caller caller : callers.values()) {
      if (caller.nextToken() == null && caller.scopes().isAll()) {
        out.put(caller.id(), caller.token());
        continue;
      }
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("token", caller.token());
      if (caller.nextToken() != null) {
        c.put("next-token", caller.nextToken());
      }
      if (!caller.scopes().isAll()) {
        Map<String, Object> scopes = new LinkedHashMap<>();
        if (caller.scopes().entities() != null) {
          scopes.put(CallerScopes.ENTITIES, new ArrayList<>(caller.scopes().entities()));
        }
        if (caller.scopes().featureGroups() != null) {
          scopes.put(CallerScopes.FEATURE_GROUPS, new ArrayList<>(caller.scopes().featureGroups()));
        }
        c.put("scopes", scopes);
      }
      out.put(caller.id(), c);
    }
    return out;
  }

  private static Map<String, Object> cache(CacheConfig cache) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("enabled", cache.enabled());
    c.put("ttl-in-seconds", cache.ttlInSeconds());
    c.put("jitter-percentage", cache.jitterPercentage());
    c.put("conf-id", cache.confId());
    return c;
  }

  private static Map<String, Object> group(FeatureGroup group) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("id", group.id());
    g.put("data-type", group.dataType().registryName());
    g.put("store-id", group.storeId());
    g.put("ttl-in-seconds", group.ttlInSeconds());
    g.put("job-id", group.jobId());
    g.put("in-memory-cache-enabled", group.inMemoryCacheEnabled());
    g.put("distributed-cache-enabled", group.distributedCacheEnabled());
    g.put("layout-version", group.layoutVersion());
    g.put("active-version", group.activeVersion());
    Map<String, Object> columns = new LinkedHashMap<>();
    for (Column column : group.columns()) {
      columns.put(column.label(), column.currentSizeInBytes());
    }
    g.put("columns", columns);
    Map<String, Object> versions = new LinkedHashMap<>();
    for (FeatureVersion version : group.versions().values()) {
      List<Object> features = new ArrayList<>();
      for (Feature feature : version.features()) {
        features.add(feature(group.dataType(), feature));
      }
      versions.put(Integer.toString(version.version()), features);
    }
    g.put("versions", versions);
    return g;
  }

  private static Map<String, Object> feature(DataType type, Feature feature) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("label", feature.label());
    byte[] bytes = feature.defaultValue();
    String text = null;
    try {
      text = DefaultValues.decode(type, bytes, feature.vectorLength());
      if (!Arrays.equals(DefaultValues.encode(type, text, 0, feature.vectorLength()), bytes)) {
        text = null;
      }
    } catch (OnfsException e) {
      text = null;
    }
    if (text != null) {
      f.put("default", text);
    } else {
      f.put("default-base64", Base64.getEncoder().encodeToString(bytes));
    }
    if (feature.stringLength() != 0) {
      f.put("string-length", feature.stringLength());
    }
    if (feature.vectorLength() != 0) {
      f.put("vector-length", feature.vectorLength());
    }
    return f;
  }

  // ---- reading -------------------------------------------------------------------------------

  /** A reader or writer: a token alone, or a map with the token, a next token and scopes. */
  private static Caller caller(String id, @Nullable Object node, String path) {
    if (!(node instanceof Map)) {
      String token = string(node, path, true);
      return at(path, () -> Caller.of(id, token));
    }
    Map<String, Object> c = map(node, path, Set.of("token", "next-token", "scopes"));
    String token = string(c.get("token"), path + ".token", true);
    String next = c.containsKey("next-token") ? string(c.get("next-token"), path + ".next-token", true) : null;
    CallerScopes scopes = CallerScopes.ALL;
    if (c.containsKey("scopes")) {
      Map<String, Object> s = map(c.get("scopes"), path + ".scopes", Set.of(CallerScopes.ENTITIES, CallerScopes.FEATURE_GROUPS));
      Set<String> entities = s.containsKey(CallerScopes.ENTITIES)
          ? strings(s.get(CallerScopes.ENTITIES), path + ".scopes." + CallerScopes.ENTITIES) : null;
      Set<String> groups = s.containsKey(CallerScopes.FEATURE_GROUPS)
          ? strings(s.get(CallerScopes.FEATURE_GROUPS), path + ".scopes." + CallerScopes.FEATURE_GROUPS) : null;
      scopes = at(path + ".scopes", () -> new CallerScopes(entities, groups));
    }
    CallerScopes scoped = scopes;
    return at(path, () -> new Caller(id, token, next, scoped));
  }

  private static Set<String> strings(@Nullable Object node, String path) {
    if (node == null) {
      // An empty YAML value is null: refuse it rather than read it as "nothing allowed".
      throw RegistryChecks.invalid(path + " is empty; give a list, or leave the field out for no limit");
    }
    List<Object> items = list(node, path);
    Set<String> out = new java.util.LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      out.add(string(items.get(i), path + "[" + i + "]", true));
    }
    return out;
  }

  private static StoreConfig store(String id, Object node, String path) {
    Map<String, Object> s = map(node, path, Set.of("db-type", "conf-id", "table", "primary-keys", "table-ttl",
        "max-column-size-in-bytes", "max-row-size-in-bytes"));
    List<String> primaryKeys = new ArrayList<>();
    List<Object> keys = list(s.get("primary-keys"), path + ".primary-keys");
    for (int i = 0; i < keys.size(); i++) {
      primaryKeys.add(string(keys.get(i), path + ".primary-keys[" + i + "]", true));
    }
    String dbType = string(s.get("db-type"), path + ".db-type", true);
    int confId = (int) integer(s.get("conf-id"), path + ".conf-id", 0, Integer.MAX_VALUE, 0);
    String table = s.containsKey("table") ? string(s.get("table"), path + ".table", true) : "";
    long ttl = integer(s.get("table-ttl"), path + ".table-ttl", 0, Long.MAX_VALUE, 0);
    int maxColumn = (int) integer(s.get("max-column-size-in-bytes"), path + ".max-column-size-in-bytes",
        1, Integer.MAX_VALUE, StoreConfig.DEFAULT_MAX_COLUMN_SIZE_IN_BYTES);
    int maxRow = (int) integer(s.get("max-row-size-in-bytes"), path + ".max-row-size-in-bytes",
        0, Integer.MAX_VALUE, StoreConfig.DEFAULT_MAX_ROW_SIZE_IN_BYTES);
    return at(path, () -> new StoreConfig(id, dbType, confId, table, primaryKeys, ttl, maxColumn, maxRow));
  }

  /**
   * Reads one entity. With {@code quarantine} null every error is thrown; otherwise an invalid
   * feature group is recorded there and left out, and an entity whose own fields are invalid is
   * recorded with all its feature groups and null is returned.
   */
  private static @Nullable Entity entity(String label, Object node, String path, Map<String, StoreConfig> stores,
      RegistrySnapshot.@Nullable Builder quarantine) {
    EntityFields fields;
    try {
      fields = entityFields(label, node, path);
    } catch (OnfsException e) {
      if (quarantine == null) {
        throw e;
      }
      quarantine.quarantineEntity(label, groupLabels(node), e.getMessage());
      return null;
    }
    Entity.Builder entity = fields.entity();

    List<NeedsColumns> needColumns = new ArrayList<>();
    List<FeatureGroup> withColumns = new ArrayList<>();
    // Segments of quarantined groups stay reserved; a quarantined group without columns leaves the
    // segments it would take unknown, so groups that need allotting wait for it.
    int reservedSegment = 0;
    @Nullable String unallotted = null;
    for (Map.Entry<String, Object> g : fields.groups().entrySet()) {
      String groupPath = path + ".feature-groups." + g.getKey();
      try {
        Map<String, Object> groupFields = map(g.getValue(), groupPath, GROUP_FIELDS);
        FeatureGroup.Builder group = group(g.getKey(), groupFields, groupPath);
        if (groupFields.containsKey("columns")) {
          withColumns.add(at(groupPath, group::build));
        } else {
          needColumns.add(new NeedsColumns(g.getKey(), groupPath, group));
        }
      } catch (OnfsException e) {
        if (quarantine == null) {
          throw e;
        }
        quarantine.quarantineFeatureGroup(label, g.getKey(), e.getMessage());
        Object columns = g.getValue() instanceof Map<?, ?> groupFields ? groupFields.get("columns") : null;
        if (columns instanceof Map<?, ?> given) {
          for (Object column : given.keySet()) {
            reservedSegment = Math.max(reservedSegment, Segments.number(String.valueOf(column)) + 1);
          }
        } else if (unallotted == null) {
          unallotted = g.getKey();
        }
      }
    }
    // Columns left out are allotted like the reference does on creation, in id order, after the
    // highest segment any other group of the entity uses.
    int nextSegment = reservedSegment;
    for (FeatureGroup group : withColumns) {
      for (Column column : group.columns()) {
        nextSegment = Math.max(nextSegment, Segments.number(column.label()) + 1);
      }
    }
    List<FeatureGroup> groups = new ArrayList<>(withColumns);
    List<FeatureGroup> built = new ArrayList<>();
    for (NeedsColumns group : needColumns) {
      try {
        if (unallotted != null) {
          throw RegistryChecks.invalid(group.path() + ".columns is not given, and the segments to allot depend on"
              + " feature group '" + unallotted + "', which is quarantined; fix it or give columns explicitly");
        }
        built.add(at(group.path(), group.builder()::build));
      } catch (OnfsException e) {
        if (quarantine == null) {
          throw e;
        }
        quarantine.quarantineFeatureGroup(label, group.label(), e.getMessage());
      }
    }
    built.sort(Comparator.comparingInt(FeatureGroup::id));
    for (FeatureGroup group : built) {
      StoreConfig store = stores.get(group.storeId());
      int maxColumn = store == null ? StoreConfig.DEFAULT_MAX_COLUMN_SIZE_IN_BYTES : store.maxColumnSizeInBytes();
      long total = Segments.LAYOUT_1_HEADER_BYTES + Segments.blockBytes(group.dataType(), group.activeFeatures());
      FeatureGroup.Builder withSegments = group.toBuilder();
      for (long remaining = total; remaining > 0; remaining -= maxColumn) {
        withSegments.column(Segments.label(nextSegment++), (int) Math.min(remaining, maxColumn));
      }
      groups.add(withSegments.build());
    }
    if (quarantine != null) {
      Map<String, String> clashes = Quarantines.idClashes(label, groups);
      clashes.forEach((group, reason) -> quarantine.quarantineFeatureGroup(label, group, path + ": " + reason));
      groups.removeIf(group -> clashes.containsKey(group.label()));
    }
    groups.forEach(entity::featureGroup);
    try {
      return at(path, entity::build);
    } catch (OnfsException e) {
      if (quarantine == null) {
        throw e;
      }
      quarantine.quarantineEntity(label, groupLabels(node), e.getMessage());
      return null;
    }
  }

  /** A feature group whose columns are allotted once every group of its entity is read. */
  private record NeedsColumns(String label, String path, FeatureGroup.Builder builder) {}

  /** An entity's own fields, checked, and its feature-group nodes by label. */
  private record EntityFields(Entity.Builder entity, Map<String, Object> groups) {}

  /** Reads the entity's own fields: label, keys and caches. */
  private static EntityFields entityFields(String label, Object node, String path) {
    Map<String, Object> e = map(node, path, ENTITY_FIELDS);
    Entity.Builder entity = at(path, () -> Entity.builder(label));
    List<Object> keys = list(e.get("keys"), path + ".keys");
    for (int i = 0; i < keys.size(); i++) {
      String keyPath = path + ".keys[" + i + "]";
      Object key = keys.get(i);
      int sequence = i;
      if (key instanceof Map) {
        Map<String, Object> k = map(key, keyPath, Set.of("entity-label", "column-label"));
        String name = string(k.get("entity-label"), keyPath + ".entity-label", true);
        String column = k.containsKey("column-label") ? string(k.get("column-label"), keyPath + ".column-label", true) : name;
        entity.key(at(keyPath, () -> new EntityKey(sequence, name, column)));
      } else {
        String name = string(key, keyPath, true);
        entity.key(at(keyPath, () -> new EntityKey(sequence, name, name)));
      }
    }
    entity.distributedCache(cache(e.get("distributed-cache"), path + ".distributed-cache"));
    entity.inMemoryCache(cache(e.get("in-memory-cache"), path + ".in-memory-cache"));
    entity.p2pCache(cache(e.get("p2p-cache"), path + ".p2p-cache"));
    Map<String, Object> groups = map(e.get("feature-groups"), path + ".feature-groups", null);
    // Checks the keys now, so that a bad key is the entity's problem rather than each group's.
    at(path, entity::build);
    return new EntityFields(entity, groups);
  }

  /** The feature-group labels an entity node defines, as far as it can be read. */
  private static List<String> groupLabels(@Nullable Object node) {
    List<String> labels = new ArrayList<>();
    if (node instanceof Map<?, ?> entity && entity.get("feature-groups") instanceof Map<?, ?> groups) {
      groups.keySet().forEach(label -> labels.add(String.valueOf(label)));
    }
    return labels;
  }

  private static final Set<String> ENTITY_FIELDS = Set.of("keys", "distributed-cache", "in-memory-cache", "p2p-cache",
      "feature-groups");

  private static final Set<String> GROUP_FIELDS = Set.of("id", "data-type", "store-id", "ttl-in-seconds", "job-id",
      "in-memory-cache-enabled", "distributed-cache-enabled", "layout-version", "active-version", "columns",
      "features", "versions");

  private static FeatureGroup.Builder group(String label, Map<String, Object> g, String path) {
    FeatureGroup.Builder group = at(path, () -> FeatureGroup.builder(label));
    if (!g.containsKey("id")) {
      throw RegistryChecks.invalid(path + ".id is missing (ids are stored in every row, so they are never assigned implicitly)");
    }
    group.id((int) integer(g.get("id"), path + ".id", 0, Integer.MAX_VALUE, 0));
    String typeName = string(g.get("data-type"), path + ".data-type", true);
    DataType type;
    try {
      type = DataType.fromName(typeName);
    } catch (IllegalArgumentException e) {
      throw RegistryChecks.invalid(path + ".data-type: unknown data type '" + typeName
          + "' (use a name such as FP32, Int64, String, Bool, FP16Vector, with or without the DataType prefix)");
    }
    group.dataType(type);
    group.storeId(string(g.get("store-id"), path + ".store-id", true));
    group.ttlInSeconds(integer(g.get("ttl-in-seconds"), path + ".ttl-in-seconds", 0, Long.MAX_VALUE, 0));
    group.jobId(g.containsKey("job-id") ? string(g.get("job-id"), path + ".job-id", true) : "");
    group.inMemoryCacheEnabled(bool(g.get("in-memory-cache-enabled"), path + ".in-memory-cache-enabled"));
    group.distributedCacheEnabled(bool(g.get("distributed-cache-enabled"), path + ".distributed-cache-enabled"));
    int layout = (int) integer(g.get("layout-version"), path + ".layout-version", 0, Integer.MAX_VALUE, 1);
    at(path, () -> group.layoutVersion(layout));
    for (Map.Entry<String, Object> c : map(g.get("columns"), path + ".columns", null).entrySet()) {
      int size = (int) integer(c.getValue(), path + ".columns." + c.getKey(), 0, Integer.MAX_VALUE, 0);
      group.column(at(path + ".columns." + c.getKey(), () -> new Column(c.getKey(), size)));
    }
    if (g.containsKey("features") == g.containsKey("versions")) {
      throw RegistryChecks.invalid(path + ": give either 'features' (version 1) or 'versions'");
    }
    int highest = 1;
    if (g.containsKey("features")) {
      group.version(version(1, g.get("features"), type, path + ".features"));
    } else {
      Map<String, Object> versions = map(g.get("versions"), path + ".versions", null);
      if (versions.isEmpty()) {
        throw RegistryChecks.invalid(path + ".versions is empty");
      }
      highest = 0;
      for (Map.Entry<String, Object> v : versions.entrySet()) {
        int number = (int) integer(v.getKey(), path + ".versions." + v.getKey() + " (version number)", 1,
            RegistryChecks.MAX_LENGTH, 0);
        highest = Math.max(highest, number);
        group.version(version(number, v.getValue(), type, path + ".versions." + v.getKey()));
      }
    }
    group.activeVersion((int) integer(g.get("active-version"), path + ".active-version", 0, RegistryChecks.MAX_LENGTH, highest));
    return group;
  }

  private static FeatureVersion version(int number, Object node, DataType type, String path) {
    List<Object> features = list(node, path);
    List<Feature> result = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      String fp = path + "[" + i + "]";
      Map<String, Object> f = map(features.get(i), fp, Set.of("label", "default", "default-base64", "string-length",
          "vector-length"));
      String label = string(f.get("label"), fp + ".label", true);
      String where = fp + " (" + label + ")";
      int stringLength = (int) integer(f.get("string-length"), where + ".string-length", 0, RegistryChecks.MAX_LENGTH, 0);
      int vectorLength = (int) integer(f.get("vector-length"), where + ".vector-length", 0, RegistryChecks.MAX_LENGTH, 0);
      byte[] bytes;
      if (f.containsKey("default") && f.containsKey("default-base64")) {
        throw RegistryChecks.invalid(where + ": give 'default' or 'default-base64', not both");
      } else if (f.containsKey("default-base64")) {
        String text = string(f.get("default-base64"), where + ".default-base64", false);
        try {
          bytes = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
          throw RegistryChecks.invalid(where + ".default-base64: not base64: " + e.getMessage());
        }
      } else {
        String text = f.containsKey("default") ? defaultText(f.get("default"), where + ".default") : zeroText(type, vectorLength);
        bytes = at(where + ".default", () -> DefaultValues.encode(type, text, stringLength, vectorLength));
      }
      byte[] value = bytes;
      int sequence = i;
      result.add(at(where, () -> new Feature(label, sequence, value, stringLength, vectorLength)));
    }
    return at(path, () -> FeatureVersion.of(number, result));
  }

  /** The default when none is given: zero, false, the empty string, or a vector of those. */
  private static String zeroText(DataType type, int vectorLength) {
    String zero = type.isBool() ? "false" : type.isString() ? "" : "0";
    if (!type.isVector()) {
      return zero;
    }
    return "[" + String.join(",", java.util.Collections.nCopies(vectorLength, zero)) + "]";
  }

  private static String defaultText(@Nullable Object value, String path) {
    if (value instanceof List<?> elements) {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < elements.size(); i++) {
        parts.add(scalarText(elements.get(i), path + "[" + i + "]"));
      }
      return "[" + String.join(",", parts) + "]";
    }
    return scalarText(value, path);
  }

  private static String scalarText(@Nullable Object value, String path) {
    if (value == null) {
      throw RegistryChecks.invalid(path + " is null");
    }
    if (value instanceof Map || value instanceof List) {
      throw RegistryChecks.invalid(path + " must be a scalar");
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toString();
    }
    return value.toString();
  }

  private static CacheConfig cache(@Nullable Object node, String path) {
    if (node == null) {
      return CacheConfig.DISABLED;
    }
    Map<String, Object> c = map(node, path, Set.of("enabled", "ttl-in-seconds", "jitter-percentage", "conf-id"));
    boolean enabled = bool(c.get("enabled"), path + ".enabled");
    int ttl = (int) integer(c.get("ttl-in-seconds"), path + ".ttl-in-seconds", 0, Integer.MAX_VALUE, 0);
    int jitter = (int) integer(c.get("jitter-percentage"), path + ".jitter-percentage", 0, 100, 0);
    int confId = (int) integer(c.get("conf-id"), path + ".conf-id", 0, Integer.MAX_VALUE, 0);
    return at(path, () -> new CacheConfig(enabled, ttl, jitter, confId));
  }

  // ---- tree helpers ----------------------------------------------------------------------------

  private static void claim(Map<String, String> origin, String what, String file) {
    String previous = origin.putIfAbsent(what, file);
    if (previous != null) {
      throw RegistryChecks.invalid(what + " is defined in both " + previous + " and " + file);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(@Nullable Object node, String path, @Nullable Set<String> allowed) {
    if (node == null) {
      return Map.of();
    }
    if (!(node instanceof Map)) {
      throw RegistryChecks.invalid(path + " must be a map");
    }
    Map<String, Object> result = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
      String key = String.valueOf(e.getKey());
      if (allowed != null && !allowed.contains(key)) {
        throw RegistryChecks.invalid(path + (path.endsWith(":") ? " " : ".") + key
            + " is not a known field (known: " + new TreeMap<>(toMap(allowed)).keySet() + ")");
      }
      result.put(key, e.getValue());
    }
    return result;
  }

  private static Map<String, Boolean> toMap(Set<String> keys) {
    Map<String, Boolean> map = new TreeMap<>();
    keys.forEach(k -> map.put(k, true));
    return map;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(@Nullable Object node, String path) {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof List)) {
      throw RegistryChecks.invalid(path + " must be a list");
    }
    return (List<Object>) node;
  }

  private static String string(@Nullable Object node, String path, boolean required) {
    if (node == null) {
      if (required) {
        throw RegistryChecks.invalid(path + " is missing");
      }
      return "";
    }
    if (node instanceof Map || node instanceof List) {
      throw RegistryChecks.invalid(path + " must be a scalar");
    }
    return node.toString();
  }

  private static long integer(@Nullable Object node, String path, long min, long max, long absent) {
    if (node == null) {
      return absent;
    }
    long value;
    if (node instanceof Integer || node instanceof Long || node instanceof Short || node instanceof Byte) {
      value = ((Number) node).longValue();
    } else if (node instanceof BigInteger big && big.bitLength() < 64) {
      value = big.longValue();
    } else if (node instanceof String text) {
      try {
        value = Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        throw RegistryChecks.invalid(path + " is '" + text + "', not an integer");
      }
    } else {
      throw RegistryChecks.invalid(path + " is " + node + ", not an integer");
    }
    if (value < min || value > max) {
      throw RegistryChecks.invalid(path + " is " + value + ", must be between " + min + " and " + max);
    }
    return value;
  }

  private static boolean bool(@Nullable Object node, String path) {
    if (node == null) {
      return false;
    }
    if (node instanceof Boolean b) {
      return b;
    }
    if (node instanceof String text) {
      if (text.equalsIgnoreCase("true")) {
        return true;
      }
      if (text.equalsIgnoreCase("false")) {
        return false;
      }
    }
    throw RegistryChecks.invalid(path + " is '" + node + "', not true or false");
  }

  /** Runs a model step and prefixes its validation message with the document path. */
  private static <T> T at(String path, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (OnfsException e) {
      if (e.getMessage().startsWith(path)) {
        throw e;
      }
      throw new OnfsException(e.code(), path + ": " + e.getMessage(), e);
    }
  }

  private static void at(String path, Runnable step) {
    at(path, () -> {
      step.run();
      return null;
    });
  }
}
