package dev.onfs.registry.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.file.DocumentParser;
import dev.onfs.core.registry.file.FileFeatureRegistry;
import dev.onfs.core.registry.file.RegistryDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Entry points for registries kept in YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}) files. */
public final class RegistryFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final DocumentParser PARSER = (fileName, content) -> {
    ObjectMapper mapper = fileName.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
    try {
      return mapper.readValue(content, Object.class);
    } catch (JsonProcessingException e) {
      throw new OnfsException(ErrorCode.INVALID_REGISTRY, fileName + ": " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr()), e);
    } catch (IOException e) {
      throw new OnfsException(ErrorCode.INVALID_REGISTRY, fileName + ": " + e.getMessage(), e);
    }
  };

  private RegistryFiles() {}

  /** Parses by extension: JSON for {@code .json}, YAML otherwise (YAML also reads JSON). */
  public static DocumentParser parser() {
    return PARSER;
  }

  /** Loads a file or a directory of files into a validated snapshot. */
  public static RegistrySnapshot load(Path fileOrDirectory) {
    return FileFeatureRegistry.load(fileOrDirectory, PARSER);
  }

  /** Parses one document held in memory. */
  public static RegistrySnapshot parse(String fileName, String content) {
    return FileFeatureRegistry.parse(PARSER, Map.of(fileName, content.getBytes(StandardCharsets.UTF_8)), 1);
  }

  /** Loads and keeps reloading a file or directory, polling at {@code interval}. */
  public static FileFeatureRegistry watch(Path fileOrDirectory, Duration interval) {
    return FileFeatureRegistry.watch(fileOrDirectory, PARSER, interval);
  }

  /** Loads and keeps reloading, polling every second. */
  public static FileFeatureRegistry watch(Path fileOrDirectory) {
    return watch(fileOrDirectory, FileFeatureRegistry.DEFAULT_POLL_INTERVAL);
  }

  /** Renders a snapshot as YAML in the full form (every version, column and default). */
  public static String toYaml(RegistrySnapshot snapshot) {
    try {
      return YAML.writeValueAsString(RegistryDocument.toDocument(snapshot));
    } catch (JsonProcessingException e) {
      throw new OnfsException(ErrorCode.INTERNAL, "cannot render registry as YAML: " + e.getMessage(), e);
    }
  }
}
