/**
 * ScyllaDB and Cassandra storage for OnFS, on the Apache Cassandra Java driver.
 *
 * <p>The reference's table layout: one table per store, the entity's primary-key columns typed
 * {@code text} (one composite partition key), and {@code seg_<n> blob} columns. A feature group's PSDB
 * block is cut into pieces of the store's column size and spread over the feature group's columns in
 * order; reading joins its columns back in the same order. {@link dev.onfs.storage.scylla.ScyllaSchema}
 * creates tables and adds columns as the reference's control plane does.
 */
@NullMarked
package dev.onfs.storage.scylla;

import org.jspecify.annotations.NullMarked;
