package dev.onfs.grpc;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/** The identity a call's verified client certificate carries. */
final class ClientCertificates {
  private ClientCertificates() {}

  /**
   * The subject CN of the client certificate the TLS handshake verified, or null when the call came
   * without TLS, without a client certificate, or with a certificate whose subject has no CN.
   */
  static @Nullable String subjectCommonName(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return null;
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException noClientCertificate) {
      return null;
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return null;
    }
    try {
      String commonName = null;
      // The most specific CN is the last one in RFC 2253 order, the first in LdapName's.
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          commonName = rdn.getValue().toString();
        }
      }
      return commonName == null || commonName.isBlank() ? null : commonName;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
