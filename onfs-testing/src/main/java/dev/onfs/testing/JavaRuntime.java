package dev.onfs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Command lines for servers that run in a child JVM, with the classpath that a runtime module
 * resolved at build time (resource {@code dev/onfs/testing/<name>.classpath}).
 */
final class JavaRuntime {
  static final String INSTALL_HINT = "a JDK 17+ (the server runs in a child JVM started with this JVM's java);"
      + " its jars come from Maven Central when onfs-testing is built with Maven (./mvnw -pl onfs-testing -am verify)";

  private JavaRuntime() {}

  static String javaExecutable() {
    if (Runtime.version().feature() < 17) {
      throw new IllegalStateException("Kafka and Cassandra fixtures need JDK 17+, this is " + Runtime.version());
    }
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The resolved classpath of runtime {@code name}, every entry checked to exist. */
  static String classpath(String name) {
    String resource = "/dev/onfs/testing/" + name + ".classpath";
    String text;
    try (InputStream in = JavaRuntime.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Resource " + resource + " is missing: onfs-testing must be used with its "
            + "dependency onfs-" + name + " (built by Maven). Install: " + INSTALL_HINT);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    List<String> missing = new ArrayList<>();
    for (String entry : text.split(java.io.File.pathSeparator)) {
      if (!Files.isRegularFile(Path.of(entry))) {
        missing.add(entry);
      }
    }
    if (text.isEmpty() || !missing.isEmpty()) {
      throw new IllegalStateException("The " + name + " classpath names jars that do not exist " + missing
          + ": rebuild with Maven online (./mvnw -pl onfs-testing -am verify) so they are downloaded.");
    }
    return text;
  }

  /** The server version the runtime modules are built for (from the root pom). */
  static String version(String server) {
    Properties properties = new Properties();
    try (InputStream in = JavaRuntime.class.getResourceAsStream("/dev/onfs/testing/versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("dev/onfs/testing/versions.properties is missing from onfs-testing");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty(server, "unknown");
  }
}
