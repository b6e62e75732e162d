package dev.onfs.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaRuntimeTest {
  private static List<String> jarNames(String runtime) {
    return Arrays.stream(JavaRuntime.classpath(runtime).split(File.pathSeparator))
        .map(entry -> new File(entry).getName())
        .toList();
  }

  @Test
  void kafkaRuntimeMatchesTheRootPomVersion() {
    String version = JavaRuntime.version("kafka");
    assertThat(version).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(jarNames("kafka-runtime"))
        .contains("kafka_2.13-" + version + ".jar", "kafka-clients-" + version + ".jar")
        .anyMatch(name -> name.startsWith("slf4j-simple-"));
  }

  @Test
  void cassandraRuntimeKeepsItsOwnDependencyTree() {
    String version = JavaRuntime.version("cassandra");
    List<String> jars = jarNames("cassandra-runtime");
    assertThat(jars).contains("cassandra-all-" + version + ".jar");
    // Cassandra 5.0 runs on netty 4.1 and logback over slf4j 1.7, whatever the rest of the build uses.
    assertThat(jars).filteredOn(name -> name.startsWith("netty-all-")).singleElement().asString().startsWith("netty-all-4.1.");
    assertThat(jars).filteredOn(name -> name.startsWith("slf4j-api-")).singleElement().asString().startsWith("slf4j-api-1.7.");
  }

  @Test
  void serverJarsStayOffTheTestClasspath() {
    assertThatThrownBy(() -> Class.forName("org.apache.cassandra.service.CassandraDaemon"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("kafka.Kafka")).isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void unknownRuntimeFailsWithAHint() {
    assertThatThrownBy(() -> JavaRuntime.classpath("nope-runtime"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dev/onfs/testing/nope-runtime.classpath is missing");
  }
}
