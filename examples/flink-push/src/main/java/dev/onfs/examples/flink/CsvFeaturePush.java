package dev.onfs.examples.flink;

import static java.util.Objects.requireNonNull;

import dev.onfs.ingest.kafka.FeatureRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink job that reads feature rows from CSV files and pushes them to the ingestion topic, where
 * {@code onfs consume} stores them.
 *
 * <p>The pipeline: a {@link FileSource} reads the lines of a file or of every file in a directory
 * (any file system Flink reads: local, HDFS, S3 with its plugin), {@link ParseCsvRows} types each
 * row by the registry, and a {@link KafkaSink} with {@link FeatureRowSerializationSchema} writes one
 * registry-checked {@code persist.Query} record per row, keyed by entity so each entity's updates
 * stay in order. The sink is at-least-once: the consumer's writes are idempotent per row.
 *
 * <p>Usage: {@code CsvFeaturePush <csv file or directory> <bootstrap servers> <topic> <registry yaml>
 * <entity>}. Every file starts with the same header line (see {@link CsvRows}).
 */
public final class CsvFeaturePush {

  private CsvFeaturePush() {}

  /**
   * What the job reads and where it pushes.
   *
   * @param csvPath a CSV file, or a directory of CSV files
   * @param bootstrapServers Kafka bootstrap servers
   * @param topic the ingestion topic
   * @param registryPath registry YAML file or directory, readable on every task manager
   * @param entity the entity the rows belong to
   */
  public record Job(String csvPath, String bootstrapServers, String topic, String registryPath, String entity) {
    public Job {
      requireNonNull(csvPath, "csvPath is null");
      requireNonNull(bootstrapServers, "bootstrapServers is null");
      requireNonNull(topic, "topic is null");
      requireNonNull(registryPath, "registryPath is null");
      requireNonNull(entity, "entity is null");
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "usage: CsvFeaturePush <csv file or directory> <bootstrap servers> <topic> <registry yaml> <entity>");
      System.exit(2);
    }
    Job job = new Job(args[0], args[1], args[2], args[3], args[4]);
    // On a cluster (flink run) this is the cluster; from a plain JVM it is a local MiniCluster.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    addPipeline(env, job);
    JobExecutionResult result = env.execute("onfs-csv-push " + job.csvPath() + " -> " + job.topic());
    if (result.isJobExecutionResult()) { // not when submitted detached (flink run -d)
      System.out.println("pushed " + result.<Long>getAccumulatorResult(ParseCsvRows.ROWS) + " rows to " + job.topic());
    }
  }

  /** Adds the read, parse and push steps of {@code job} to {@code env}. */
  public static void addPipeline(StreamExecutionEnvironment env, Job job) {
    String header = header(new Path(job.csvPath()));
    CatalogSource registry = CatalogSource.registryFile(job.registryPath());
    // Checked here too, so a header that does not fit the registry fails before the job is submitted.
    new CsvRows(header, job.entity(), registry.get());

    FileSource<String> files =
        FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(job.csvPath())).build();
    KafkaSink<FeatureRow> sink = KafkaSink.<FeatureRow>builder()
        .setBootstrapServers(job.bootstrapServers())
        .setRecordSerializer(new FeatureRowSerializationSchema(job.topic(), registry))
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
    // Rows go from the parser to the sink in one chain; reusing objects there hands each row over
    // as is instead of copying it through a generic (Kryo) serializer.
    env.getConfig().enableObjectReuse();
    env.fromSource(files, WatermarkStrategy.noWatermarks(), "csv lines")
        .flatMap(new ParseCsvRows(header, job.entity(), registry))
        .returns(TypeInformation.of(FeatureRow.class))
        .name("parse feature rows")
        .sinkTo(sink)
        .name("onfs ingestion topic");
  }

  /** The first line of the file, or of the first file (by name) in the directory. */
  static String header(Path path) {
    try {
      FileSystem fs = path.getFileSystem();
      Path file = path;
      FileStatus status = fs.getFileStatus(path);
      if (status.isDir()) {
        FileStatus first = Arrays.stream(fs.listStatus(path))
            .filter(s -> !s.isDir() && !s.getPath().getName().startsWith(".") && !s.getPath().getName().startsWith("_"))
            .min(Comparator.comparing(s -> s.getPath().getName()))
            .orElseThrow(() -> new IllegalArgumentException("no CSV file in " + path));
        file = first.getPath();
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
        String line = in.readLine();
        if (line == null || line.isBlank()) {
          throw new IllegalArgumentException("no header line in " + file);
        }
        return line;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the header of " + path, e);
    }
  }
}
