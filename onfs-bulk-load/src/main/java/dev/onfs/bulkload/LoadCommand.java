package dev.onfs.bulkload;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFactory;
import dev.onfs.ingest.kafka.ConsumerSettings;
import dev.onfs.ingest.kafka.FeaturePusher;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.ingest.kafka.SchemaCatalog;
import dev.onfs.registry.file.RegistryFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code onfs-load}: the bulk loader's command line. */
@Command(name = "onfs-load", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Loads feature rows from Parquet and CSV files into the store (--store) or the ingestion topic"
            + " (--bootstrap-servers), checking every value against the registry.",
        "Columns: the entity's keys, named as its keys, and <feature group>__<feature> per feature.",
        ""},
    versionProvider = LoadCommand.Version.class,
    footer = {"",
        "Examples:",
        "  onfs-load -e user --registry-file registry.yaml \\",
        "      --store redis --store-setting nodes=127.0.0.1:6379 data/",
        "  onfs-load -e user --registry-file registry.yaml \\",
        "      --bootstrap-servers 127.0.0.1:9092 'exports/part-*.parquet'"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every row loaded (or set aside with --rejects)", "1:the load stopped (a bad row without"
        + " --rejects, a file that cannot be read, the store or broker unreachable)", "2:invalid options"})
public final class LoadCommand implements Callable<Integer> {

  @Parameters(paramLabel = "INPUT", arity = "1..*",
      description = "Parquet or CSV files, directories (their .parquet and .csv files) or globs such as 'data/*.csv'")
  List<String> inputs = new ArrayList<>();

  @Option(names = {"-e", "--entity"}, required = true, description = "entity the rows belong to, e.g. user")
  String entity = "";

  @Option(names = "--registry-file", required = true, description = "registry YAML file or directory")
  Path registryFile = Path.of("");

  @Option(names = "--store", description = "write into this store through the core persist path: redis, scylla")
  @Nullable String store;

  @Option(names = "--store-setting", paramLabel = "NAME=VALUE",
      description = "storage adapter setting (repeatable), as for onfs serve, e.g. nodes=127.0.0.1:6379")
  Map<String, String> storeSettings = new LinkedHashMap<>();

  @Option(names = "--bootstrap-servers", description = "send to the ingestion topic of these Kafka brokers instead")
  @Nullable String bootstrapServers;

  @Option(names = "--topic", description = "ingestion topic (default: ${DEFAULT-VALUE})")
  String topic = ConsumerSettings.DEFAULT_TOPIC;

  @Option(names = "--kafka-property", paramLabel = "NAME=VALUE", description = "Kafka producer property (repeatable)")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  @Option(names = "--format", description = "parquet or csv (default: by file extension)")
  InputFiles.@Nullable Format format;

  @Option(names = "--csv-delimiter", description = "CSV cell separator (default: ${DEFAULT-VALUE})")
  char csvDelimiter = ',';

  @Option(names = "--batch-rows", description = "rows per store write, or per Kafka record (default: ${DEFAULT-VALUE})")
  int batchRows = 500;

  @Option(names = "--rejects", paramLabel = "FILE",
      description = "write bad rows to FILE (JSON lines: file, row, column, error, cells) and go on;"
          + " without it the load stops at the first bad row")
  @Nullable Path rejectsFile;

  @Option(names = "--progress-interval-ms", description = "how often the progress line is updated (default: ${DEFAULT-VALUE})")
  long progressIntervalMs = 1000;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // The persist path's default limit of rows per request.
  private static final int MAX_BATCH_ROWS = 10_000;

  // Held so the level sticks (java.util.logging keeps loggers weakly): the libraries' INFO lines
  // would bury the progress line.
  private static final java.util.logging.Logger LIBRARY_LOGS = java.util.logging.Logger.getLogger("org.apache");

  public static void main(String[] args) {
    LIBRARY_LOGS.setLevel(java.util.logging.Level.WARNING);
    System.exit(commandLine().execute(args));
  }

  /** The command line, with errors printed as one line (no stack trace) and exit code 1. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new LoadCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler((e, args) -> {
      e.getCommandLine().getErr().println("onfs-load: " + e.getMessage() + " (see onfs-load --help)");
      return 2;
    });
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("onfs-load: " + message(e));
      return 1;
    });
    return cli;
  }

  private static String message(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + e.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if ((store == null) == (bootstrapServers == null)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "give exactly one of --store (write into the store) and --bootstrap-servers (send to the topic)");
    }
    if (batchRows < 1 || batchRows > MAX_BATCH_ROWS) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--batch-rows must be between 1 and " + MAX_BATCH_ROWS + " (the store's rows per request): " + batchRows);
    }
    List<InputFiles.InputFile> files = InputFiles.expand(inputs, format);
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.load(registryFile));
    SchemaCatalog catalog = new RegistryCatalog(registry);
    SchemaCatalog.EntitySchema schema = catalog.entity(entity);
    if (schema == null) {
      throw new IllegalArgumentException("entity '" + entity + "' is not in the registry " + registryFile);
    }
    long totalRows = 0;
    long totalBytes = 0;
    for (InputFiles.InputFile f : files) {
      totalBytes += f.size();
      if (totalRows >= 0) {
        totalRows = f.format() == InputFiles.Format.PARQUET ? totalRows + ParquetSource.rowCount(f.path()) : -1;
      }
    }
    Progress progress = new Progress(err, System.console() != null, progressIntervalMs, totalRows, totalBytes);
    BulkLoader.Summary summary;
    try (Rejects rejects = rejectsFile == null ? Rejects.failFast() : Rejects.toFile(rejectsFile, err)) {
      if (store != null) {
        try (OnlineStore onlineStore = openStore(store, storeSettings);
            OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(onlineStore).build();
            RowSink sink = new StoreRowSink(features, catalog, batchRows, rejects)) {
          summary = new BulkLoader(schema, sink, rejects, err, progress).load(files, csvDelimiter);
        }
      } else {
        FeaturePusher.Builder pusher = FeaturePusher.builder()
            .bootstrapServers(bootstrapServers)
            .topic(topic)
            .catalog(catalog)
            .maxRowsPerQuery(batchRows);
        kafkaProperties.forEach(pusher::producerProperty);
        try (RowSink sink = new TopicRowSink(pusher.build())) {
          summary = new BulkLoader(schema, sink, rejects, err, progress).load(files, csvDelimiter);
        }
      }
      spec.commandLine().getOut().printf(Locale.ROOT, "loaded %,d of %,d rows from %d file%s %s in %.1f s (%,.0f rows/s)%s%n",
          summary.rowsWritten(), summary.rowsRead(), summary.files(), summary.files() == 1 ? "" : "s",
          store != null ? "into store " + store : "to topic " + topic, summary.seconds(), summary.rowsPerSecond(),
          summary.rowsRejected() == 0 ? "" : String.format(Locale.ROOT, "; %,d rejected, written to %s",
              summary.rowsRejected(), rejects.path()));
      spec.commandLine().getOut().flush();
    } finally {
      registry.close();
    }
    return 0;
  }

  /** The jar's Implementation-Version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LoadCommand.class.getPackage().getImplementationVersion();
      return new String[] {"onfs-load " + (v == null ? "(development build)" : v)};
    }
  }

  static OnlineStore openStore(String name, Map<String, String> settings) {
    return StoreFactory.named(name, "--store").create(settings);
  }

}
