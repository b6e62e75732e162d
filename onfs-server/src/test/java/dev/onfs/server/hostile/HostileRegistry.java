package dev.onfs.server.hostile;

import dev.onfs.proto.persist.Data;
import dev.onfs.proto.persist.FeatureGroupSchema;
import dev.onfs.proto.persist.FeatureValues;
import dev.onfs.proto.persist.Values;
import dev.onfs.proto.persist.Vector;
import dev.onfs.proto.retrieve.FeatureGroup;
import dev.onfs.proto.retrieve.Keys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The registry the hostile-input suite serves, its seeded rows, and builders for the two protocols'
 * messages.
 *
 * <p>Entity {@code user} (key {@code user_id}) has one feature group per type whose checks the suite
 * attacks; entity {@code listing} has a two-column key ({@code shop_id}, {@code product_id}) in a
 * store of its own. Nothing expires (TTL 0), so the seeded rows read back the same all run long.
 */
final class HostileRegistry {
  private HostileRegistry() {}

  static final String READER = "test";
  static final String TOKEN = "test";
  static final String OTHER_READER = "ranker";
  static final String OTHER_TOKEN = "rtok";

  static final String YAML = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: hostile_user, primary-keys: [user_id], table-ttl: 0}",
      "  \"2\": {db-type: redis_failover, conf-id: 1, table: hostile_listing, primary-keys: [shop_id, product_id],"
          + " table-ttl: 0}",
      "security:",
      "  readers: {" + READER + ": " + TOKEN + ", " + OTHER_READER + ": " + OTHER_TOKEN + "}",
      // The suite sends the same credentials to retrieve and persist: its caller is a writer too.
      "  writers: {" + READER + ": " + TOKEN + "}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      fp32_stats: {id: 0, data-type: FP32, store-id: 1, features: [{label: ctr}, {label: aov, default: 1}]}",
      "      fp16_stats: {id: 1, data-type: FP16, store-id: 1, features: [{label: f16_a}, {label: f16_b}]}",
      "      fp8_stats: {id: 2, data-type: FP8E4M3, store-id: 1, features: [{label: f8_a}, {label: f8_b}]}",
      "      int8_stats: {id: 3, data-type: Int8, store-id: 1, features: [{label: i8_a}, {label: i8_b}]}",
      "      int16_stats: {id: 4, data-type: Int16, store-id: 1, features: [{label: i16_a}, {label: i16_b}]}",
      "      uint8_stats: {id: 5, data-type: Uint8, store-id: 1, features: [{label: u8_a}, {label: u8_b}]}",
      "      uint16_stats: {id: 6, data-type: Uint16, store-id: 1, features: [{label: u16_a}, {label: u16_b}]}",
      "      profile: {id: 7, data-type: String, store-id: 1, features: [{label: city, string-length: 16},"
          + " {label: segment, string-length: 8, default: none}]}",
      "      embedding: {id: 8, data-type: FP32Vector, store-id: 1, features: [{label: emb, vector-length: 4}]}",
      "      flags: {id: 9, data-type: Bool, store-id: 1, features: [{label: is_premium}, {label: has_app}]}",
      "  listing:",
      "    keys: [shop_id, product_id]",
      "    feature-groups:",
      "      pricing: {id: 0, data-type: FP32, store-id: 2, features: [{label: price}, {label: discount}]}",
      "");

  /** A feature group of the registry and its features, in sequence order. */
  record Group(String label, String... features) {
    List<String> featureList() {
      return Arrays.asList(features);
    }
  }

  static final Group FP32 = new Group("fp32_stats", "ctr", "aov");
  static final Group FP16 = new Group("fp16_stats", "f16_a", "f16_b");
  static final Group FP8 = new Group("fp8_stats", "f8_a", "f8_b");
  static final Group INT8 = new Group("int8_stats", "i8_a", "i8_b");
  static final Group INT16 = new Group("int16_stats", "i16_a", "i16_b");
  static final Group UINT8 = new Group("uint8_stats", "u8_a", "u8_b");
  static final Group UINT16 = new Group("uint16_stats", "u16_a", "u16_b");
  static final Group PROFILE = new Group("profile", "city", "segment");
  static final Group EMBEDDING = new Group("embedding", "emb");
  static final Group FLAGS = new Group("flags", "is_premium", "has_app");
  static final List<Group> USER_GROUPS = List.of(FP32, FP16, FP8, INT8, INT16, UINT8, UINT16, PROFILE, EMBEDDING, FLAGS);
  static final Group PRICING = new Group("pricing", "price", "discount");

  static final List<String> USER_KEYS = List.of("user_id");
  static final List<String> LISTING_KEYS = List.of("shop_id", "product_id");
  static final List<String> SEEDED_USERS = List.of("1", "2", "3", "4");
  static final List<List<String>> SEEDED_LISTINGS = List.of(List.of("s1", "p1"), List.of("s1", "p2"), List.of("s2", "p1"));

  /** Values of every user group for user {@code n}, in {@link #USER_GROUPS} order. */
  static List<Values> userValues(int n) {
    return List.of(
        fp32(n + 0.25, n * 10),
        fp32(n + 0.5, -n),
        fp32(n, -0.5),
        int32(n, -n),
        int32(300 * n, -300),
        uint32(200 + n, n),
        uint32(60_000 + n, n),
        strings("city" + n, "seg" + n),
        vectors(fp32(n, 0.5, -1, 2)),
        bools(n % 2 == 0, true));
  }

  /** The rows the suite seeds before its first case. */
  static List<dev.onfs.proto.persist.Query> seed() {
    List<Data> users = new ArrayList<>();
    for (String id : SEEDED_USERS) {
      users.add(row(List.of(id), userValues(Integer.parseInt(id)).toArray(new Values[0])));
    }
    List<Data> listings = new ArrayList<>();
    for (int i = 0; i < SEEDED_LISTINGS.size(); i++) {
      listings.add(row(SEEDED_LISTINGS.get(i), fp32(9.5 + i, 0.125)));
    }
    return List.of(
        persist("user", USER_KEYS, USER_GROUPS, users),
        persist("listing", LISTING_KEYS, List.of(PRICING), listings));
  }

  /** Reads every feature of every seeded row: what the suite compares after each case. */
  static List<dev.onfs.proto.retrieve.Query> seededReads() {
    List<List<String>> users = new ArrayList<>();
    for (String id : SEEDED_USERS) {
      users.add(List.of(id));
    }
    return List.of(
        retrieve("user", USER_KEYS, users, USER_GROUPS),
        retrieve("listing", LISTING_KEYS, SEEDED_LISTINGS, List.of(PRICING)));
  }

  // persist messages

  static dev.onfs.proto.persist.Query persist(String entity, List<String> keysSchema, List<Group> groups, List<Data> rows) {
    dev.onfs.proto.persist.Query.Builder q = dev.onfs.proto.persist.Query.newBuilder()
        .setEntityLabel(entity)
        .addAllKeysSchema(keysSchema)
        .addAllData(rows);
    for (Group g : groups) {
      q.addFeatureGroupSchema(FeatureGroupSchema.newBuilder().setLabel(g.label()).addAllFeatureLabels(g.featureList()));
    }
    return q.build();
  }

  /** A one-row write of {@code groups} for user {@code id}. */
  static dev.onfs.proto.persist.Query persistUser(String id, List<Group> groups, Values... values) {
    return persist("user", USER_KEYS, groups, List.of(row(List.of(id), values)));
  }

  static Data row(List<String> keys, Values... perGroup) {
    Data.Builder d = Data.newBuilder().addAllKeyValues(keys);
    for (Values v : perGroup) {
      d.addFeatureValues(FeatureValues.newBuilder().setValues(v));
    }
    return d.build();
  }

  static Values fp32(double... values) {
    Values.Builder b = Values.newBuilder();
    for (double v : values) {
      b.addFp32Values(v);
    }
    return b.build();
  }

  static Values int32(int... values) {
    Values.Builder b = Values.newBuilder();
    for (int v : values) {
      b.addInt32Values(v);
    }
    return b.build();
  }

  /** uint32 values as Java ints (two's complement: -1 is 4294967295 on the wire). */
  static Values uint32(int... values) {
    Values.Builder b = Values.newBuilder();
    for (int v : values) {
      b.addUint32Values(v);
    }
    return b.build();
  }

  static Values strings(String... values) {
    return Values.newBuilder().addAllStringValues(Arrays.asList(values)).build();
  }

  static Values bools(boolean... values) {
    Values.Builder b = Values.newBuilder();
    for (boolean v : values) {
      b.addBoolValues(v);
    }
    return b.build();
  }

  static Values vectors(Values... vectors) {
    Values.Builder b = Values.newBuilder();
    for (Values v : vectors) {
      b.addVector(Vector.newBuilder().setValues(v));
    }
    return b.build();
  }

  // retrieve messages

  static dev.onfs.proto.retrieve.Query retrieve(
      String entity, List<String> keysSchema, List<List<String>> keys, List<Group> groups) {
    dev.onfs.proto.retrieve.Query.Builder q = dev.onfs.proto.retrieve.Query.newBuilder()
        .setEntityLabel(entity)
        .addAllKeysSchema(keysSchema);
    for (List<String> key : keys) {
      q.addKeys(Keys.newBuilder().addAllCols(key));
    }
    for (Group g : groups) {
      q.addFeatureGroups(FeatureGroup.newBuilder().setLabel(g.label()).addAllFeatureLabels(g.featureList()));
    }
    return q.build();
  }

  /** Reads feature group {@code group} for the given single-column user keys. */
  static dev.onfs.proto.retrieve.Query retrieveUsers(Group group, String... ids) {
    List<List<String>> keys = new ArrayList<>();
    for (String id : ids) {
      keys.add(List.of(id));
    }
    return retrieve("user", USER_KEYS, keys, List.of(group));
  }
}
