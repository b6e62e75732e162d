package dev.onfs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Free loopback ports. A port found free may be taken again before the server binds it: callers retry. */
final class Ports {
  static final String HOST = "127.0.0.1";

  private Ports() {}

  static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /** {@code count} distinct free ports. */
  static int[] free(int count) {
    int[] ports = new int[count];
    for (int i = 0; i < count; i++) {
      int port;
      do {
        port = free();
      } while (contains(ports, i, port));
      ports[i] = port;
    }
    return ports;
  }

  private static boolean contains(int[] ports, int length, int port) {
    for (int i = 0; i < length; i++) {
      if (ports[i] == port) {
        return true;
      }
    }
    return false;
  }

  static boolean isOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
