/**
 * The reference-compatible protobuf contract without any gRPC dependency.
 *
 * <p>The generated messages live in {@code dev.onfs.proto.persist} (proto package {@code persist}) and
 * {@code dev.onfs.proto.retrieve} (proto package {@code retrieve}). A serialized
 * {@link dev.onfs.proto.persist.Query} is both the PersistFeatures request and the value of every Kafka
 * ingestion record, so the Kafka consumer and batch jobs decode it with this module alone.
 */
@NullMarked
package dev.onfs.proto;

import org.jspecify.annotations.NullMarked;
