package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution the build makes: unpacked, with its {@code bin/} on the {@code PATH}, the
 * documented {@code onfs ...} commands run from a real shell, including a demo server and a
 * {@code get} against it.
 */
class DistributionIT {
  @TempDir Path dir;

  private static Path archive(String extension) throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      List<Path> found = files.filter(p -> p.getFileName().toString().matches("onfs-.+\\." + extension.replace(".", "\\.")))
          .toList();
      assertThat(found).as("the build's %s distribution in target/", extension).hasSize(1);
      return found.get(0);
    }
  }

  private record Result(int exit, String output) {}

  /** Runs {@code script} with {@code sh -c}, {@code home}'s bin/ first on the PATH. */
  private Result shell(Path home, String script) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).directory(home.toFile()).redirectErrorStream(true);
    environment(builder.environment(), home);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  private static void environment(Map<String, String> env, Path home) {
    env.put("PATH", home.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.remove("ONFS_TARGET");
  }

  private Path unpack(String extension, String... command) throws Exception {
    Path into = Files.createDirectories(dir.resolve(extension));
    Process unpack = new ProcessBuilder(command).directory(into.toFile()).redirectErrorStream(true).start();
    String output = new String(unpack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(unpack.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(unpack.exitValue()).as(output).isZero();
    try (Stream<Path> roots = Files.list(into)) {
      List<Path> found = roots.toList();
      assertThat(found).as("one top-level directory").hasSize(1);
      return found.get(0);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void theTarballRunsTheDocumentedCommands() throws Exception {
    Path home = unpack("tar.gz", "tar", "xzf", archive("tar.gz").toAbsolutePath().toString());
    assertThat(home.resolve("lib/onfs.jar")).isRegularFile();
    assertThat(home.resolve("conf/onfs.yaml")).isRegularFile();
    assertThat(home.resolve("README.md")).isRegularFile();
    assertThat(Files.isExecutable(home.resolve("bin/onfs"))).isTrue();

    Result version = shell(home, "onfs --version");
    assertThat(version.exit()).as(version.output()).isZero();
    assertThat(version.output().strip()).matches("onfs \\d+\\.\\d+\\.\\d+.*");
    Result help = shell(home, "onfs get --help");
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).startsWith("Usage: onfs get");

    // The README's demo: serve with the example settings (its registry is conf/demo-registry.yaml), then get.
    int grpcPort = freePort();
    Path log = dir.resolve("serve.log");
    ProcessBuilder serve = new ProcessBuilder("sh", "-c", "exec onfs serve --config conf/onfs.yaml --grpc-port "
        + grpcPort + " --http-port " + freePort()).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    environment(serve.environment(), home);
    Process server = serve.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!Files.readString(log).contains("onfs serving gRPC") && server.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(Files.readString(log)).contains("onfs serving gRPC");
      String json = "{\"entityLabel\":\"user\",\"keysSchema\":[\"user_id\"],\"featureGroupSchema\":[{\"label\":"
          + "\"user_profile\",\"featureLabels\":[\"city\"]}],\"data\":[{\"keyValues\":[\"7\"],\"featureValues\":"
          + "[{\"values\":{\"stringValues\":[\"Pune\"]}}]}]}";
      Result put = shell(home, "onfs put -t 127.0.0.1:" + grpcPort + " --json '" + json + "'");
      assertThat(put.exit()).as(put.output()).isZero();
      Result get = shell(home, "onfs get -t 127.0.0.1:" + grpcPort + " -e user -k 7 -f user_profile:city");
      assertThat(get.exit()).as(get.output()).isZero();
      assertThat(get.output()).contains("Pune");
    } finally {
      server.destroy();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
    }
  }

  @Test
  void theZipHoldsTheSameRunnableCommand() throws Exception {
    // Unpacked with the JDK rather than an unzip tool the machine may lack; the tarball test checks the modes.
    Path into = Files.createDirectories(dir.resolve("zip"));
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(archive("zip").toFile())) {
      for (java.util.zip.ZipEntry entry : java.util.Collections.list(zip.entries())) {
        Path file = into.resolve(entry.getName()).normalize();
        assertThat(file.startsWith(into)).as(entry.getName()).isTrue();
        if (entry.isDirectory()) {
          Files.createDirectories(file);
        } else {
          Files.createDirectories(file.getParent());
          try (java.io.InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, file);
          }
        }
      }
    }
    Path home;
    try (Stream<Path> roots = Files.list(into)) {
      home = roots.findFirst().orElseThrow();
    }
    assertThat(home.resolve("bin/onfs.bat")).isRegularFile();
    assertThat(home.resolve("lib/onfs.jar")).isRegularFile();
    Result version = shell(home, "sh bin/onfs --version");
    assertThat(version.exit()).as(version.output()).isZero();
    assertThat(version.output()).startsWith("onfs ");
  }
}
