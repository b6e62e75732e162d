package dev.onfs.server.hostile;

import dev.onfs.proto.retrieve.DecodedResult;
import dev.onfs.server.OnfsServer;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.ServerLauncher;
import dev.onfs.server.hostile.RawGrpc.Outcome;
import dev.onfs.server.hostile.RawGrpc.Rpc;
import dev.onfs.testing.RedisServer;
import dev.onfs.testing.RedisSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The server the hostile-input suite attacks: the real composition root ({@link ServerLauncher}) with
 * its default limits, started in-process on free loopback ports, serving {@link HostileRegistry} from
 * a file over Redis database {@link #DATABASE} of the shared Redis, which the suite owns. Seeds the
 * rows, then remembers two baselines: the seeded rows as a normal retrieve returns them, and every
 * Redis key with its value.
 */
final class HostileServer implements AutoCloseable {
  /** The Redis database of this suite; no other test of the module uses it. */
  static final int DATABASE = 11;

  private final RedisServer redis = RedisServer.shared();
  private final OnfsServer server;
  private final RawGrpc grpc;
  private final List<byte[]> seededAnswers = new ArrayList<>();
  private final List<DecodedResult> seededText = new ArrayList<>();
  private final RedisSnapshot stored;

  HostileServer() throws IOException {
    RedisSnapshot.empty(DATABASE).restore(redis);
    Path dir = Files.createDirectories(Path.of("target", "hostile-input"));
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, HostileRegistry.YAML, StandardCharsets.UTF_8);
    ServerConfig config = ServerConfig.fromMap(Map.of(
        "bind-address", "127.0.0.1",
        "grpc-port", "0",
        "http-port", "0",
        "shutdown-grace", "1s",
        "registry", "file",
        "registry-file", registry.toString(),
        "store", "redis",
        "store-settings.nodes", redis.host() + ":" + redis.port(),
        "store-settings.database", Integer.toString(DATABASE)));
    this.server = ServerLauncher.launch(config, new PrintWriter(new StringWriter()));
    this.grpc = new RawGrpc(server.grpcPort());
    for (dev.onfs.proto.persist.Query seed : HostileRegistry.seed()) {
      Outcome outcome = grpc.call(Rpc.PERSIST, seed.toByteArray(), RawGrpc.VALID);
      if (!outcome.ok()) {
        throw new IllegalStateException("seeding " + seed.getEntityLabel() + " failed: " + outcome.describe());
      }
    }
    for (dev.onfs.proto.retrieve.Query read : HostileRegistry.seededReads()) {
      seededAnswers.add(normalRead(Rpc.RETRIEVE, read));
      seededText.add(DecodedResult.parseFrom(normalRead(Rpc.RETRIEVE_DECODED, read)));
    }
    this.stored = RedisSnapshot.take(redis, DATABASE);
    if (stored.size() == 0) {
      throw new IllegalStateException("seeding wrote nothing to Redis database " + DATABASE);
    }
  }

  private byte[] normalRead(Rpc rpc, dev.onfs.proto.retrieve.Query read) {
    Outcome outcome = grpc.call(rpc, read.toByteArray(), RawGrpc.VALID);
    if (!outcome.ok()) {
      throw new IllegalStateException("reading the seeded rows failed: " + outcome.describe());
    }
    return outcome.answer();
  }

  int grpcPort() {
    return server.grpcPort();
  }

  int httpPort() {
    return server.httpPort();
  }

  Outcome call(Rpc rpc, byte[] request, Map<String, String> headers) {
    return grpc.call(rpc, request, headers);
  }

  /**
   * What is wrong after a case: the server must still answer a normal retrieve, the seeded rows must
   * read back byte for byte as before, and Redis must hold exactly the keys and values it held. When
   * Redis changed, puts it back so that the next case is judged on its own.
   */
  List<String> damage() {
    List<String> problems = new ArrayList<>();
    List<dev.onfs.proto.retrieve.Query> reads = HostileRegistry.seededReads();
    for (int i = 0; i < reads.size(); i++) {
      dev.onfs.proto.retrieve.Query read = reads.get(i);
      Outcome binary = grpc.call(Rpc.RETRIEVE, read.toByteArray(), RawGrpc.VALID);
      if (!binary.ok()) {
        problems.add("a normal retrieve of '" + read.getEntityLabel() + "' failed afterwards: " + binary.describe());
      } else if (!Arrays.equals(binary.answer(), seededAnswers.get(i))) {
        problems.add("the seeded rows of '" + read.getEntityLabel() + "' read back differently" + textDiff(i, read));
      }
    }
    List<String> changed = RedisSnapshot.take(redis, DATABASE).differencesFrom(stored);
    if (!changed.isEmpty()) {
      problems.add("Redis changed (" + String.join("; ", changed) + ")");
      stored.restore(redis);
    }
    return problems;
  }

  private String textDiff(int index, dev.onfs.proto.retrieve.Query read) {
    Outcome decoded = grpc.call(Rpc.RETRIEVE_DECODED, read.toByteArray(), RawGrpc.VALID);
    if (!decoded.ok()) {
      return "";
    }
    try {
      List<dev.onfs.proto.retrieve.DecodedRow> now = DecodedResult.parseFrom(decoded.answer()).getRowsList();
      List<dev.onfs.proto.retrieve.DecodedRow> before = seededText.get(index).getRowsList();
      for (int r = 0; r < Math.min(now.size(), before.size()); r++) {
        if (!now.get(r).equals(before.get(r))) {
          return ": key " + before.get(r).getKeysList() + " was " + before.get(r).getColumnsList() + ", now "
              + now.get(r).getColumnsList();
        }
      }
      return ": " + before.size() + " rows before, " + now.size() + " now";
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return ": " + e.getMessage();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      grpc.close();
    } finally {
      server.close();
      RedisSnapshot.empty(DATABASE).restore(redis);
    }
  }
}
