/**
 * Test fixtures that start real servers (Redis, Redis Cluster, etcd, Kafka in KRaft mode and
 * Cassandra) as child processes bound to free loopback ports.
 *
 * <p>Each fixture is {@link java.io.Closeable}: {@code close()} stops the process and deletes its
 * data. Every started server is also stopped by a JVM shutdown hook, which is the only thing that
 * stops the {@code shared()} instances (one per test JVM; their {@code close()} does nothing).
 * Server output goes to {@code target/onfs-servers/<name>-<port>/server.log} of the calling module.
 * A server that cannot start fails with an {@link java.lang.IllegalStateException} naming what
 * failed, the tail of its log and what to install.
 */
@NullMarked
package dev.onfs.testing;

import org.jspecify.annotations.NullMarked;
