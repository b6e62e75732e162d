package dev.onfs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrphansIT {
  @Test
  void serverWhoseOwnerDiedIsStoppedAndLiveOwnersAreLeftAlone() throws Exception {
    Path root = ServerFiles.root().resolve("orphans-it-" + System.nanoTime());
    int orphanPort = Ports.free();
    int ownedPort = Ports.free();
    Process orphan = redis(root.resolve("orphan"), orphanPort);
    Process owned = redis(root.resolve("owned"), ownedPort);
    try {
      Process deadOwner = new ProcessBuilder("true").start();
      assertThat(deadOwner.waitFor(10, TimeUnit.SECONDS)).isTrue();
      record(root.resolve("orphan"), orphan.toHandle(), deadOwner.pid(), Instant.now().toEpochMilli() - 1);
      Orphans.record(root.resolve("owned").resolve("server.log"), owned.toHandle());

      Orphans.reapAll(root);

      assertThat(orphan.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(owned.isAlive()).isTrue();
    } finally {
      orphan.destroyForcibly();
      owned.destroyForcibly();
      ServerFiles.deleteRecursively(root);
    }
  }

  private static Process redis(Path dir, int port) throws Exception {
    Files.createDirectories(dir);
    Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", Ports.HOST,
        "--save", "", "--dir", dir.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Ports.isOpen(port) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return process;
  }

  private static void record(Path dir, ProcessHandle child, long ownerPid, long ownerStartMillis) throws Exception {
    long childStart = child.info().startInstant().orElseThrow().toEpochMilli();
    Files.writeString(dir.resolve("server.log.pid"), child.pid() + " " + childStart + " " + ownerPid + " "
        + ownerStartMillis, StandardCharsets.UTF_8);
  }
}
