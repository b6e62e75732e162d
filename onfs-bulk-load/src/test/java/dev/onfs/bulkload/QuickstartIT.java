package dev.onfs.bulkload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the commands of the Quickstart section of docs/ingestion.md as a user would, from the
 * repository root: scripts/kafka, Debian's redis-server, onfs serve, then onfs-load (push), onfs
 * consume and onfs get, and checks that get prints the table the section shows. Only the ports
 * differ: free ones instead of 9092, 6379 and the server's defaults, so the test runs beside
 * anything else on the machine.
 */
class QuickstartIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final List<Process> running = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (int i = running.size() - 1; i >= 0; i--) {
      Process p = running.get(i);
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** The quickstart's {@code sh} blocks, one command per entry (continuations joined), and its {@code text} block. */
  record Section(List<String> commands, String output) {}

  static Section quickstart() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/ingestion.md"), StandardCharsets.UTF_8);
    int start = doc.indexOf("## Quickstart");
    int end = doc.indexOf("\n## ", start + 1);
    assertThat(start).as("docs/ingestion.md has a Quickstart section").isNotNegative();
    String section = doc.substring(start, end);
    List<String> commands = new ArrayList<>();
    Matcher sh = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(section);
    while (sh.find()) {
      for (String command : sh.group(1).replace("\\\n", " ").split("\n")) {
        if (!command.isBlank()) {
          commands.add(command.trim().replaceAll(" +", " "));
        }
      }
    }
    Matcher text = Pattern.compile("```text\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(text.find()).as("the section shows get's output").isTrue();
    return new Section(commands, text.group(1));
  }

  @Test
  void theDocumentedCommandsPushConsumeAndGet() throws Exception {
    Section section = quickstart();
    List<String> c = section.commands();
    // build, kafka, redis, serve, then the three: push, consume, get
    assertThat(c).hasSize(7);
    assertThat(c.get(0)).startsWith("./mvnw ");
    assertThat(c.get(1)).isEqualTo("scripts/kafka");
    assertThat(c.get(2)).startsWith("redis-server ");
    assertThat(c.get(3)).contains(" serve ");
    assertThat(c.get(4)).startsWith("java -jar onfs-bulk-load/target/onfs-load.jar ");
    assertThat(c.get(5)).contains(" consume ");
    assertThat(c.get(6)).contains(" get ");
    // c.get(0) is the build: the reactor built both jars before this test.
    assertThat(ROOT.resolve("onfs-server/target/onfs.jar")).isRegularFile();
    assertThat(ROOT.resolve("onfs-bulk-load/target/onfs-load.jar")).isRegularFile();

    int kafkaPort = freePortPair();
    int redisPort = freePort();
    int grpcPort = freePort();
    int httpPort = freePort();

    start("kafka", c.get(1) + " --port " + kafkaPort + " --data-dir " + dir.resolve("kafka"), kafkaPort);
    start("redis", withPorts(c.get(2), kafkaPort, redisPort), redisPort);
    start("serve", withPorts(c.get(3), kafkaPort, redisPort) + " --grpc-port " + grpcPort + " --http-port " + httpPort,
        grpcPort);

    Result push = run("push", withPorts(c.get(4), kafkaPort, redisPort));
    assertThat(push.exit()).as(push.output()).isZero();
    assertThat(push.output()).contains("loaded 5 of 5 rows from 1 file to topic");

    // Its own admin port, so a consumer elsewhere on the machine (on 8091) cannot make it fail.
    start("consume", withPorts(c.get(5), kafkaPort, redisPort) + " --http-port " + freePort(), -1);

    String get = withPorts(c.get(6), kafkaPort, redisPort) + " -t 127.0.0.1:" + grpcPort;
    String expected = normalise(section.output());
    String last = "";
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Result r = run("get", get);
      last = r.output();
      if (r.exit() == 0 && normalise(last).equals(expected)) {
        return;
      }
      Thread.sleep(1000);
    }
    assertThat(normalise(last)).as("get's output; consumer log:\n" + log("consume")).isEqualTo(expected);
  }

  private static String withPorts(String command, int kafkaPort, int redisPort) {
    return command.replace("127.0.0.1:9092", "127.0.0.1:" + kafkaPort)
        .replace("127.0.0.1:6379", "127.0.0.1:" + redisPort)
        .replace("--port 6379", "--port " + redisPort);
  }

  private static String normalise(String table) {
    return table.strip().replaceAll("[ \t]+\n", "\n");
  }

  private ProcessBuilder bash(String name, String command) {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile());
    // The documented 'java' is this JVM's.
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    pb.environment().put("PATH", javaBin + File.pathSeparator + System.getenv("PATH"));
    pb.environment().put("TMPDIR", dir.toString());
    pb.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    return pb;
  }

  private void start(String name, String command, int port) throws Exception {
    Process p = bash(name, command).start();
    running.add(p);
    if (port < 0) {
      return;
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!isOpen(port)) {
      if (!p.isAlive()) {
        throw new AssertionError(name + " (" + command + ") exited with " + p.exitValue() + ":\n" + log(name));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " did not open port " + port + " in " + START_TIMEOUT + ":\n" + log(name));
      }
      Thread.sleep(200);
    }
  }

  record Result(int exit, String output) {}

  private Result run(String name, String command) throws Exception {
    Process p = bash(name, command).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(name + " did not finish in 120 s: " + command + "\n" + log(name));
    }
    return new Result(p.exitValue(), log(name));
  }

  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static boolean isOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A free port whose successor is free too (the broker's controller listens there). */
  private static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = freePort();
      if (port < 65535 && !isOpen(port + 1)) {
        try (ServerSocket next = new ServerSocket(port + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no two consecutive free ports");
  }
}
