package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.BlockFraming;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.testing.TestingClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Persist lays each row's blocks out with the framing room a store asks for, so that a CSDB store frames
 * them in place; the blocks are the same bytes either way.
 */
class FramedPersistTest {
  private final TestingClock clock = new TestingClock(Instant.parse("2026-05-01T10:00:00Z"));

  @Test
  void rowsOfAFramingStoreAreFramedInPlaceAndReadBackAsFromAPlainStore() {
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(ServingFixtures.snapshot(false));
    CsdbFramingStore framed = new CsdbFramingStore(InMemoryStore.builder().clock(clock).build());
    InMemoryStore plain = InMemoryStore.builder().clock(clock).build();
    try (OnlineFeatureStore viaFramed = OnlineFeatureStore.builder().registry(registry).store(framed).clock(clock).build();
        OnlineFeatureStore viaPlain = OnlineFeatureStore.builder().registry(registry).store(plain).clock(clock).build()) {
      for (String user : List.of("u1", "u2")) {
        viaFramed.persist(ServingEndToEndTest.persistAll(user));
        viaPlain.persist(ServingEndToEndTest.persistAll(user));
      }

      assertThat(framed.rowsFramedInPlace).isEqualTo(2);
      assertThat(framed.rowsCopied).isZero();
      RetrieveResult fromFramed = viaFramed.retrieve(ServingEndToEndTest.retrieveAll("u1", "u2"));
      RetrieveResult fromPlain = viaPlain.retrieve(ServingEndToEndTest.retrieveAll("u1", "u2"));
      for (int r = 0; r < 2; r++) {
        RetrieveResult.Row row = fromFramed.rows().get(r);
        for (int c = 0; c < row.columns().size(); c++) {
          assertThat(row.column(c)).as("row %s column %s", r, c).isEqualTo(fromPlain.rows().get(r).column(c));
        }
      }
    }
  }

  /**
   * An in-memory store that asks for the framing the Redis adapter's CSDB uses (one prefix byte, four
   * header bytes per block) and checks, per written row, that the blocks arrive laid out with that room.
   */
  private static final class CsdbFramingStore extends CountingStore {
    static final BlockFraming FRAMING = new BlockFraming(1, 4);
    int rowsFramedInPlace;
    int rowsCopied;

    CsdbFramingStore(OnlineStore delegate) {
      super(delegate);
    }

    @Override
    public BlockFraming blockFraming() {
      return FRAMING;
    }

    @Override
    public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
      for (StoreRow row : rows) {
        if (laidOutWithRoom(row.blocks())) {
          rowsFramedInPlace++;
        } else {
          rowsCopied++;
        }
      }
      super.write(table, featureGroups, rows);
    }

    /** One array: the prefix room, then each block after its header room, the last ending the array. */
    private static boolean laidOutWithRoom(List<ByteRange> blocks) {
      byte[] array = blocks.get(0).array();
      int expected = FRAMING.rowHeaderBytes();
      for (ByteRange block : blocks) {
        if (block.array() != array || block.offset() != expected + FRAMING.blockHeaderBytes()) {
          return false;
        }
        expected = block.offset() + block.length();
      }
      return expected == array.length;
    }
  }
}
