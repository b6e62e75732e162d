package dev.onfs.testing;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Stops every started server when the JVM exits, in parallel so that exit stays quick. */
final class ShutdownHook {
  private static final Set<Closeable> SERVERS = new LinkedHashSet<>();
  private static boolean installed;

  private ShutdownHook() {}

  static synchronized void register(Closeable server) {
    if (!installed) {
      Runtime.getRuntime().addShutdownHook(new Thread(ShutdownHook::stopAll, "onfs-testing-shutdown"));
      installed = true;
    }
    SERVERS.add(server);
  }

  static synchronized void unregister(Closeable server) {
    SERVERS.remove(server);
  }

  private static void stopAll() {
    List<Closeable> servers;
    synchronized (ShutdownHook.class) {
      servers = new ArrayList<>(SERVERS);
      SERVERS.clear();
    }
    List<Thread> threads = new ArrayList<>();
    for (Closeable server : servers) {
      Thread thread = new Thread(() -> {
        try {
          server.close();
        } catch (Exception | Error e) {
          // Nothing useful to do at JVM exit.
        }
      }, "onfs-testing-stop");
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
