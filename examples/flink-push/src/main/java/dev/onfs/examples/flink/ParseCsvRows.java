package dev.onfs.examples.flink;

import static java.util.Objects.requireNonNull;

import dev.onfs.ingest.kafka.FeatureRow;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;
import org.jspecify.annotations.Nullable;

/**
 * The Flink step that turns CSV lines into feature rows ({@link CsvRows}); the registry is loaded
 * on the task manager in {@link #open}. A line that does not parse fails the job with a message
 * naming its column: pushing it anyway would store defaults over real values.
 */
final class ParseCsvRows extends RichFlatMapFunction<String, FeatureRow> {
  private static final long serialVersionUID = 1L;
  /** The accumulator counting the rows handed to the sink; the job reports it when it ends. */
  static final String ROWS = "onfs-rows";

  private final String header;
  private final String entity;
  private final CatalogSource catalogSource;
  private transient @Nullable CsvRows rows;
  private final LongCounter count = new LongCounter();

  ParseCsvRows(String header, String entity, CatalogSource catalogSource) {
    this.header = requireNonNull(header, "header is null");
    this.entity = requireNonNull(entity, "entity is null");
    this.catalogSource = requireNonNull(catalogSource, "catalogSource is null");
  }

  @Override
  public void open(OpenContext context) {
    rows = new CsvRows(header, entity, catalogSource.get());
    getRuntimeContext().addAccumulator(ROWS, count);
  }

  @Override
  public void flatMap(String line, Collector<FeatureRow> out) {
    CsvRows parser = rows;
    if (parser == null) {
      throw new IllegalStateException("open() was not called");
    }
    if (!parser.skips(line)) {
      out.collect(parser.parse(line));
      count.add(1);
    }
  }
}
