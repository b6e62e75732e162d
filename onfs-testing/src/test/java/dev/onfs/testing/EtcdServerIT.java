package dev.onfs.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EtcdServerIT {
  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, UTF_8);
  }

  @Test
  void sharedServerAnswersPutGetAndWatch() throws Exception {
    EtcdServer etcd = EtcdServer.shared();
    assertThat(etcd.endpoint()).startsWith("http://127.0.0.1:");
    try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
      KV kv = client.getKVClient();
      List<WatchEvent> events = new CopyOnWriteArrayList<>();
      CountDownLatch seen = new CountDownLatch(1);
      try (Watch.Watcher watcher = client.getWatchClient().watch(bytes("/onfs/it/watched"), response -> {
        events.addAll(response.getEvents());
        seen.countDown();
      })) {
        kv.put(bytes("/onfs/it/key"), bytes("value-1")).get(10, TimeUnit.SECONDS);
        assertThat(kv.get(bytes("/onfs/it/key")).get(10, TimeUnit.SECONDS).getKvs())
            .singleElement()
            .satisfies(kv1 -> assertThat(kv1.getValue().toString(UTF_8)).isEqualTo("value-1"));

        kv.put(bytes("/onfs/it/watched"), bytes("changed")).get(10, TimeUnit.SECONDS);
        assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(events).first().satisfies(event -> {
          assertThat(event.getEventType()).isEqualTo(WatchEvent.EventType.PUT);
          assertThat(event.getKeyValue().getValue().toString(UTF_8)).isEqualTo("changed");
        });
      }
    }
  }

  @Test
  void restartKeepsPortAndData() throws Exception {
    try (EtcdServer etcd = EtcdServer.start()) {
      String endpoint = etcd.endpoint();
      try (Client client = Client.builder().endpoints(endpoint).build()) {
        client.getKVClient().put(bytes("k"), bytes("before-restart")).get(10, TimeUnit.SECONDS);
      }
      etcd.stop();
      assertThat(Ports.isOpen(etcd.port())).isFalse();
      etcd.restart();
      assertThat(etcd.endpoint()).isEqualTo(endpoint);
      try (Client client = Client.builder().endpoints(endpoint).build()) {
        assertThat(client.getKVClient().get(bytes("k")).get(10, TimeUnit.SECONDS).getKvs())
            .singleElement()
            .satisfies(kv -> assertThat(kv.getValue().toString(UTF_8)).isEqualTo("before-restart"));
      }
    }
  }

  @Test
  void tlsServerWithAuthNeedsTheClientCertificateAndTheRootPassword(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    try (EtcdServer etcd = EtcdServer.start(EtcdServer.Options.builder()
        .tls(certs).tlsClientAuth(true).rootPassword("r00t-pw").build())) {
      assertThat(etcd.endpoint()).startsWith("https://127.0.0.1:");
      assertThat(etcd.user()).isEqualTo("root");
      try (Client client = Client.builder().endpoints(etcd.endpoint())
          .sslContext(b -> b.trustManager(certs.caFile().toFile())
              .keyManager(certs.client().certificateFile().toFile(), certs.client().keyFile().toFile()))
          .user(bytes("root")).password(bytes("r00t-pw")).build()) {
        client.getKVClient().put(bytes("k"), bytes("v")).get(10, TimeUnit.SECONDS);
        assertThat(client.getKVClient().get(bytes("k")).get(10, TimeUnit.SECONDS).getKvs()).hasSize(1);
      }
      etcd.restart();
      try (Client anonymous = Client.builder().endpoints(etcd.endpoint())
          .sslContext(b -> b.trustManager(certs.caFile().toFile())
              .keyManager(certs.client().certificateFile().toFile(), certs.client().keyFile().toFile()))
          .build()) {
        assertThatThrownBy(() -> anonymous.getKVClient().get(bytes("k")).get(10, TimeUnit.SECONDS))
            .hasMessageContaining("permission denied");
      }
    }
  }

  @Test
  void closedServerCannotRestart() {
    EtcdServer etcd = EtcdServer.start();
    etcd.close();
    assertThat(Ports.isOpen(etcd.port())).isFalse();
    assertThatThrownBy(etcd::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
