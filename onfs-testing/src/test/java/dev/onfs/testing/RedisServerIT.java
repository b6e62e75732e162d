package dev.onfs.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

class RedisServerIT {
  @Test
  void tlsServerWithAnAclUserAnswersOnlyOverTlsAfterAuth(@org.junit.jupiter.api.io.TempDir Path certDir)
      throws Exception {
    TestCertificates certs = TestCertificates.create(certDir);
    try (RedisServer redis = RedisServer.start(RedisServer.Options.builder()
        .tls(certs).tlsClientAuth(true).user("onfs", "s3cret").build())) {
      assertThat(redis.tls()).isTrue();
      DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
          .ssl(true).sslSocketFactory(certs.clientSslContext().getSocketFactory())
          .user("onfs").password("s3cret").build();
      try (Jedis jedis = new Jedis(new HostAndPort(redis.host(), redis.port()), config)) {
        assertThat(jedis.set("k", "v")).isEqualTo("OK");
        redis.flushAll();
        assertThat(jedis.get("k")).isNull();
      }
      assertThatThrownBy(() -> Resp.command(redis.host(), redis.port(), "PING"))
          .isInstanceOf(java.io.IOException.class);
      assertThatThrownBy(() -> Resp.command(redis.host(), redis.port(),
          new Resp.Access(certs.clientSslContext(), null, null), "PING"))
          .hasMessageContaining("NOAUTH");
    }
  }

  @Test
  void sharedServerAnswersSetAndGet() {
    RedisServer redis = RedisServer.shared();
    assertThat(RedisServer.shared()).isSameAs(redis);
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      assertThat(jedis.set("onfs:it:key", "value-1")).isEqualTo("OK");
      assertThat(jedis.get("onfs:it:key")).isEqualTo("value-1");
      assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "no");
      redis.flushAll();
      assertThat(jedis.get("onfs:it:key")).isNull();
    }
  }

  @Test
  void appendOnlyServerKeepsWritesAcrossRestart() {
    try (RedisServer redis = RedisServer.start(RedisServer.Options.appendOnly(RedisServer.AppendFsync.ALWAYS))) {
      try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
        assertThat(jedis.configGet("appendfsync")).containsEntry("appendfsync", "always");
        jedis.set("durable", "yes");
      }
      int port = redis.port();
      redis.restart();
      assertThat(redis.port()).isEqualTo(port);
      try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
        assertThat(jedis.get("durable")).isEqualTo("yes");
      }
    }
  }

  @Test
  void pausedServerAcceptsButDoesNotAnswerUntilResumed() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      redis.pause();
      try (Socket socket = new Socket(redis.host(), redis.port())) {
        socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(300);
        InputStream in = socket.getInputStream();
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        redis.resume();
        socket.setSoTimeout(5000);
        assertThat(new String(in.readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
      }
      redis.pause();
      redis.stop(); // resumes first, so the server shuts down on SIGTERM
      redis.restart();
      try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
        assertThat(jedis.ping()).isEqualTo("PONG");
      }
    }
  }

  @Test
  void stoppedServerRefusesConnectionsAndRestartsOnTheSamePort() {
    try (RedisServer redis = RedisServer.start()) {
      redis.stop();
      try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
        assertThatThrownBy(jedis::ping).isInstanceOf(JedisConnectionException.class);
      }
      redis.restart();
      try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
        assertThat(jedis.ping()).isEqualTo("PONG");
        // Without persistence a restart starts empty.
        assertThat(jedis.dbSize()).isZero();
      }
    }
  }

  @Test
  void pausedServerKeepsConnectionsButAnswersNothingUntilResumed() {
    try (RedisServer redis = RedisServer.start()) {
      try (Jedis jedis = new Jedis(redis.host(), redis.port(), 300)) {
        jedis.set("k", "v");
        redis.pause();
        assertThatThrownBy(jedis::ping).isInstanceOf(JedisConnectionException.class)
            .hasMessageContaining("Read timed out");
        redis.resume();
      }
      try (Jedis jedis = new Jedis(redis.host(), redis.port(), 1000)) {
        assertThat(jedis.get("k")).isEqualTo("v");
      }
      // Closing a paused server resumes it first, so it stops without waiting for the kill grace.
      redis.pause();
    }
  }

  @Test
  void closeStopsTheServerAndDeletesItsData() {
    RedisServer redis = RedisServer.start(RedisServer.Options.appendOnly(RedisServer.AppendFsync.EVERYSEC));
    assertThat(redis.dir().resolve("data")).isDirectory();
    assertThat(redis.dir().resolve("server.log")).isRegularFile();
    redis.close();
    assertThat(Ports.isOpen(redis.port())).isFalse();
    assertThat(redis.dir().resolve("data")).doesNotExist();
    assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void failedStartNamesTheCauseTheLogAndWhatToInstall() {
    RedisServer.Options bad = RedisServer.Options.builder().config("no-such-directive", "1").build();
    assertThatThrownBy(() -> RedisServer.start(bad))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis-server on 127.0.0.1:")
        .hasMessageContaining("exited with code")
        .hasMessageContaining("Bad directive")
        .hasMessageContaining("Install: apt-get install -y redis-server redis-tools");
  }

  @Test
  void portTakenByAnotherProcessIsRecognisedForARetry() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.HOST))) {
      int port = taken.getLocalPort();
      Path dir = ServerFiles.serverDir("redis-port-taken", port);
      ChildProcess redis = ChildProcess.start("redis-server on a taken port", List.of("redis-server",
              "--port", Integer.toString(port), "--bind", Ports.HOST, "--save", "", "--dir", dir.toString()),
          dir, dir.resolve("server.log"), RedisServer.INSTALL_HINT);
      assertThat(redis.awaitExit(Duration.ofSeconds(10))).isTrue();
      assertThat(redis.failedStart("bind", RedisServer.INSTALL_HINT, null))
          .isInstanceOf(ChildProcess.PortTakenException.class)
          .hasMessageContaining("Address already in use");
    }
  }
}
