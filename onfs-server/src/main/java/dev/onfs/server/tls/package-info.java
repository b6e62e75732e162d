/**
 * TLS on the server's own ports: the certificate and key (PEM files) both ports present, the client
 * CA that mutual TLS checks callers against, and the watch that swaps in new files without a restart.
 */
@NullMarked
package dev.onfs.server.tls;

import org.jspecify.annotations.NullMarked;
