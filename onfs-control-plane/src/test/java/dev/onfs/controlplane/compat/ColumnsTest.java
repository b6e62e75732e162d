package dev.onfs.controlplane.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnsTest {
  @Test
  void createSplitsIntoFullColumnsAndARest() {
    Columns.Sized sized = Columns.create(2500, 1024, 3);
    assertThat(sized.columns()).containsExactly(new Column("seg_3", 1024), new Column("seg_4", 1024), new Column("seg_5", 452));
    assertThat(sized.added()).containsExactly("seg_3", "seg_4", "seg_5");
  }

  @Test
  void growFillsNonEmptyColumnsFirstThenEmptyOnesThenNewOnes() {
    List<Column> existing = List.of(new Column("seg_0", 1000), new Column("seg_1", 0), new Column("seg_2", 1020));
    Columns.Sized sized = Columns.grow(existing, 1100, 1024, 7);
    // seg_0 +24, seg_2 +4 (non-empty, ascending), seg_1 +1024 (empty), 48 left for a new seg_7.
    assertThat(sized.columns()).containsExactly(new Column("seg_0", 1024), new Column("seg_1", 1024),
        new Column("seg_2", 1024), new Column("seg_7", 48));
    assertThat(sized.added()).containsExactly("seg_7");
  }

  @Test
  void shrinkTakesFromTheHighestColumnDown() {
    List<Column> existing = List.of(new Column("seg_0", 1024), new Column("seg_10", 30), new Column("seg_2", 100));
    Columns.Sized sized = Columns.shrink(existing, 120);
    // Numeric order: seg_10 (30 -> 0) then seg_2 (100 -> 10); columns are never removed.
    assertThat(sized.columns()).containsExactly(new Column("seg_0", 1024), new Column("seg_2", 10), new Column("seg_10", 0));
    assertThat(sized.added()).isEmpty();
  }
}
