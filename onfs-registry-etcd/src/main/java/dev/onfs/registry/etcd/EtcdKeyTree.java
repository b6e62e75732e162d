package dev.onfs.registry.etcd;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.registry.internal.RegistryChecks;
import dev.onfs.core.registry.quarantine.Quarantines;
import dev.onfs.core.types.DataType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The reference's etcd key tree (see {@code docs/registry.md}) mapped to and from a {@link
 * RegistrySnapshot}.
 *
 * <p>Reading follows the reference's loader: path segments that name fields match
 * case-insensitively with dashes removed ({@code Feature-Groups} = {@code featuregroups}), segments
 * that are map keys (entity, group, store ids, ...) keep their spelling, keys with an empty value
 * are directories and carry nothing, the root key and unknown keys ({@code source/...}, {@code
 * circuitbreaker/...}) are ignored. Scalars are text (Go's formatting: {@code true}, {@code 300});
 * stores, security entries and {@code feature-meta} are JSON whose field names match
 * case-insensitively, as Go's decoder does. Unlike the reference, values are validated, and an
 * error names the key: {@link #read} fails the whole tree on the first one (to check a tree before
 * writing it), {@link #readQuarantining} quarantines the feature group (or entity) at fault and
 * reads the rest (to serve).
 *
 * <p>Writing produces exactly the keys and encodings the reference's control plane writes, except
 * that keys whose value would be empty are left out (an empty value reads as a directory).
 */
public final class EtcdKeyTree {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EtcdKeyTree() {}

  // ---- reading -------------------------------------------------------------------------------

  /** One key and its text value, kept together so that errors can name the key. */
  private record Leaf(String key, String value) {}

  private static final class RawGroup {
    final Map<String, Leaf> fields = new TreeMap<>();
    final Map<String, Map<String, Leaf>> columns = new TreeMap<>();
    final Map<String, Map<String, Leaf>> versions = new TreeMap<>();
  }

  private static final class RawEntity {
    final Map<String, Leaf> fields = new TreeMap<>();
    final Map<String, Map<String, Leaf>> keys = new TreeMap<>();
    final Map<String, Map<String, Leaf>> caches = new TreeMap<>();
    final Map<String, RawGroup> groups = new TreeMap<>();
  }

  /**
   * Builds a snapshot from the tree's keys and values (keys outside {@code /config/<app>/} are
   * ignored).
   *
   * @throws OnfsException INVALID_REGISTRY naming the key at fault
   */
  public static RegistrySnapshot read(String appName, Map<String, String> keyValues, long revision) {
    return read(appName, keyValues, revision, false);
  }

  /**
   * Builds a snapshot like {@link #read}, except that a feature group with an invalid key is left out
   * and {@linkplain RegistrySnapshot#quarantined() quarantined} with the error, and an entity whose
   * own keys are invalid is left out with all its feature groups. Invalid stores and security entries
   * still fail the whole tree.
   *
   * @throws OnfsException INVALID_REGISTRY naming the key at fault outside entities
   */
  public static RegistrySnapshot readQuarantining(String appName, Map<String, String> keyValues, long revision) {
    return read(appName, keyValues, revision, true);
  }

  private static RegistrySnapshot read(String appName, Map<String, String> keyValues, long revision,
      boolean quarantine) {
    requireNonNull(keyValues, "keyValues is null");
    String base = "/config/" + requireNonNull(appName, "appName is null");
    Map<String, Leaf> stores = new TreeMap<>();
    Map<String, Leaf> readers = new TreeMap<>();
    Map<String, Leaf> writers = new TreeMap<>();
    Map<String, RawEntity> entities = new TreeMap<>();
    for (Map.Entry<String, String> kv : keyValues.entrySet()) {
      String key = kv.getKey();
      if (!key.startsWith(base + "/") || kv.getValue().isEmpty()) {
        continue;
      }
      String[] s = key.substring(base.length() + 1).split("/", -1);
      Leaf leaf = new Leaf(key, kv.getValue());
      String top = field(s[0]);
      if (top.equals("security") && s.length == 3) {
        String kind = field(s[1]);
        if (kind.equals("reader")) {
          readers.put(s[2], leaf);
        } else if (kind.equals("writer")) {
          writers.put(s[2], leaf);
        }
      } else if (top.equals("storage") && s.length == 3 && field(s[1]).equals("stores")) {
        stores.put(s[2], leaf);
      } else if (top.equals("entities") && s.length >= 3) {
        RawEntity entity = entities.computeIfAbsent(s[1], e -> new RawEntity());
        String f = field(s[2]);
        if (s.length == 3) {
          entity.fields.put(f, leaf);
        } else if (f.equals("keys") && s.length == 5) {
          entity.keys.computeIfAbsent(s[3], k -> new TreeMap<>()).put(field(s[4]), leaf);
        } else if (f.endsWith("cache") && s.length == 4) {
          entity.caches.computeIfAbsent(f, k -> new TreeMap<>()).put(field(s[3]), leaf);
        } else if (f.equals("featuregroups") && s.length >= 5) {
          RawGroup group = entity.groups.computeIfAbsent(s[3], g -> new RawGroup());
          String g = field(s[4]);
          if (s.length == 5) {
            group.fields.put(g, leaf);
          } else if (g.equals("columns") && s.length == 7) {
            group.columns.computeIfAbsent(s[5], c -> new TreeMap<>()).put(field(s[6]), leaf);
          } else if (g.equals("features") && s.length == 7) {
            group.versions.computeIfAbsent(s[5], v -> new TreeMap<>()).put(field(s[6]), leaf);
          }
        }
      }
    }

    RegistrySnapshot.Builder snapshot = RegistrySnapshot.builder().revision(revision);
    for (Map.Entry<String, Leaf> e : stores.entrySet()) {
      snapshot.store(store(e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, Leaf> e : readers.entrySet()) {
      snapshot.reader(caller(e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, Leaf> e : writers.entrySet()) {
      snapshot.writer(caller(e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, RawEntity> e : entities.entrySet()) {
      Entity entity = entity(base + "/entities/" + e.getKey(), e.getKey(), e.getValue(), quarantine ? snapshot : null);
      if (entity != null) {
        snapshot.entity(entity);
      }
    }
    return at(base, quarantine ? snapshot::buildQuarantining : snapshot::build);
  }

  /** A path segment that names a field: lower case, dashes removed, like the reference. */
  private static String field(String segment) {
    return segment.replace("-", "").toLowerCase(Locale.ROOT);
  }

  private static StoreConfig store(String id, Leaf leaf) {
    JsonNode json = json(leaf);
    List<String> primaryKeys = new ArrayList<>();
    JsonNode keys = member(json, "primary-keys");
    if (keys != null && !keys.isNull()) {
      if (!keys.isArray()) {
        throw invalid(leaf, "primary-keys is not a list");
      }
      for (JsonNode key : keys) {
        if (!key.isTextual()) {
          throw invalid(leaf, "primary-keys holds " + key + ", not a string");
        }
        primaryKeys.add(key.asText());
      }
    }
    String dbType = jsonText(leaf, json, "db-type", "");
    int confId = (int) jsonInt(leaf, json, "conf-id", 0, Integer.MAX_VALUE, 0);
    String table = jsonText(leaf, json, "table", "");
    long ttl = jsonInt(leaf, json, "table-ttl", 0, Long.MAX_VALUE, 0);
    long maxColumn = jsonInt(leaf, json, "max-column-size-in-bytes", 0, Integer.MAX_VALUE, 0);
    int maxRow = (int) jsonInt(leaf, json, "max-row-size-in-bytes", 0, Integer.MAX_VALUE, 0);
    // A store written without sizes gets the reference's fixed segment size.
    int column = maxColumn == 0 ? StoreConfig.DEFAULT_MAX_COLUMN_SIZE_IN_BYTES : (int) maxColumn;
    return at(leaf.key(), () -> new StoreConfig(id, dbType, confId, table, primaryKeys, ttl, column, maxRow));
  }

  /**
   * A security entry: {@code {"token": ...}} as the reference writes it, plus OnFS's optional {@code
   * next-token} and {@code scopes: {entities: [...], feature-groups: ["<entity>:<group>", ...]}}.
   * The extra member names also match with underscores ({@code next_token}, {@code feature_groups}).
   */
  private static Caller caller(String id, Leaf leaf) {
    JsonNode json = json(leaf);
    if (!json.isObject()) {
      throw invalid(leaf, "is not a JSON object like {\"token\": \"...\"}");
    }
    JsonNode tokenNode = member(json, "token");
    String token = tokenNode == null || tokenNode.isNull() ? "" : secret(leaf, tokenNode, "token");
    JsonNode nextNode = looseMember(json, "next-token");
    String next = nextNode == null || nextNode.isNull() ? null : secret(leaf, nextNode, "next-token");
    CallerScopes scopes = CallerScopes.ALL;
    JsonNode scopesNode = looseMember(json, "scopes");
    if (scopesNode != null && !scopesNode.isNull()) {
      if (!scopesNode.isObject()) {
        throw invalid(leaf, "scopes is not a JSON object of entities and feature-groups lists");
      }
      Set<String> entities = scopeList(leaf, scopesNode, CallerScopes.ENTITIES);
      Set<String> groups = scopeList(leaf, scopesNode, CallerScopes.FEATURE_GROUPS);
      scopes = at(leaf.key(), () -> new CallerScopes(entities, groups));
    }
    CallerScopes scoped = scopes;
    return at(leaf.key(), () -> new Caller(id, token, next, scoped));
  }

  /** A token's text; the error for a non-string says what it is, never its value. */
  private static String secret(Leaf leaf, JsonNode node, String name) {
    if (!node.isTextual()) {
      throw invalid(leaf, name + " is a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT) + ", not a string");
    }
    return node.asText();
  }

  private static @Nullable Set<String> scopeList(Leaf leaf, JsonNode scopes, String name) {
    JsonNode list = looseMember(scopes, name);
    if (list == null || list.isNull()) {
      return null;
    }
    if (!list.isArray()) {
      throw invalid(leaf, "scopes." + name + " is not a list");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode item : list) {
      if (!item.isTextual()) {
        throw invalid(leaf, "scopes." + name + " holds " + item + ", not a string");
      }
      out.add(item.asText());
    }
    return out;
  }

  /** A member matched ignoring case, dashes and underscores. */
  private static @Nullable JsonNode looseMember(JsonNode object, String name) {
    String key = fieldName(object, name);
    return key == null ? null : object.get(key);
  }

  private static @Nullable String fieldName(JsonNode object, String name) {
    String wanted = name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String candidate = names.next();
      if (candidate.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Reads one entity. With {@code quarantine} null every error is thrown; otherwise an invalid
   * feature group is recorded there and left out, and an entity whose own keys are invalid is
   * recorded with all its feature groups and null is returned.
   */
  private static @Nullable Entity entity(String path, String label, RawEntity raw,
      RegistrySnapshot.@Nullable Builder quarantine) {
    Entity.Builder entity;
    try {
      entity = entityFields(path, label, raw);
    } catch (OnfsException e) {
      if (quarantine == null) {
        throw e;
      }
      quarantine.quarantineEntity(label, raw.groups.keySet(), e.getMessage());
      return null;
    }
    List<FeatureGroup> groups = new ArrayList<>();
    for (Map.Entry<String, RawGroup> g : raw.groups.entrySet()) {
      try {
        groups.add(group(path + "/feature-groups/" + g.getKey(), g.getKey(), g.getValue()));
      } catch (OnfsException e) {
        if (quarantine == null) {
          throw e;
        }
        quarantine.quarantineFeatureGroup(label, g.getKey(), e.getMessage());
      }
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
      quarantine.quarantineEntity(label, raw.groups.keySet(), e.getMessage());
      return null;
    }
  }

  /** The entity's own keys: label, keys and caches, checked. */
  private static Entity.Builder entityFields(String path, String label, RawEntity raw) {
    Leaf labelLeaf = raw.fields.get("label");
    if (labelLeaf == null) {
      throw RegistryChecks.invalid(path + "/label is missing (an entity needs a label and at least one key)");
    }
    if (!labelLeaf.value().equals(label)) {
      throw invalid(labelLeaf, "label '" + labelLeaf.value() + "' differs from the entity's key segment '" + label + "'");
    }
    Entity.Builder entity = at(path, () -> Entity.builder(label));
    for (Map.Entry<String, Map<String, Leaf>> k : raw.keys.entrySet()) {
      Map<String, Leaf> f = k.getValue();
      String keyPath = path + "/keys/" + k.getKey();
      int sequence = (int) integer(f.get("sequence"), keyPath + "/sequence", 0, Integer.MAX_VALUE, 0);
      String name = text(f.get("entitylabel"), keyPath + "/entity-label", true);
      String column = text(f.get("columnlabel"), keyPath + "/column-label", true);
      entity.key(at(keyPath, () -> new EntityKey(sequence, name, column)));
    }
    entity.distributedCache(cache(raw.caches.get("distributedcache"), path + "/distributed-cache"));
    entity.inMemoryCache(cache(raw.caches.get("inmemorycache"), path + "/in-memory-cache"));
    entity.p2pCache(cache(raw.caches.get("p2pcache"), path + "/p2p-cache"));
    // Checks the keys now, so that a bad key is the entity's problem rather than each group's.
    at(path, entity::build);
    return entity;
  }

  private static CacheConfig cache(@Nullable Map<String, Leaf> f, String path) {
    if (f == null) {
      return CacheConfig.DISABLED;
    }
    boolean enabled = bool(f.get("enabled"), path + "/enabled");
    int ttl = (int) integer(f.get("ttlinseconds"), path + "/ttl-in-seconds", 0, Integer.MAX_VALUE, 0);
    int jitter = (int) integer(f.get("jitterpercentage"), path + "/jitter-percentage", 0, 100, 0);
    int confId = (int) integer(f.get("confid"), path + "/conf-id", 0, Integer.MAX_VALUE, 0);
    return at(path, () -> new CacheConfig(enabled, ttl, jitter, confId));
  }

  private static FeatureGroup group(String path, String label, RawGroup raw) {
    Map<String, Leaf> f = raw.fields;
    FeatureGroup.Builder group = at(path, () -> FeatureGroup.builder(label));
    group.id((int) integer(required(f, "id", path), path + "/id", 0, Integer.MAX_VALUE, 0));
    Leaf typeLeaf = required(f, "datatype", path + "/data-type");
    DataType type;
    try {
      type = DataType.fromName(typeLeaf.value());
    } catch (IllegalArgumentException e) {
      throw invalid(typeLeaf, "unknown data type '" + typeLeaf.value() + "'");
    }
    if (type == DataType.UNKNOWN) {
      throw invalid(typeLeaf, "data type DataTypeUnknown is not allowed");
    }
    group.dataType(type);
    Leaf storeLeaf = required(f, "storeid", path + "/store-id");
    at(storeLeaf.key(), () -> group.storeId(storeLeaf.value()));
    group.ttlInSeconds(integer(f.get("ttlinseconds"), path + "/ttl-in-seconds", 0, Long.MAX_VALUE, 0));
    group.jobId(text(f.get("jobid"), path + "/job-id", false));
    group.inMemoryCacheEnabled(bool(f.get("inmemorycacheenabled"), path + "/in-memory-cache-enabled"));
    group.distributedCacheEnabled(bool(f.get("distributedcacheenabled"), path + "/distributed-cache-enabled"));
    Leaf layout = f.get("layoutversion");
    int layoutVersion = (int) integer(layout, path + "/layout-version", 0, Integer.MAX_VALUE, 0);
    at(layout == null ? path + "/layout-version" : layout.key(), () -> group.layoutVersion(layoutVersion));
    Leaf active = required(f, "activeversion", path + "/active-version");
    group.activeVersion((int) integer(active, active.key(), 0, RegistryChecks.MAX_LENGTH, 0));
    for (Map.Entry<String, Map<String, Leaf>> c : raw.columns.entrySet()) {
      String columnPath = path + "/columns/" + c.getKey();
      Leaf labelLeaf = c.getValue().get("label");
      String columnLabel = labelLeaf == null ? c.getKey() : labelLeaf.value();
      int size = (int) integer(c.getValue().get("currentsizeinbytes"), columnPath + "/current-size-in-bytes",
          0, Integer.MAX_VALUE, 0);
      group.column(at(columnPath, () -> new Column(columnLabel, size)));
    }
    for (Map.Entry<String, Map<String, Leaf>> v : raw.versions.entrySet()) {
      String versionPath = path + "/features/" + v.getKey();
      int number;
      try {
        number = Integer.parseInt(v.getKey());
      } catch (NumberFormatException e) {
        throw RegistryChecks.invalid(versionPath + ": version '" + v.getKey() + "' is not a number");
      }
      if (number < 0 || number > RegistryChecks.MAX_LENGTH) {
        throw RegistryChecks.invalid(versionPath + ": version " + number + " is out of range 0..65535");
      }
      group.version(version(versionPath, number, type, v.getValue()));
    }
    if (raw.versions.isEmpty()) {
      // The reference's control plane creates a group registered without features with
      // active-version 1 and no features/1 keys: read that as an empty version.
      group.version(FeatureVersion.of((int) integer(active, active.key(), 0, RegistryChecks.MAX_LENGTH, 0), List.of()));
    }
    Leaf activeLeaf = active;
    return at(path, () -> {
      try {
        return group.build();
      } catch (OnfsException e) {
        if (e.getMessage().contains("active-version")) {
          throw RegistryChecks.invalid(activeLeaf.key() + ": " + e.getMessage());
        }
        throw e;
      }
    });
  }

  private static FeatureVersion version(String path, int number, DataType type, Map<String, Leaf> f) {
    Leaf metaLeaf = f.get("featuremeta");
    Leaf labelsLeaf = f.get("labels");
    List<Feature> features = new ArrayList<>();
    if (metaLeaf != null) {
      JsonNode meta = json(metaLeaf);
      if (!meta.isObject()) {
        throw invalid(metaLeaf, "is not a JSON object of feature -> {sequence, default-value, string-length, vector-length}");
      }
      Iterator<Map.Entry<String, JsonNode>> it = meta.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String label = e.getKey();
        JsonNode m = e.getValue();
        String what = "feature '" + label + "' ";
        if (!m.isObject()) {
          throw invalid(metaLeaf, what + "is not a JSON object");
        }
        int sequence = (int) jsonInt(metaLeaf, m, "sequence", 0, Integer.MAX_VALUE, 0, what);
        int stringLength = (int) jsonInt(metaLeaf, m, "string-length", 0, RegistryChecks.MAX_LENGTH, 0, what);
        int vectorLength = (int) jsonInt(metaLeaf, m, "vector-length", 0, RegistryChecks.MAX_LENGTH, 0, what);
        JsonNode dv = member(m, "default-value");
        byte[] bytes;
        if (dv == null || dv.isNull()) {
          bytes = new byte[0];
        } else if (dv.isTextual()) {
          try {
            bytes = Base64.getDecoder().decode(dv.asText());
          } catch (IllegalArgumentException ex) {
            throw invalid(metaLeaf, what + "default-value is not base64: " + ex.getMessage());
          }
        } else {
          throw invalid(metaLeaf, what + "default-value is " + dv + ", not a base64 string");
        }
        if (type.isVector() && vectorLength == 0) {
          throw invalid(metaLeaf, what + "vector-length is 0, " + type.registryName() + " needs at least 1");
        }
        try {
          DefaultValues.checkEncoded(type, bytes, stringLength, vectorLength);
        } catch (OnfsException ex) {
          throw invalid(metaLeaf, what + "default-value \"" + dv + "\" " + ex.getMessage());
        }
        features.add(at(metaLeaf.key(), () -> new Feature(label, sequence, bytes, stringLength, vectorLength)));
      }
    }
    FeatureVersion version = at(metaLeaf == null ? path + "/feature-meta" : metaLeaf.key(),
        () -> FeatureVersion.of(number, features));
    if (labelsLeaf != null) {
      List<String> labels = List.of(labelsLeaf.value().split(",", -1));
      if (!labels.equals(version.labels())) {
        throw invalid(labelsLeaf, "labels " + labels + " do not match feature-meta in sequence order " + version.labels());
      }
    } else if (version.size() > 0) {
      throw RegistryChecks.invalid(path + "/labels is missing");
    }
    return version;
  }

  // ---- writing -------------------------------------------------------------------------------

  /** Every key and value of the snapshot, as the reference's control plane writes them. */
  public static SortedMap<String, String> keys(String appName, RegistrySnapshot snapshot) {
    SortedMap<String, String> keys = new TreeMap<>();
    for (StoreConfig store : snapshot.stores().values()) {
      keys.putAll(storeKeys(appName, store));
    }
    keys.putAll(securityKeys(appName, snapshot));
    for (Entity entity : snapshot.entities().values()) {
      keys.putAll(entityKeys(appName, entity));
      for (FeatureGroup group : entity.featureGroups().values()) {
        keys.putAll(featureGroupKeys(appName, entity.label(), group));
      }
    }
    return keys;
  }

  /** {@code storage/stores/<id>} as JSON with sorted keys, as Go marshals a map. */
  public static SortedMap<String, String> storeKeys(String appName, StoreConfig store) {
    Map<String, Object> json = new TreeMap<>();
    json.put("conf-id", store.confId());
    json.put("db-type", store.dbType());
    json.put("max-column-size-in-bytes", store.maxColumnSizeInBytes());
    json.put("max-row-size-in-bytes", store.maxRowSizeInBytes());
    json.put("primary-keys", store.primaryKeys());
    json.put("table", store.table());
    json.put("table-ttl", store.tableTtlSeconds());
    SortedMap<String, String> keys = new TreeMap<>();
    keys.put("/config/" + appName + "/storage/stores/" + store.id(), toJson(json));
    return keys;
  }

  /**
   * {@code security/reader/<id>} and {@code security/writer/<id>} as {@code {"token":...}}, with
   * {@code next-token} and {@code scopes} only when set, so that a reference entry reads back as it was.
   */
  public static SortedMap<String, String> securityKeys(String appName, RegistrySnapshot snapshot) {
    SortedMap<String, String> keys = new TreeMap<>();
    snapshot.readers().values().forEach(caller ->
        keys.put(securityKey(appName, false, caller.id()), securityJson(caller)));
    snapshot.writers().values().forEach(caller ->
        keys.put(securityKey(appName, true, caller.id()), securityJson(caller)));
    return keys;
  }

  /** {@code /config/<app>/security/reader/<id>} or {@code .../writer/<id>}. */
  public static String securityKey(String appName, boolean writer, String callerId) {
    return "/config/" + appName + "/security/" + (writer ? "writer/" : "reader/") + callerId;
  }

  /** One security entry's JSON value. */
  public static String securityJson(Caller caller) {
    Map<String, Object> json = new TreeMap<>();
    json.put("token", caller.token());
    if (caller.nextToken() != null) {
      json.put("next-token", caller.nextToken());
    }
    if (!caller.scopes().isAll()) {
      Map<String, Object> scopes = new TreeMap<>();
      if (caller.scopes().entities() != null) {
        scopes.put(CallerScopes.ENTITIES, List.copyOf(caller.scopes().entities()));
      }
      if (caller.scopes().featureGroups() != null) {
        scopes.put(CallerScopes.FEATURE_GROUPS, List.copyOf(caller.scopes().featureGroups()));
      }
      json.put("scopes", scopes);
    }
    return toJson(json);
  }

  /** The entity's own keys (label, keys, caches), without its feature groups. */
  public static SortedMap<String, String> entityKeys(String appName, Entity entity) {
    String p = "/config/" + appName + "/entities/" + entity.label();
    SortedMap<String, String> keys = new TreeMap<>();
    keys.put(p + "/label", entity.label());
    for (EntityKey key : entity.keys()) {
      String k = p + "/keys/" + key.sequence();
      keys.put(k + "/sequence", Integer.toString(key.sequence()));
      keys.put(k + "/entity-label", key.entityLabel());
      keys.put(k + "/column-label", key.columnLabel());
    }
    putCache(keys, p + "/distributed-cache", entity.distributedCache());
    putCache(keys, p + "/in-memory-cache", entity.inMemoryCache());
    if (!entity.p2pCache().equals(CacheConfig.DISABLED)) {
      putCache(keys, p + "/p2p-cache", entity.p2pCache());
    }
    return keys;
  }

  private static void putCache(Map<String, String> keys, String p, CacheConfig cache) {
    keys.put(p + "/enabled", Boolean.toString(cache.enabled()));
    keys.put(p + "/ttl-in-seconds", Integer.toString(cache.ttlInSeconds()));
    keys.put(p + "/jitter-percentage", Integer.toString(cache.jitterPercentage()));
    keys.put(p + "/conf-id", Integer.toString(cache.confId()));
  }

  /** Every key of one feature group: its fields, columns and all versions. */
  public static SortedMap<String, String> featureGroupKeys(String appName, String entityLabel, FeatureGroup group) {
    String p = featureGroupPath(appName, entityLabel, group.label());
    SortedMap<String, String> keys = new TreeMap<>();
    keys.put(p + "/id", Integer.toString(group.id()));
    keys.put(p + "/store-id", group.storeId());
    keys.put(p + "/data-type", group.dataType().registryName());
    keys.put(p + "/ttl-in-seconds", Long.toString(group.ttlInSeconds()));
    if (!group.jobId().isEmpty()) {
      keys.put(p + "/job-id", group.jobId());
    }
    keys.put(p + "/in-memory-cache-enabled", Boolean.toString(group.inMemoryCacheEnabled()));
    keys.put(p + "/distributed-cache-enabled", Boolean.toString(group.distributedCacheEnabled()));
    keys.put(p + "/active-version", Integer.toString(group.activeVersion()));
    keys.put(p + "/layout-version", Integer.toString(group.layoutVersion()));
    for (Column column : group.columns()) {
      keys.put(p + "/columns/" + column.label() + "/label", column.label());
      keys.put(p + "/columns/" + column.label() + "/current-size-in-bytes", Integer.toString(column.currentSizeInBytes()));
    }
    for (FeatureVersion version : group.versions().values()) {
      String v = p + "/features/" + version.version();
      if (version.size() == 0) {
        continue;
      }
      keys.put(v + "/labels", String.join(",", version.labels()));
      List<String> texts = new ArrayList<>();
      Map<String, Object> meta = new TreeMap<>();
      for (Feature feature : version.features()) {
        texts.add(defaultText(group.dataType(), feature));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", feature.sequence());
        m.put("default-value", Base64.getEncoder().encodeToString(feature.defaultValue()));
        m.put("string-length", feature.stringLength());
        m.put("vector-length", feature.vectorLength());
        meta.put(feature.label(), m);
      }
      String defaults = String.join(",", texts);
      if (!defaults.isEmpty()) {
        keys.put(v + "/default-values", defaults);
      }
      keys.put(v + "/feature-meta", toJson(meta));
    }
    return keys;
  }

  /** {@code /config/<app>/entities/<e>/feature-groups/<fg>}. */
  public static String featureGroupPath(String appName, String entityLabel, String groupLabel) {
    return "/config/" + appName + "/entities/" + entityLabel + "/feature-groups/" + groupLabel;
  }

  /** The text form kept in {@code default-values} (informational: servers read feature-meta). */
  private static String defaultText(DataType type, Feature feature) {
    try {
      return DefaultValues.decode(type, feature.defaultValue(), feature.vectorLength());
    } catch (OnfsException e) {
      return "";
    }
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  // ---- leaf parsing ----------------------------------------------------------------------------

  private static OnfsException invalid(Leaf leaf, String message) {
    return RegistryChecks.invalid(leaf.key() + ": " + message);
  }

  private static Leaf required(Map<String, Leaf> fields, String field, String path) {
    Leaf leaf = fields.get(field);
    if (leaf == null) {
      throw RegistryChecks.invalid(path + (path.endsWith(field) ? "" : "") + " is missing");
    }
    return leaf;
  }

  private static String text(@Nullable Leaf leaf, String path, boolean required) {
    if (leaf == null) {
      if (required) {
        throw RegistryChecks.invalid(path + " is missing");
      }
      return "";
    }
    return leaf.value();
  }

  private static long integer(@Nullable Leaf leaf, String path, long min, long max, long absent) {
    if (leaf == null) {
      return absent;
    }
    long value;
    try {
      value = Long.parseLong(leaf.value());
    } catch (NumberFormatException e) {
      throw invalid(leaf, "'" + leaf.value() + "' is not an integer");
    }
    if (value < min || value > max) {
      throw invalid(leaf, value + " is out of range " + min + ".." + max);
    }
    return value;
  }

  /** Go's strconv.ParseBool. */
  private static boolean bool(@Nullable Leaf leaf, String path) {
    if (leaf == null) {
      return false;
    }
    switch (leaf.value()) {
      case "1": case "t": case "T": case "TRUE": case "true": case "True":
        return true;
      case "0": case "f": case "F": case "FALSE": case "false": case "False":
        return false;
      default:
        throw invalid(leaf, "'" + leaf.value() + "' is not a bool");
    }
  }

  private static JsonNode json(Leaf leaf) {
    try {
      return JSON.readTree(leaf.value());
    } catch (JsonProcessingException e) {
      throw invalid(leaf, "is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** A JSON member matched case-insensitively, as Go's decoder matches struct fields. */
  private static @Nullable JsonNode member(JsonNode object, String name) {
    JsonNode exact = object.get(name);
    if (exact != null) {
      return exact;
    }
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static String jsonText(Leaf leaf, JsonNode json, String name, String absent) {
    if (!json.isObject()) {
      throw invalid(leaf, "is not a JSON object");
    }
    JsonNode node = member(json, name);
    if (node == null || node.isNull()) {
      return absent;
    }
    if (!node.isTextual()) {
      throw invalid(leaf, name + " is " + node + ", not a string");
    }
    return node.asText();
  }

  private static long jsonInt(Leaf leaf, JsonNode json, String name, long min, long max, long absent) {
    return jsonInt(leaf, json, name, min, max, absent, "");
  }

  private static long jsonInt(Leaf leaf, JsonNode json, String name, long min, long max, long absent, String what) {
    if (!json.isObject()) {
      throw invalid(leaf, "is not a JSON object");
    }
    JsonNode node = member(json, name);
    if (node == null || node.isNull()) {
      return absent;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw invalid(leaf, what + name + " is " + node + ", not an integer");
    }
    long value = node.asLong();
    if (value < min || value > max) {
      throw invalid(leaf, what + name + " is " + value + ", out of range " + min + ".." + max);
    }
    return value;
  }

  /** Runs a model step; prefixes its message with the key unless it already names one. */
  private static <T> T at(String key, Supplier<T> step) {
    try {
      return step.get();
    } catch (OnfsException e) {
      if (e.getMessage().startsWith("/config/")) {
        throw e;
      }
      throw new OnfsException(e.code(), key + ": " + e.getMessage(), e);
    }
  }

  private static void at(String key, Runnable step) {
    at(key, () -> {
      step.run();
      return Boolean.TRUE;
    });
  }
}
