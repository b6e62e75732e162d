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

/** The few Redis commands the fixtures need, over a plain socket (no client library). */
final class Resp {
  private Resp() {}

  /**
   * Sends one command and returns the reply as text: simple strings and bulk strings as is,
   * integers as digits; an error reply throws.
   */
  static String command(String host, int port, String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
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
      InputStream in = new BufferedInputStream(socket.getInputStream());
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
