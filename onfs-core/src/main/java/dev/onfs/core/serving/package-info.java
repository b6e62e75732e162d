/**
 * The embeddable feature store: its entry point {@link dev.onfs.core.serving.OnlineFeatureStore} and
 * builder, and transport-neutral serving: retrieve (cells as stored bytes), decoded retrieve (cells as
 * the reference's text) and persist, with request and result values that mirror the reference's
 * protobuf messages one to one so a transport maps them field by field.
 */
@NullMarked
package dev.onfs.core.serving;

import org.jspecify.annotations.NullMarked;
