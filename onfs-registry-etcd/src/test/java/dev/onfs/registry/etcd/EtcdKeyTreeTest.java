package dev.onfs.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.CallerScopes;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.TokenHash;
import dev.onfs.core.registry.testing.WorkedExample;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EtcdKeyTreeTest {
  private static final String FG = "/config/onfs/entities/user/feature-groups/user_stats";

  @Test
  void readsTheWorkedExampleTree() {
    RegistrySnapshot snapshot = EtcdKeyTree.read("onfs", WorkedExampleTree.load(), 7);
    assertThat(snapshot).isEqualTo(WorkedExample.snapshot());
    assertThat(snapshot.revision()).isEqualTo(7);
  }

  @Test
  void readsFollowUp1() {
    Map<String, String> tree = WorkedExampleTree.load();
    tree.putAll(WorkedExampleTree.followUp1());
    assertThat(EtcdKeyTree.read("onfs", tree, 0)).isEqualTo(WorkedExample.afterAddingAov());
  }

  @Test
  void writesTheWorkedExampleKeysExactly() {
    SortedMap<String, String> written = EtcdKeyTree.keys("onfs", WorkedExample.snapshot());
    SortedMap<String, String> expected = new TreeMap<>(WorkedExampleTree.load());
    expected.remove("/config/onfs");
    expected.keySet().removeIf(k -> k.startsWith("/config/onfs/source/"));
    // The text defaults are informational (servers read feature-meta); ours are canonical floats.
    String emb = "/config/onfs/entities/user/feature-groups/user_embedding/features/1/default-values";
    assertThat(written.remove(emb)).isEqualTo("[0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0]");
    expected.remove(emb);
    assertThat(written).containsExactlyEntriesOf(expected);
  }

  @Test
  void fieldSegmentsAndJsonNamesMatchLikeTheReference() {
    Map<String, String> tree = new LinkedHashMap<>();
    WorkedExampleTree.load().forEach((k, v) -> tree.put(
        k.replace("/feature-groups/", "/FeatureGroups/").replace("/ttl-in-seconds", "/TTL-In-Seconds"),
        v.replace("\"token\"", "\"Token\"").replace("\"db-type\"", "\"DB-Type\"")));
    tree.put("/config/onfs/source/user|user_stats|ctr", "TABLE|ds.user_agg|ctr_7d|0.0");
    tree.put("/config/onfs/circuitbreaker/x", "{\"whatever\":1}");
    tree.put("/config/onfs/p2p-enabled-percentage", "5");
    tree.put("/config/onfs/entities/user/feature-groups/user_stats/columns", "");
    tree.put("/config/onfsother/entities/x/label", "x");
    assertThat(EtcdKeyTree.read("onfs", tree, 0)).isEqualTo(WorkedExample.snapshot());
  }

  @Test
  void badValuesAreRejectedWithTheKeyNamed() {
    assertRejected(FG + "/ttl-in-seconds", "abc", FG + "/ttl-in-seconds: 'abc' is not an integer");
    assertRejected(FG + "/in-memory-cache-enabled", "yes", FG + "/in-memory-cache-enabled: 'yes' is not a bool");
    assertRejected(FG + "/data-type", "DataTypeFP33", FG + "/data-type: unknown data type 'DataTypeFP33'");
    assertRejected(FG + "/active-version", "2", FG + "/active-version: feature group 'user_stats' active-version 2 has no features/2");
    assertRejected(FG + "/layout-version", "2", FG + "/layout-version: feature group 'user_stats' layout-version is 2");
    assertRejected(FG + "/store-id", "9", "feature group 'user_stats' store-id 9 does not exist");
    assertRejected(FG + "/features/1/labels", "ctr,aov", FG + "/features/1/labels: labels [ctr, aov] do not match");
    assertRejected(FG + "/features/1/feature-meta",
        "{\"ctr\":{\"sequence\":0,\"default-value\":\"AAAA\",\"string-length\":0,\"vector-length\":0},"
            + "\"orders_30d\":{\"sequence\":1,\"default-value\":\"AAAAAA==\",\"string-length\":0,\"vector-length\":0}}",
        FG + "/features/1/feature-meta: feature 'ctr' default-value \"\"AAAA\"\" has 3 bytes, DataTypeFP32 needs 4");
    assertRejected(FG + "/features/1/feature-meta", "{not json", FG + "/features/1/feature-meta: is not valid JSON");
    assertRejected("/config/onfs/storage/stores/1", "{\"conf-id\":\"one\"}", "/config/onfs/storage/stores/1: conf-id is \"one\", not an integer");
    assertRejected("/config/onfs/entities/user/keys/0/entity-label", "user id",
        "/config/onfs/entities/user/keys/0: key entity-label 'user id' contains a whitespace");
    assertRejected("/config/onfs/entities/user/feature-groups/user_embedding/id", "0",
        "/config/onfs/entities/user: entity 'user' feature groups 'user_embedding' and 'user_stats' have the same id 0");
    assertRejected("/config/onfs/entities/user/distributed-cache/jitter-percentage", "150",
        "/config/onfs/entities/user/distributed-cache/jitter-percentage: 150 is out of range 0..100");

    Map<String, String> tree = WorkedExampleTree.load();
    tree.remove("/config/onfs/entities/user/label");
    assertThatThrownBy(() -> EtcdKeyTree.read("onfs", tree, 0))
        .hasMessageStartingWith("/config/onfs/entities/user/label is missing");
    Map<String, String> noKeys = WorkedExampleTree.load();
    noKeys.keySet().removeIf(k -> k.contains("/keys/"));
    assertThatThrownBy(() -> EtcdKeyTree.read("onfs", noKeys, 0))
        .hasMessage("/config/onfs/entities/user: entity 'user' has no keys (an entity needs at least one)");
  }

  private static void assertRejected(String key, String value, String message) {
    Map<String, String> tree = WorkedExampleTree.load();
    assertThat(tree).containsKey(key);
    tree.put(key, value);
    assertThatThrownBy(() -> EtcdKeyTree.read("onfs", tree, 0))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((OnfsException) e).code()).isEqualTo(ErrorCode.INVALID_REGISTRY);
  }

  @Test
  void readQuarantiningLeavesOutOnlyTheGroupAtFault() {
    String emb = "/config/onfs/entities/user/feature-groups/user_embedding";
    assertQuarantined(FG + "/ttl-in-seconds", "a day", FG + "/ttl-in-seconds: 'a day' is not an integer", "user_stats");
    assertQuarantined(FG + "/store-id", "9", "feature group 'user_stats' store-id 9 does not exist", "user_stats");
    assertQuarantined(FG + "/features/1/feature-meta",
        "{\"ctr\":{\"sequence\":0,\"default-value\":\"AAAAAA==\"},"
            + "\"avg price\":{\"sequence\":1,\"default-value\":\"AAAAAA==\"}}",
        FG + "/features/1/feature-meta: feature label 'avg price' contains a whitespace", "user_stats");
    assertQuarantined(emb + "/id", "0",
        "/config/onfs/entities/user: entity 'user' feature groups 'user_embedding' and 'user_stats' have the same id 0",
        "user_embedding", "user_stats");

    // An entity-level problem quarantines the entity and all its groups.
    Map<String, String> tree = WorkedExampleTree.load();
    tree.put("/config/onfs/entities/user/keys/0/entity-label", "user id");
    RegistrySnapshot snapshot = EtcdKeyTree.readQuarantining("onfs", tree, 0);
    assertThat(snapshot.entities()).isEmpty();
    assertThat(snapshot.quarantinedEntities()).containsOnlyKeys("user");
    assertThat(snapshot.quarantined()).containsOnlyKeys("user/user_embedding", "user/user_stats");
    assertThat(snapshot.quarantineReason("user", "user_stats")).contains("key entity-label 'user id'");
    assertThat(snapshot.reader("ranker").token()).isEqualTo("rtok");

    // Stores and tokens are not a feature group's problem: the tree still fails whole.
    Map<String, String> badStore = WorkedExampleTree.load();
    badStore.put("/config/onfs/storage/stores/1", "{not json");
    assertThatThrownBy(() -> EtcdKeyTree.readQuarantining("onfs", badStore, 0))
        .hasMessageContaining("/config/onfs/storage/stores/1: is not valid JSON");
  }

  private static void assertQuarantined(String key, String value, String reason, String... groups) {
    Map<String, String> tree = WorkedExampleTree.load();
    assertThat(tree).containsKey(key);
    tree.put(key, value);
    RegistrySnapshot snapshot = EtcdKeyTree.readQuarantining("onfs", tree, 0);
    assertThat(snapshot.quarantined().keySet()).containsExactly(
        java.util.Arrays.stream(groups).map(g -> "user/" + g).toArray(String[]::new));
    for (String group : groups) {
      assertThat(snapshot.featureGroup("user", group)).isNull();
      assertThat(snapshot.quarantineReason("user", group)).contains(reason);
    }
    // The rest is read as usual.
    for (var group : WorkedExample.user().featureGroups().values()) {
      if (!java.util.List.of(groups).contains(group.label())) {
        assertThat(snapshot.featureGroup("user", group.label())).isEqualTo(group);
      }
    }
    assertThat(snapshot.reader("ranker").token()).isEqualTo("rtok");
  }

  @Test
  void aGroupRegisteredWithoutFeaturesReadsAsAnEmptyVersion() {
    Map<String, String> tree = WorkedExampleTree.load();
    tree.keySet().removeIf(k -> k.startsWith(FG + "/features/"));
    RegistrySnapshot snapshot = EtcdKeyTree.read("onfs", tree, 0);
    assertThat(snapshot.featureGroup("user", "user_stats").activeFeatures().size()).isZero();
    assertThat(EtcdKeyTree.read("onfs", EtcdKeyTree.keys("onfs", snapshot), 0)).isEqualTo(snapshot);
    tree.put(FG + "/features/2/labels", "ctr");
    tree.put(FG + "/features/2/feature-meta", "{\"ctr\":{\"sequence\":0,\"default-value\":\"AAAAAA==\"}}");
    assertThatThrownBy(() -> EtcdKeyTree.read("onfs", tree, 0))
        .hasMessageContaining(FG + "/active-version: feature group 'user_stats' active-version 1 has no features/1");
  }

  @Test
  void securityEntriesCarryHashedTokensRotationAndScopes() {
    String hash = TokenHash.create("rtok", TokenHash.MIN_ITERATIONS).encoded();
    Map<String, String> tree = new LinkedHashMap<>(WorkedExampleTree.load());
    tree.put("/config/onfs/security/reader/ranker", "{\"token\":\"" + hash + "\",\"next_token\":\"later\","
        + "\"scopes\":{\"entities\":[\"user\"],\"feature_groups\":[\"user:user_stats\"]}}");
    RegistrySnapshot snapshot = EtcdKeyTree.read("onfs", tree, 0);
    Caller ranker = snapshot.reader("ranker");
    assertThat(ranker.tokens()).containsExactly(hash, "later");
    assertThat(ranker.scopes()).isEqualTo(new CallerScopes(Set.of("user"), Set.of("user:user_stats")));
    // Written back in dash-case; an entry without extras is written exactly as the reference writes it.
    SortedMap<String, String> written = EtcdKeyTree.securityKeys("onfs", snapshot);
    assertThat(written.get("/config/onfs/security/reader/ranker")).isEqualTo("{\"next-token\":\"later\","
        + "\"scopes\":{\"entities\":[\"user\"],\"feature-groups\":[\"user:user_stats\"]},\"token\":\"" + hash + "\"}");
    assertThat(written.get("/config/onfs/security/reader/test")).isEqualTo("{\"token\":\"test\"}");
    assertThat(EtcdKeyTree.read("onfs", EtcdKeyTree.keys("onfs", snapshot), 0)).isEqualTo(snapshot);
  }

  @Test
  void badSecurityEntriesNameTheKeyButNotTheToken() {
    Map<String, String> tree = new LinkedHashMap<>(WorkedExampleTree.load());
    String key = "/config/onfs/security/reader/ranker";
    tree.put(key, "{\"token\":12345678}");
    assertThatThrownBy(() -> EtcdKeyTree.read("onfs", tree, 0))
        .hasMessage(key + ": token is a JSON number, not a string");
    tree.put(key, "{\"token\":\"$pbkdf2-sha256$i=100000$c2FsdA$aGFzaA\"}");
    assertThatThrownBy(() -> EtcdKeyTree.read("onfs", tree, 0))
        .hasMessageStartingWith(key + ": token: token hash salt has 4 bytes").hasMessageNotContaining("c2FsdA");
    tree.put(key, "{\"token\":\"t\",\"scopes\":{\"feature-groups\":[\"user_stats\"]}}");
    assertThatThrownBy(() -> EtcdKeyTree.read("onfs", tree, 0))
        .hasMessageContaining(key).hasMessageContaining("'user_stats' must be <entity>:<feature group>");
  }
}
