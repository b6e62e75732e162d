package dev.onfs.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/** The few Redis commands the fixtures need, over a plain or TLS socket (no client library). */
final class Resp {
  /** How the fixture reaches its own server: TLS context and ACL credentials, each optional. */
  record Access(@Nullable SSLContext tls, @Nullable String user, @Nullable String password) {
    static final Access PLAIN = new Access(null, null, null);

    @Override
    public String toString() {
      return "Access[tls=" + (tls != null) + ", user=" + user + ", password=" + (password == null ? "none" : "****") + "]";
    }
  }

  private Resp() {}

  /**
   * Sends one command and returns the reply as text: simple strings and bulk strings as is,
   * integers as digits; an error reply throws.
   */
  static String command(String host, int port, String... args) throws IOException {
    return command(host, port, Access.PLAIN, args);
  }

  /** Like {@link #command(String, int, String...)}, over TLS and after AUTH when {@code access} says so. */
  static String command(String host, int port, Access access, String... args) throws IOException {
    try (Socket socket = connect(host, port, access)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (access.password() != null) {
        String[] auth = access.user() == null
            ? new String[] {"AUTH", access.password()}
            : new String[] {"AUTH", access.user(), access.password()};
        send(out, auth);
        reply(in);
      }
      send(out, args);
      return reply(in);
    }
  }

  private static Socket connect(String host, int port, Access access) throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(host, port), 1000);
      plain.setSoTimeout(5000);
      if (access.tls() == null) {
        return plain;
      }
      SSLSocket tls = (SSLSocket) access.tls().getSocketFactory().createSocket(plain, host, port, true);
      tls.startHandshake();
      return tls;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private static void send(OutputStream out, String... args) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      request.writeBytes(bytes);
      request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(request.toByteArray());
    out.flush();
  }

  private static String reply(InputStream in) throws IOException {
    int type = in.read();
    String line = readLine(in);
    switch (type) {
      case '+', ':' -> {
        return line;
      }
      case '-' -> throw new IOException("Redis error reply: " + line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return "";
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
          throw new EOFException("short bulk reply");
        }
        return new String(body, StandardCharsets.UTF_8);
      }
      case -1 -> throw new EOFException("connection closed without a reply");
      default -> throw new IOException("unexpected Redis reply type '" + (char) type + "'");
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c == -1) {
        throw new EOFException("connection closed mid-reply");
      }
      line.append((char) c);
    }
    in.read(); // '\n'
    return line.toString();
  }
}
