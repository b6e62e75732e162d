/**
 * The {@code onfs consume} command: Kafka ingestion consumers with the server's configuration style
 * (flags, environment, config file) and Micrometer metrics ({@code onfs.ingest.*}).
 */
@NullMarked
package dev.onfs.server.cli.consume;

import org.jspecify.annotations.NullMarked;
