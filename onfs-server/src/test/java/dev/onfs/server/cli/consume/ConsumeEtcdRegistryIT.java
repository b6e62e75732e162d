package dev.onfs.server.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.server.OnfsCommand;
import dev.onfs.testing.EtcdServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code consume --registry etcd} opens the registry {@code serve} would, from a real etcd. */
class ConsumeEtcdRegistryIT {
  private static final String DEMO = Path.of("..", "examples", "registry", "demo-registry.yaml").toString();

  @Test
  void readsTheRegistryFromEtcd() {
    String etcd = EtcdServer.shared().endpoint();
    String app = "consume" + ProcessHandle.current().pid();
    assertThat(OnfsCommand.commandLine().execute("registry", "apply", "-f", DEMO, "--etcd", etcd, "--app", app))
        .isZero();

    ConsumeConfig config = ConsumeConfig.resolve(Map.of(
            ConsumeConfig.Option.BOOTSTRAP_SERVERS, "127.0.0.1:9",
            ConsumeConfig.Option.STORE, "memory",
            ConsumeConfig.Option.REGISTRY, "etcd",
            ConsumeConfig.Option.ETCD_ENDPOINTS, etcd,
            ConsumeConfig.Option.APP_NAME, app),
        Map.of(), Map.of(), Map.of(), Map.of());
    try (ConsumeBackends.Opened opened = DefaultBackends.INSTANCE.open(config)) {
      assertThat(opened.catalog().entity("user")).isNotNull();
      assertThat(opened.catalog().entity("no-such-entity")).isNull();
    }
  }

  @Test
  void etcdWithoutEndpointsNamesTheMissingOption() {
    ConsumeConfig config = ConsumeConfig.resolve(Map.of(
            ConsumeConfig.Option.BOOTSTRAP_SERVERS, "127.0.0.1:9",
            ConsumeConfig.Option.STORE, "memory",
            ConsumeConfig.Option.REGISTRY, "etcd"),
        Map.of(), Map.of(), Map.of(), Map.of());
    assertThatThrownBy(() -> DefaultBackends.INSTANCE.open(config))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("etcd-endpoints")
        .satisfies(e -> assertThat(((OnfsException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }
}
