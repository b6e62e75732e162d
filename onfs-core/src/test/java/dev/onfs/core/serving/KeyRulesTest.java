package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.memory.InMemoryStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Key values that stores could not keep apart (the separator), that break key-based tools (control
 * characters), or that are empty or too long are refused on persist and retrieve alike.
 */
class KeyRulesTest {
  private final CountingStore store = new CountingStore(InMemoryStore.create());
  private final OnlineFeatureStore onfs = OnlineFeatureStore.builder()
      .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(false))).store(store)
      .limits(Limits.builder().maxKeyBytes(8).build()).build();

  private static PersistQuery persistPair(String a, String b) {
    return new PersistQuery("pair", List.of("a_id", "b_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_int64", List.of("a"))),
        List.of(new PersistQuery.Data(List.of("ok1", "ok2"), List.of(Values.int64(1))),
            new PersistQuery.Data(List.of(a, b), List.of(Values.int64(2)))));
  }

  private static RetrieveQuery retrievePair(String a, String b) {
    return new RetrieveQuery("pair", List.of(new RetrieveQuery.FeatureGroup("fg_int64", List.of("a"))),
        List.of("b_id", "a_id"), List.of(RetrieveQuery.Keys.of("ok2", "ok1"), RetrieveQuery.Keys.of(b, a)));
  }

  private void assertRefused(String a, String b, String persistMessage, String retrieveMessage) {
    assertThatThrownBy(() -> onfs.persist(persistPair(a, b))).isInstanceOfSatisfying(OnfsException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(e.getMessage()).isEqualTo(persistMessage);
    });
    assertThatThrownBy(() -> onfs.retrieve(retrievePair(a, b))).isInstanceOfSatisfying(OnfsException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(e.getMessage()).isEqualTo(retrieveMessage);
    });
  }

  @Test
  void badKeyValuesAreRefusedNamingTheRowAndColumn() {
    assertRefused("a|b", "c",
        "data[1].keyValues: key column 'a_id' contains the separator '|' (at index 1)",
        "keys[1].cols: key column 'a_id' contains the separator '|' (at index 1)");
    assertRefused("a", "b|c",
        "data[1].keyValues: key column 'b_id' contains the separator '|' (at index 1)",
        "keys[1].cols: key column 'b_id' contains the separator '|' (at index 1)");
    assertRefused("", "c",
        "data[1].keyValues: key column 'a_id' is empty", "keys[1].cols: key column 'a_id' is empty");
    assertRefused("a\0", "c",
        "data[1].keyValues: key column 'a_id' contains the control character U+0000 (at index 1)",
        "keys[1].cols: key column 'a_id' contains the control character U+0000 (at index 1)");
    assertRefused("a", "line\n",
        "data[1].keyValues: key column 'b_id' contains the control character U+000A (at index 4)",
        "keys[1].cols: key column 'b_id' contains the control character U+000A (at index 4)");
    assertRefused("del\u007F", "c",
        "data[1].keyValues: key column 'a_id' contains the control character U+007F (at index 3)",
        "keys[1].cols: key column 'a_id' contains the control character U+007F (at index 3)");
    assertRefused("a\uD800", "c",
        "data[1].keyValues: key column 'a_id' contains an unpaired surrogate U+D800 (at index 1)",
        "keys[1].cols: key column 'a_id' contains an unpaired surrogate U+D800 (at index 1)");
    assertRefused("123456789", "c",
        "data[1].keyValues: key column 'a_id' is longer than 8 bytes (9 characters; option max-key-bytes)",
        "keys[1].cols: key column 'a_id' is longer than 8 bytes (9 characters; option max-key-bytes)");
    assertRefused("ééééé", "c",
        "data[1].keyValues: key column 'a_id' is 10 bytes long > limit 8 (option max-key-bytes)",
        "keys[1].cols: key column 'a_id' is 10 bytes long > limit 8 (option max-key-bytes)");
    assertThat(store.writes.get()).as("a refused persist writes none of its rows").isZero();
    assertThat(store.reads.get()).isZero();
  }

  @Test
  void keysWithinTheRulesAreStoredAndRead() {
    // Up to the byte limit, multi-byte characters, surrogate pairs, spaces and other punctuation are fine.
    onfs.persist(persistPair("é\uD83D\uDE00 x", "x:y/z"));
    assertThat(onfs.retrieveDecoded(retrievePair("é\uD83D\uDE00 x", "x:y/z")).rows().get(1).columns())
        .containsExactly("2");
  }
}
