package dev.onfs.examples.spark;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.ingest.kafka.FeaturePusher;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.registry.file.RegistryFiles;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.util.LongAccumulator;

/**
 * A Spark job that pushes a Parquet dataset of feature rows to the ingestion topic.
 *
 * <p>Columns: the entity's key columns (named as its keys) and one column per feature named
 * {@code <feature group>__<feature>}; array columns feed vector groups. Every Spark partition
 * pushes its rows with one {@link FeaturePusher}, which checks each row against the registry and
 * keys records by entity, so a job's updates of one entity stay in order.
 *
 * <p>Usage (spark-submit): {@code ParquetFeaturePush <parquet path> <bootstrap servers> <topic>
 * <registry yaml> <entity>}.
 */
public final class ParquetFeaturePush {
  /** Separates feature group and feature in a column name. */
  public static final String SEPARATOR = "__";

  private ParquetFeaturePush() {}

  /**
   * What the job needs on every executor.
   *
   * @param bootstrapServers Kafka bootstrap servers
   * @param topic the ingestion topic
   * @param registryPath registry YAML file or directory, readable on every executor
   * @param entity the entity the rows belong to
   * @param maxRowsPerQuery rows batched into one persist.Query
   */
  public record Job(String bootstrapServers, String topic, String registryPath, String entity, int maxRowsPerQuery)
      implements Serializable {
    public Job {
      requireNonNull(bootstrapServers, "bootstrapServers is null");
      requireNonNull(topic, "topic is null");
      requireNonNull(registryPath, "registryPath is null");
      requireNonNull(entity, "entity is null");
      if (maxRowsPerQuery < 1) {
        throw new IllegalArgumentException("maxRowsPerQuery must be >= 1: " + maxRowsPerQuery);
      }
    }
  }

  /** Reads {@code parquetPath} and pushes every row; returns the number of rows pushed. */
  public static long push(SparkSession spark, String parquetPath, Job job) {
    Dataset<Row> rows = spark.read().parquet(parquetPath);
    LongAccumulator pushed = spark.sparkContext().longAccumulator("onfs rows pushed");
    rows.foreachPartition(new PushPartition(job, pushed));
    return pushed.value();
  }

  public static void main(String[] args) {
    if (args.length != 5) {
      System.err.println("usage: ParquetFeaturePush <parquet path> <bootstrap servers> <topic> <registry yaml> <entity>");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("onfs-parquet-push").getOrCreate();
    try {
      long rows = push(spark, args[0], new Job(args[1], args[2], args[3], args[4], 100));
      System.out.println("pushed " + rows + " rows");
    } finally {
      spark.stop();
    }
  }

  /** Runs on executors: one pusher per partition, flushed (acknowledged) before the task ends. */
  static final class PushPartition implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final Job job;
    private final LongAccumulator pushed;

    PushPartition(Job job, LongAccumulator pushed) {
      this.job = job;
      this.pushed = pushed;
    }

    @Override
    public void call(Iterator<Row> rows) {
      RegistryCatalog catalog =
          new RegistryCatalog(new InMemoryFeatureRegistry(RegistryFiles.load(Path.of(job.registryPath()))));
      var entity = catalog.entity(job.entity());
      if (entity == null) {
        throw new IllegalArgumentException("entity '" + job.entity() + "' is not in the registry " + job.registryPath());
      }
      long count = 0;
      try (FeaturePusher pusher = FeaturePusher.builder()
          .bootstrapServers(job.bootstrapServers())
          .topic(job.topic())
          .catalog(catalog)
          .maxRowsPerQuery(job.maxRowsPerQuery())
          .build()) {
        while (rows.hasNext()) {
          pusher.push(toFeatureRow(rows.next(), job.entity(), entity.keys()));
          count++;
        }
      }
      pushed.add(count);
    }
  }

  static FeatureRow toFeatureRow(Row row, String entity, List<String> keyColumns) {
    List<String> keys = new ArrayList<>(keyColumns.size());
    for (String key : keyColumns) {
      Object v = row.get(row.fieldIndex(key));
      if (v == null) {
        throw new IllegalArgumentException("key column '" + key + "' is null");
      }
      keys.add(String.valueOf(v));
    }
    Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    StructField[] fields = row.schema().fields();
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i].name();
      int sep = name.indexOf(SEPARATOR);
      if (sep <= 0) {
        continue;
      }
      if (row.isNullAt(i)) {
        throw new IllegalArgumentException(
            "column '" + name + "' is null for keys " + keys + ": fill defaults before pushing");
      }
      Object value = fields[i].dataType() instanceof ArrayType ? row.getList(i) : row.get(i);
      groups.computeIfAbsent(name.substring(0, sep), g -> new LinkedHashMap<>())
          .put(name.substring(sep + SEPARATOR.length()), value);
    }
    return new FeatureRow(entity, keys, groups);
  }
}
