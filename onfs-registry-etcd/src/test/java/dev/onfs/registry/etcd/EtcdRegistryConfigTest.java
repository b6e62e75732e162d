package dev.onfs.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EtcdRegistryConfigTest {
  @Test
  void toStringNeverShowsThePassword() {
    EtcdRegistryConfig config = EtcdRegistryConfig.builder("etcd:2379").credentials("onfs", "hunter2-secret").build();
    assertThat(config.toString()).doesNotContain("hunter2-secret").contains("user=onfs").contains("password=****")
        .contains("http://etcd:2379");
    assertThat(EtcdRegistryConfig.builder("etcd:2379").build().toString()).contains("password=none");
  }
}
