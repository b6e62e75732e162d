package dev.onfs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.onfs.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads the Dockerfile (no image can be built here: base images come from a registry this build does not
 * reach) and checks that the image runs the jar the build makes, as a non-root user, on the server's ports.
 */
class DockerfileTest {
  private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
  private static final Path IMAGE_CONFIG = Path.of("docker", "onfs.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One instruction: its keyword (upper case) and the rest of its (joined) line. */
  record Instruction(String keyword, String arguments) {}

  @Test
  void runsTheServerJarWithItsConfigFile() throws IOException {
    List<Instruction> image = finalStage(parse(DOCKERFILE));
    List<String> command = new ArrayList<>(execForm(only(image, "ENTRYPOINT")));
    command.addAll(execForm(only(image, "CMD")));
    assertThat(command).containsExactly("java", "-jar", "/app/onfs.jar", "serve", "--config", "/etc/onfs/onfs.yaml");
    assertThat(image).contains(new Instruction("COPY", "--from=build /src/onfs-server/target/onfs.jar /app/onfs.jar"));
    // The path it copies is the one onfs-server's shade plugin writes.
    assertThat(Files.readString(Path.of("..", "onfs-server", "pom.xml"))).contains("<finalName>onfs</finalName>");
  }

  @Test
  void exposesTheServersDefaultPorts() throws IOException {
    List<Instruction> image = finalStage(parse(DOCKERFILE));
    List<Integer> exposed = Arrays.stream(only(image, "EXPOSE").split("\\s+"))
        .map(port -> Integer.parseInt(port.replace("/tcp", ""))).toList();
    assertThat(exposed).containsExactlyInAnyOrder(ServerDefaults.GRPC_PORT, ServerDefaults.HTTP_PORT);

    // The configuration baked into the image parses, listens on every interface and on those ports.
    ServerConfig config = ServerConfig.load(IMAGE_CONFIG, Map.of(), Map.of());
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(List.of(config.grpcPort(), config.httpPort()))
        .containsExactly(ServerDefaults.GRPC_PORT, ServerDefaults.HTTP_PORT);
  }

  @Test
  void runsAsTheNonRootUserTheChartExpects() throws IOException {
    List<Instruction> image = finalStage(parse(DOCKERFILE));
    String user = only(image, "USER");
    String uid = user.split(":")[0];
    assertThat(uid).as("USER must be numeric so that runAsNonRoot can be verified").matches("\\d+");
    assertThat(Integer.parseInt(uid)).isPositive();

    JsonNode values = new YAMLMapper().readTree(Path.of("helm", "onfs", "values.yaml").toFile());
    assertThat(values.path("securityContext").path("container").path("runAsUser").asInt())
        .isEqualTo(Integer.parseInt(uid));
  }

  @Test
  void isMultiStageWithTaggedBaseImages() throws IOException {
    List<Instruction> all = parse(DOCKERFILE);
    List<String> froms = all.stream().filter(i -> i.keyword().equals("FROM")).map(Instruction::arguments).toList();
    assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
    for (Instruction arg : all.stream().filter(i -> i.keyword().equals("ARG") && i.arguments().contains("_IMAGE=")).toList()) {
      String image = arg.arguments().substring(arg.arguments().indexOf('=') + 1);
      assertThat(image).as(arg.arguments()).contains(":").doesNotEndWith(":latest");
    }
  }

  private static List<Instruction> parse(Path file) throws IOException {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String raw : Files.readAllLines(file)) {
      String text = raw.strip();
      if (line.isEmpty() && (text.isEmpty() || text.startsWith("#"))) {
        continue;
      }
      if (text.endsWith("\\")) {
        line.append(text, 0, text.length() - 1).append(' ');
        continue;
      }
      line.append(text);
      String[] parts = line.toString().strip().split("\\s+", 2);
      instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : ""));
      line.setLength(0);
    }
    return instructions;
  }

  private static List<Instruction> finalStage(List<Instruction> all) {
    int last = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return all.subList(last, all.size());
  }

  private static String only(List<Instruction> stage, String keyword) {
    List<String> found = stage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    assertThat(found).as("%s in the final stage", keyword).hasSize(1);
    return found.get(0);
  }

  /** The JSON (exec) form; the shell form would run the JVM under a shell that does not forward SIGTERM. */
  private static List<String> execForm(String arguments) throws IOException {
    assertThat(arguments).as("exec form").startsWith("[");
    List<String> words = new ArrayList<>();
    JSON.readTree(arguments).forEach(word -> words.add(word.asText()));
    return words;
  }
}
