/**
 * Java SDK for an OnFS server, or the reference server, over gRPC.
 *
 * <pre>{@code
 * try (OnfsClient client = OnfsClient.builder()
 *     .target("localhost:8089").plaintext()
 *     .credentials("demo-reader", "demo-token")
 *     .build()) {
 *   RetrieveResult result = client.retrieve(query);
 *   float score = result.rows().get(0).getFloat(0);
 * }
 * }</pre>
 *
 * <p>{@link dev.onfs.client.OnfsClient} splits large key lists into batches sent in parallel, retries
 * reads (never writes) on UNAVAILABLE and DEADLINE_EXCEEDED with exponential backoff, and reports
 * each call to an {@link dev.onfs.client.OnfsClientListener}. Against an OnFS server, result rows
 * decode their cells with typed getters and tell stored values from defaults, as embedded results do.
 */
@NullMarked
package dev.onfs.client;

import org.jspecify.annotations.NullMarked;
