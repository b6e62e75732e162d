/**
 * What the server hands the web console: {@link dev.onfs.server.console.FeatureSamples}, the sample
 * read through the feature store, and {@link dev.onfs.server.console.GroupWrites}, which counts the
 * rows persisted to each feature group for the console's freshness figures.
 */
@NullMarked
package dev.onfs.server.console;

import org.jspecify.annotations.NullMarked;
