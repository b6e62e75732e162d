/**
 * The reference-compatible gRPC edge: caller authentication from metadata, the mapping of
 * {@link dev.onfs.core.OnfsException} to gRPC statuses, and the {@code persist.FeatureService} and
 * {@code retrieve.FeatureService} implementations over the transport-neutral core services.
 *
 * <p>The service stubs are generated into {@code dev.onfs.proto.persist} and
 * {@code dev.onfs.proto.retrieve}, next to the messages that module {@code onfs-proto} generates.
 */
@NullMarked
package dev.onfs.grpc;

import org.jspecify.annotations.NullMarked;
