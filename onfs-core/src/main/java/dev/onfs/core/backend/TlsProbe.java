package dev.onfs.core.backend;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * One TLS handshake with a backend, to explain a failure that a client library reports only as a
 * timeout or a closed connection (jetcd and Kafka retry a failed handshake until their deadline).
 */
public final class TlsProbe {
  /** What the handshake found. */
  public enum Outcome {
    /** No TCP connection. */
    UNREACHABLE,
    /** The server did not answer with TLS (a plaintext port). */
    NOT_TLS,
    /** The handshake completed: the server speaks TLS and is trusted. */
    TRUSTED,
    /** The server speaks TLS but the handshake failed (untrusted or expired certificate, client certificate refused). */
    REJECTED
  }

  /** The outcome, with the handshake's failure when {@link Outcome#REJECTED}. */
  public record Result(Outcome outcome, @Nullable SSLException failure) {}

  private TlsProbe() {}

  /** Connects to {@code host:port} (1 s) and runs a handshake (2 s) that checks the host name. */
  public static Result handshake(String host, int port, SSLContext context) {
    try (Socket plain = new Socket()) {
      try {
        plain.connect(new InetSocketAddress(host, port), 1000);
      } catch (IOException e) {
        return new Result(Outcome.UNREACHABLE, null);
      }
      plain.setSoTimeout(2000);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        // TLS 1.3 servers refuse a missing client certificate only after the handshake: read briefly for that alert.
        socket.setSoTimeout(300);
        try {
          socket.getInputStream().read();
        } catch (java.net.SocketTimeoutException quiet) {
          // nothing to read: the server accepted us and waits for a request
        } catch (SSLException refused) {
          return new Result(Outcome.REJECTED, refused);
        }
        return new Result(Outcome.TRUSTED, null);
      }
    } catch (SSLHandshakeException e) {
      // A certificate was seen (or a TLS alert came back): the server speaks TLS.
      return isNotTls(e) ? new Result(Outcome.NOT_TLS, null) : new Result(Outcome.REJECTED, e);
    } catch (IOException e) {
      return new Result(Outcome.NOT_TLS, null);
    }
  }

  /** A handshake failure in words: the JDK's message, and the expiry date when a certificate expired. */
  public static String describe(SSLException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException expired) {
        return failure.getMessage() + " (server certificate expired: " + expired.getMessage() + ")";
      }
    }
    return String.valueOf(failure.getMessage());
  }

  private static boolean isNotTls(SSLHandshakeException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("Unsupported or unrecognized SSL message") || message.contains("Remote host terminated");
  }
}
