package dev.onfs.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.cli.consume.ConsumeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lints the chart and renders it (helm's own library, in-process) with its defaults and with
 * production-like values, then checks the manifests against the server's real defaults.
 */
class HelmChartTest {
  private static final Path CHART = Path.of("helm", "onfs");
  private static final Path PRODUCTION_VALUES = Path.of("src", "test", "resources", "helm", "production-values.yaml");
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir Path tmp;

  @Test
  void lintsCleanly() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
  }

  @Test
  void defaultsRenderAServerOnTheServersOwnPortsAndProbes() throws IOException {
    List<JsonNode> docs = render(template -> template);

    JsonNode container = serverContainer(docs);
    assertThat(containerPort(container, "grpc")).isEqualTo(ServerDefaults.GRPC_PORT);
    assertThat(containerPort(container, "http")).isEqualTo(ServerDefaults.HTTP_PORT);
    assertProbe(container.path("livenessProbe"), ServerDefaults.LIVENESS_PATH);
    assertProbe(container.path("startupProbe"), ServerDefaults.LIVENESS_PATH);
    assertProbe(container.path("readinessProbe"), ServerDefaults.READINESS_PATH);
    assertThat(container.path("args").toString()).isEqualTo("[\"serve\",\"--config\",\"/etc/onfs/onfs.yaml\"]");
    // The image's ENTRYPOINT is java -jar /app/onfs.jar (DockerfileTest); these arguments replace its CMD.

    JsonNode service = only(docs, "Service");
    assertThat(servicePort(service, "grpc")).isEqualTo(ServerDefaults.GRPC_PORT);
    assertThat(servicePort(service, "http")).isEqualTo(ServerDefaults.HTTP_PORT);

    assertThat(container.path("image").asText()).isEqualTo("onfs:" + chartAppVersion());
    assertNoLatestTags(docs);
    assertHardened(only(docs, "Deployment").path("spec").path("template").path("spec"), container);

    ServerConfig config = serverConfig(docs);
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.demo()).isTrue();

    assertThat(only(docs, "PodDisruptionBudget").path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
    assertThat(ofKind(docs, "HorizontalPodAutoscaler")).isEmpty();
    assertThat(ofKind(docs, "ServiceMonitor")).isEmpty();
    assertThat(ofKind(docs, "PodMonitor")).isEmpty();
    assertThat(ofKind(docs, "Secret")).isEmpty();
    assertThat(ofKind(docs, "Deployment")).hasSize(1);
    assertThat(only(docs, "Deployment").path("spec").path("replicas").asInt()).isEqualTo(2);
  }

  @Test
  void productionValuesRenderAutoscalingMonitoringSecretsAndTheConsumer() throws IOException {
    List<JsonNode> docs = render(template -> template.withValuesFile(PRODUCTION_VALUES));

    JsonNode server = deployment(docs, "server");
    JsonNode container = serverContainer(docs);
    assertThat(containerPort(container, "grpc")).isEqualTo(ServerDefaults.GRPC_PORT);
    assertThat(containerPort(container, "http")).isEqualTo(ServerDefaults.HTTP_PORT);
    assertProbe(container.path("livenessProbe"), ServerDefaults.LIVENESS_PATH);
    assertProbe(container.path("readinessProbe"), ServerDefaults.READINESS_PATH);
    assertThat(container.path("image").asText()).isEqualTo("registry.example.com/ml/onfs:0.1.0");
    assertNoLatestTags(docs);
    assertHardened(server.path("spec").path("template").path("spec"), container);
    // The autoscaler owns the replica count.
    assertThat(server.path("spec").has("replicas")).isFalse();

    JsonNode hpa = only(docs, "HorizontalPodAutoscaler");
    assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asText())
        .isEqualTo(server.path("metadata").path("name").asText());
    assertThat(hpa.path("spec").path("minReplicas").asInt()).isEqualTo(4);
    assertThat(hpa.path("spec").path("maxReplicas").asInt()).isEqualTo(40);

    JsonNode pdb = only(docs, "PodDisruptionBudget");
    assertThat(pdb.path("spec").path("minAvailable").asInt()).isEqualTo(3);
    assertThat(pdb.path("spec").path("selector").path("matchLabels"))
        .isEqualTo(server.path("spec").path("selector").path("matchLabels"));

    // The ServiceMonitor finds the Service, and the Service the server's pods.
    JsonNode service = only(docs, "Service");
    JsonNode podLabels = server.path("spec").path("template").path("metadata").path("labels");
    only(docs, "ServiceMonitor").path("spec").path("selector").path("matchLabels").fields().forEachRemaining(label ->
        assertThat(service.path("metadata").path("labels").path(label.getKey())).as(label.getKey()).isEqualTo(label.getValue()));
    service.path("spec").path("selector").fields().forEachRemaining(label ->
        assertThat(podLabels.path(label.getKey())).as(label.getKey()).isEqualTo(label.getValue()));
    JsonNode endpoint = only(docs, "ServiceMonitor").path("spec").path("endpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
    assertThat(endpoint.path("path").asText()).isEqualTo(ServerDefaults.METRICS_PATH);

    // Passwords reach the pods as ONFS_* variables from a Secret, never through the ConfigMap.
    JsonNode secret = only(docs, "Secret");
    assertThat(secret.path("stringData").has("ONFS_STORE_SETTINGS__PASSWORD")).isTrue();
    String secretName = secret.path("metadata").path("name").asText();
    assertThat(container.path("envFrom").get(0).path("secretRef").path("name").asText()).isEqualTo(secretName);
    assertThat(only(docs, "ConfigMap").toString()).doesNotContain("change-me");

    ServerConfig config = serverConfig(docs);
    assertThat(config.store()).isEqualTo("redis");
    assertThat(config.registry()).isEqualTo("etcd");
    assertThat(config.nearCacheBytes()).isEqualTo(1L << 30);
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");

    JsonNode consumer = deployment(docs, "consumer").path("spec").path("template").path("spec");
    JsonNode consumerContainer = consumer.path("containers").get(0);
    assertThat(consumerContainer.path("args").toString())
        .isEqualTo("[\"consume\",\"--config\",\"/etc/onfs/consumer.yaml\"]");
    assertHardened(consumer, consumerContainer);
    // The consumer's own HTTP port and health paths, which ConsumeHealthIT checks against real servers.
    assertThat(containerPort(consumerContainer, "http")).isEqualTo(ServerDefaults.CONSUMER_HTTP_PORT);
    assertProbe(consumerContainer.path("livenessProbe"), ServerDefaults.LIVENESS_PATH);
    assertProbe(consumerContainer.path("startupProbe"), ServerDefaults.LIVENESS_PATH);
    assertProbe(consumerContainer.path("readinessProbe"), ServerDefaults.READINESS_PATH);
    JsonNode podMonitor = only(docs, "PodMonitor");
    assertThat(podMonitor.path("spec").path("selector").path("matchLabels"))
        .isEqualTo(deployment(docs, "consumer").path("spec").path("selector").path("matchLabels"));
    JsonNode consumerEndpoint = podMonitor.path("spec").path("podMetricsEndpoints").get(0);
    assertThat(consumerEndpoint.path("port").asText()).isEqualTo("http");
    assertThat(consumerEndpoint.path("path").asText()).isEqualTo(ServerDefaults.METRICS_PATH);
    // The rendered consumer.yaml is one that onfs consume accepts.
    Map<String, String> consumerFile = new java.util.TreeMap<>();
    flatten("", YAML.readTree(only(docs, "ConfigMap").path("data").path("consumer.yaml").asText()), consumerFile);
    ConsumeConfig consume = ConsumeConfig.resolve(Map.of(), Map.of(), consumerFile, Map.of(), Map.of());
    assertThat(consume.get(ConsumeConfig.Option.BOOTSTRAP_SERVERS)).isEqualTo("kafka-0.kafka:9092");
    assertThat(consume.storeSettings()).containsEntry("nodes", "redis-0.redis:6379,redis-1.redis:6379");
    assertThat(consume.get(ConsumeConfig.Option.BIND_ADDRESS)).isEqualTo("0.0.0.0");
    assertThat(consume.httpPort()).isEqualTo(ServerDefaults.CONSUMER_HTTP_PORT);
  }

  @Test
  void refusesTheLatestTag() {
    // values.schema.json refuses it before the template's own check would.
    assertThatThrownBy(() -> render(template -> template.set("image.tag", "latest")))
        .hasMessageMatching("(?s).*image.tag.*");
  }

  @Test
  void refusesAServerThatListensOnLoopbackOnly() {
    assertThatThrownBy(() -> render(template -> template.set("server.config.bind-address", "127.0.0.1")))
        .hasMessageContaining("bind-address");
  }

  @Test
  void refusesAConsumerThatListensOnLoopbackOnly() {
    assertThatThrownBy(() -> render(template -> template.set("consumer.enabled", true)
        .set("consumer.config.bind-address", "127.0.0.1")))
        .hasMessageContaining("bind-address");
  }

  @Test
  void controlPlaneNeedsTheEtcdRegistryAndASessionSecretFromASecret() {
    // Each replica would keep its own state in a local directory: refused.
    assertThatThrownBy(() -> render(template -> template.set("server.controlPlane.enabled", true)))
        .hasMessageContaining("server.config.registry: etcd");
    assertThatThrownBy(() -> render(template -> template.withValuesFile(PRODUCTION_VALUES)
        .set("server.controlPlane.enabled", true)))
        .hasMessageContaining("server.controlPlane.sessionSecret.name");
  }

  @Test
  void controlPlaneRendersTheServersOwnOptionsAndReadsItsSecretFromTheSecret() throws IOException {
    List<JsonNode> docs = render(template -> template.withValuesFile(PRODUCTION_VALUES)
        .set("server.controlPlane.enabled", true)
        .set("server.controlPlane.sessionSecret.name", "onfs-control-plane"));

    ServerConfig config = serverConfig(docs);
    assertThat(config.controlPlane().enabled()).isTrue();
    assertThat(config.controlPlane().store()).isEqualTo("etcd");
    assertThat(config.controlPlane().sessionSecret()).isNull();
    JsonNode secretRef = null;
    for (JsonNode env : serverContainer(docs).path("env")) {
      if (env.path("name").asText().equals("ONFS_CONTROL_PLANE_SESSION_SECRET")) {
        secretRef = env.path("valueFrom").path("secretKeyRef");
      }
    }
    assertThat(secretRef).as("ONFS_CONTROL_PLANE_SESSION_SECRET in the server container's env").isNotNull();
    assertThat(secretRef.path("name").asText()).isEqualTo("onfs-control-plane");
    assertThat(secretRef.path("key").asText()).isEqualTo("session-secret");
  }

  private List<JsonNode> render(UnaryOperator<TemplateCommand> options) throws IOException {
    String rendered = options.apply(new Helm(CHART).template().withName("feature-store")).call();
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(rendered)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  /** Parses the rendered onfs.yaml the way {@code onfs serve --config} does: a value it refuses fails here. */
  private ServerConfig serverConfig(List<JsonNode> docs) throws IOException {
    Path file = tmp.resolve("onfs.yaml");
    Files.writeString(file, only(docs, "ConfigMap").path("data").path("onfs.yaml").asText());
    return ServerConfig.load(file, Map.of(), Map.of());
  }

  /** Nested YAML keys joined with '.', as the consumer reads its config file. */
  private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> flatten(prefix + field.getKey() + (field.getValue().isObject() ? "." : ""),
          field.getValue(), into));
    } else {
      into.put(prefix, node.asText());
    }
  }

  private static void assertProbe(JsonNode probe, String path) {
    assertThat(probe.path("httpGet").path("path").asText()).isEqualTo(path);
    assertThat(probe.path("httpGet").path("port").asText()).isEqualTo("http");
  }

  private static void assertHardened(JsonNode podSpec, JsonNode container) {
    JsonNode pod = podSpec.path("securityContext");
    assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("runAsUser").asInt()).isPositive();
    JsonNode own = container.path("securityContext");
    assertThat(own.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(own.path("runAsUser").asInt()).isPositive();
    assertThat(own.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(own.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    // A read-only root needs somewhere to write: /tmp on an emptyDir.
    String tmpVolume = null;
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals("/tmp")) {
        tmpVolume = mount.path("name").asText();
      }
    }
    assertThat(tmpVolume).as("a volume mounted on /tmp").isNotNull();
    boolean emptyDir = false;
    for (JsonNode volume : podSpec.path("volumes")) {
      if (volume.path("name").asText().equals(tmpVolume)) {
        emptyDir = volume.has("emptyDir");
      }
    }
    assertThat(emptyDir).as("/tmp is an emptyDir").isTrue();
  }

  private static void assertNoLatestTags(List<JsonNode> docs) {
    List<String> images = new ArrayList<>();
    for (JsonNode doc : docs) {
      doc.findValues("image").forEach(image -> images.add(image.asText()));
    }
    assertThat(images).isNotEmpty().allSatisfy(image -> {
      int slash = image.lastIndexOf('/');
      int colon = image.lastIndexOf(':');
      assertThat(colon).as("%s has a tag", image).isGreaterThan(slash);
      assertThat(image.substring(colon + 1)).as(image).isNotEqualTo("latest");
    });
  }

  private static String chartAppVersion() throws IOException {
    return YAML.readTree(CHART.resolve("Chart.yaml").toFile()).path("appVersion").asText();
  }

  private static JsonNode serverContainer(List<JsonNode> docs) {
    return deployment(docs, "server").path("spec").path("template").path("spec").path("containers").get(0);
  }

  private static JsonNode deployment(List<JsonNode> docs, String component) {
    return ofKind(docs, "Deployment").stream()
        .filter(d -> d.path("metadata").path("labels").path("app.kubernetes.io/component").asText().equals(component))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + component + " Deployment"));
  }

  private static int containerPort(JsonNode container, String name) {
    return port(container.path("ports"), name, "containerPort");
  }

  private static int servicePort(JsonNode service, String name) {
    return port(service.path("spec").path("ports"), name, "port");
  }

  private static int port(JsonNode ports, String name, String field) {
    for (JsonNode port : ports) {
      if (port.path("name").asText().equals(name)) {
        return port.path(field).asInt();
      }
    }
    throw new AssertionError("no port named " + name + " in " + ports);
  }

  private static JsonNode only(List<JsonNode> docs, String kind) {
    List<JsonNode> found = ofKind(docs, kind);
    assertThat(found).as("%s objects", kind).hasSize(1);
    return found.get(0);
  }

  private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

}
