/**
 * How the adapters secure their connections to a backend (Redis, Cassandra/ScyllaDB, etcd, Kafka):
 * {@link dev.onfs.core.backend.ClientTls} builds the client's TLS context from PEM files, and
 * {@link dev.onfs.core.backend.Secrets} reads passwords from files. JDK only, so that every adapter
 * parses certificates, keys and password files the same way and fails with the same messages.
 */
@NullMarked
package dev.onfs.core.backend;

import org.jspecify.annotations.NullMarked;
