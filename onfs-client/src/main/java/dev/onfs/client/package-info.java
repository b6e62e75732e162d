/**
 * Java SDK for an OnFS server, or the reference server, over gRPC.
 *
 * <pre>{@code
 * try (OnfsClient client = OnfsClient.builder()
 *     .target("localhost:8089").plaintext()
 *     .credentials("demo-reader", "demo-token")
 *     .build()) {
 *   RetrieveResult result = client.retrieve(query);
 *   float score = CellDecoder.toFloat(result.rows().get(0).column(0), DataType.FP16);
 * }
 * }</pre>
 *
 * <p>{@link dev.onfs.client.OnfsClient} splits large key lists into batches sent in parallel, retries
 * reads (never writes) on UNAVAILABLE and DEADLINE_EXCEEDED with exponential backoff, and reports
 * each call to an {@link dev.onfs.client.OnfsClientListener}. {@link dev.onfs.client.CellDecoder}
 * turns binary cells into Java values per data type.
 */
@NullMarked
package dev.onfs.client;

import org.jspecify.annotations.NullMarked;
