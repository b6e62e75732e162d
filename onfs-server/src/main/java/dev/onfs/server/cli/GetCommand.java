package dev.onfs.server.cli;

import com.google.protobuf.Descriptors;
import com.google.protobuf.util.JsonFormat;
import dev.onfs.client.OnfsClient;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.FeatureSchema;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.proto.ProtoMapping;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code onfs get}: reads features of some entity keys from a running server (decoded). */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = {"Read features from a running server and print them as a table or JSON.",
        "Example: onfs get -e user -f user_profile:city,segment -k 1,2"})
public final class GetCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client;

  @Option(names = {"-e", "--entity"}, required = true, description = "entity label, e.g. user")
  String entity;

  @Option(names = {"-f", "--features"}, required = true, paramLabel = "GROUP:F1,F2",
      description = "a feature group and the features wanted from it; repeatable")
  List<String> featureGroups;

  @Option(names = {"-k", "--keys"}, required = true, split = ",", paramLabel = "KEY",
      description = "entity keys, comma-separated; the values of a composite key are joined with |")
  List<String> keys;

  @Option(names = "--keys-schema", split = ",",
      description = "key column names, comma-separated (default: <entity>_id)")
  @Nullable List<String> keysSchema;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
  String output;

  @Option(names = "--mark-defaults", description = {"with -o json: add each row's default_columns, the columns that"
      + " hold the registry default because nothing live is stored (the table always shows them as -)"})
  boolean markDefaults;

  /** What a defaulted cell shows in the table, and the line that explains it. */
  static final String DEFAULT_CELL = "-";
  static final String DEFAULT_LEGEND = "-: no stored value (key missing, expired, or written before the feature"
      + " existed); readers get the registry default, which -o json shows";

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RetrieveQuery query = query();
    try (OnfsClient onfs = client.connect()) {
      DecodedResult result = onfs.retrieveDecoded(query);
      if (output.equals("json")) {
        out.println(JsonFormat.printer().preservingProtoFieldNames().includingDefaultValueFields(jsonFields(markDefaults))
            .print(json(result, markDefaults)));
      } else {
        printTable(out, result);
      }
    } catch (OnfsException e) {
      spec.commandLine().getErr().println("onfs get: " + client.describe(e));
      return 1;
    }
    out.flush();
    return 0;
  }

  RetrieveQuery query() {
    if (!output.equals("table") && !output.equals("json")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--output must be table or json, got '" + output + "'");
    }
    List<RetrieveQuery.FeatureGroup> groups = new ArrayList<>();
    for (String spec : featureGroups) {
      int colon = spec.indexOf(':');
      if (colon <= 0 || colon == spec.length() - 1) {
        throw new CommandLine.ParameterException(this.spec.commandLine(),
            "--features must look like GROUP:F1,F2, got '" + spec + "'");
      }
      groups.add(new RetrieveQuery.FeatureGroup(spec.substring(0, colon),
          Arrays.asList(spec.substring(colon + 1).split(","))));
    }
    List<String> schema = keysSchema == null ? List.of(entity + "_id") : keysSchema;
    List<RetrieveQuery.Keys> rows = new ArrayList<>();
    for (String key : keys) {
      List<String> cols = Arrays.asList(key.split("\\|", -1));
      if (cols.size() != schema.size()) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "key '" + key + "' has " + cols.size() + " values but the keys schema " + schema + " has " + schema.size());
      }
      rows.add(new RetrieveQuery.Keys(cols));
    }
    return new RetrieveQuery(entity, groups, schema, rows);
  }

  /**
   * The reference's {@code DecodedResult} JSON: OnFS's added fields left out (data types always; default
   * columns unless asked for), so that scripts written for the reference read it unchanged.
   */
  static dev.onfs.proto.retrieve.DecodedResult json(DecodedResult result, boolean markDefaults) {
    dev.onfs.proto.retrieve.DecodedResult.Builder proto = ProtoMapping.toProto(result).toBuilder();
    for (dev.onfs.proto.retrieve.FeatureSchema.Builder schema : proto.getFeatureSchemasBuilderList()) {
      for (dev.onfs.proto.retrieve.Feature.Builder feature : schema.getFeaturesBuilderList()) {
        feature.clearDataType();
      }
    }
    if (!markDefaults) {
      for (dev.onfs.proto.retrieve.DecodedRow.Builder row : proto.getRowsBuilderList()) {
        row.clearDefaultColumns();
      }
    }
    return proto.build();
  }

  /**
   * The fields JSON prints even when empty: the reference's (as {@code alwaysPrintFieldsWithNoPresence}
   * would), plus {@code default_columns} when asked for; never OnFS's others.
   */
  static Set<Descriptors.FieldDescriptor> jsonFields(boolean markDefaults) {
    Set<Descriptors.FieldDescriptor> fields = new HashSet<>();
    for (Descriptors.Descriptor message : List.of(dev.onfs.proto.retrieve.DecodedResult.getDescriptor(),
        dev.onfs.proto.retrieve.FeatureSchema.getDescriptor(), dev.onfs.proto.retrieve.Feature.getDescriptor(),
        dev.onfs.proto.retrieve.DecodedRow.getDescriptor())) {
      for (Descriptors.FieldDescriptor field : message.getFields()) {
        if (field.getNumber() < ONFS_FIELDS_FROM) {
          fields.add(field);
        }
      }
    }
    if (markDefaults) {
      fields.add(dev.onfs.proto.retrieve.DecodedRow.getDescriptor().findFieldByName("default_columns"));
    }
    return fields;
  }

  /** OnFS's own fields in retrieve.proto are numbered from here; the reference's are below. */
  private static final int ONFS_FIELDS_FROM = 1001;

  static void printTable(PrintWriter out, DecodedResult result) {
    List<String> header = new ArrayList<>(result.keysSchema());
    int columns = 0;
    for (FeatureSchema schema : result.featureSchemas()) {
      columns += schema.features().size();
    }
    String[] featureNames = new String[columns];
    for (FeatureSchema schema : result.featureSchemas()) {
      for (FeatureSchema.Feature feature : schema.features()) {
        featureNames[feature.columnIdx()] = schema.featureGroupLabel() + "." + feature.label();
      }
    }
    header.addAll(Arrays.asList(featureNames));
    List<List<String>> lines = new ArrayList<>();
    lines.add(header);
    boolean anyDefault = false;
    for (DecodedResult.DecodedRow row : result.rows()) {
      List<String> line = new ArrayList<>(row.keys());
      for (int c = 0; c < row.columns().size(); c++) {
        boolean isDefault = row.isDefault(c);
        anyDefault |= isDefault;
        line.add(isDefault ? DEFAULT_CELL : row.columns().get(c));
      }
      lines.add(line);
    }
    int[] widths = new int[header.size()];
    for (List<String> line : lines) {
      for (int i = 0; i < line.size() && i < widths.length; i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    for (List<String> line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.size() && i < widths.length; i++) {
        text.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", line.get(i)));
      }
      out.println(text.toString().stripTrailing());
    }
    if (anyDefault) {
      out.println(DEFAULT_LEGEND);
    }
  }
}
