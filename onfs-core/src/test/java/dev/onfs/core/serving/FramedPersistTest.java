package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.OnlineFeatureStore;
import dev.onfs.core.csdb.Csdb;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.BlockFraming;
import dev.onfs.core.storage.ConditionalRow;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreCapabilities;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.WriteConflict;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.testing.TestingClock;
import java.time.Instant;
import java.util.ArrayList;
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

  /** An in-memory store that asks for CSDB framing and checks, per written row, that the CSDB needed no copy. */
  private static final class CsdbFramingStore implements OnlineStore {
    private final OnlineStore delegate;
    int rowsFramedInPlace;
    int rowsCopied;

    CsdbFramingStore(OnlineStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public BlockFraming blockFraming() {
      return Csdb.FRAMING;
    }

    @Override
    public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
      int[] ids = featureGroups.stream().mapToInt(StoreFeatureGroup::id).toArray();
      for (StoreRow row : rows) {
        List<byte[]> before = new ArrayList<>();
        row.blocks().forEach(b -> before.add(b.toByteArray()));
        byte[] csdb = Csdb.encode(ids, row.blocks());
        if (csdb == row.blocks().get(0).array()) {
          rowsFramedInPlace++;
        } else {
          rowsCopied++;
        }
        // Framing in place touches only the room between blocks.
        for (int i = 0; i < before.size(); i++) {
          assertThat(row.blocks().get(i).toByteArray()).isEqualTo(before.get(i));
        }
      }
      delegate.write(table, featureGroups, rows);
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public StoreCapabilities capabilities() {
      return delegate.capabilities();
    }

    @Override
    public ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
      return delegate.read(table, keys, featureGroups);
    }

    @Override
    public List<WriteConflict> writeIfUnchanged(
        StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
      return delegate.writeIfUnchanged(table, featureGroups, rows);
    }

    @Override
    public void delete(StoreTable table, List<EntityKey> keys) {
      delegate.delete(table, keys);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
