package dev.onfs.server.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.onfs.client.OnfsClient;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.PersistResult;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.persist.Query;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code onfs put}: writes rows given as a {@code persist.Query} in protobuf JSON. */
@Command(name = "put", mixinStandardHelpOptions = true,
    description = {"Write features to a running server. The rows are a persist.Query in protobuf JSON, e.g.",
        "{\"entityLabel\":\"user\",\"keysSchema\":[\"user_id\"],",
        " \"featureGroupSchema\":[{\"label\":\"user_profile\",\"featureLabels\":[\"city\"]}],",
        " \"data\":[{\"keyValues\":[\"7\"],",
        "   \"featureValues\":[{\"values\":{\"stringValues\":[\"Pune\"]}}]}]}",
        "given with --json '...' or in a file with --file rows.json."})
public final class PutCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client;

  static final class Source {
    @Option(names = "--json", description = "the persist.Query as protobuf JSON") @Nullable String json;
    @Option(names = "--file", description = "a file holding the persist.Query as protobuf JSON") @Nullable Path file;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Override
  public Integer call() throws Exception {
    String json = source.json != null ? source.json : Files.readString(source.file, StandardCharsets.UTF_8);
    Query.Builder query = Query.newBuilder();
    try {
      JsonFormat.parser().merge(json, query);
    } catch (InvalidProtocolBufferException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "not a persist.Query in JSON: " + e.getMessage());
    }
    try (OnfsClient onfs = client.connect()) {
      PersistResult result = onfs.persist(ProtoMapping.toCore(query.build()));
      spec.commandLine().getOut().println(result.message() + " (" + result.rowsWritten() + " rows)");
      spec.commandLine().getOut().flush();
      return 0;
    } catch (OnfsException e) {
      spec.commandLine().getErr().println("onfs put: " + client.describe(e));
      return 1;
    }
  }
}
