package dev.onfs.client;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.FeatureSchema;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.PersistResult;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.grpc.GrpcStatuses;
import dev.onfs.grpc.OnfsHeaders;
import dev.onfs.grpc.RetrieveMethods;
import dev.onfs.proto.ProtoMapping;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe client of the {@code retrieve} and {@code persist} services. Build one per process
 * with {@link #builder()}, share it, close it at the end.
 *
 * <p>It is an {@link OnlineFeatureStore}: code written against that interface runs embedded or against
 * a server unchanged. Against an OnFS server, results carry each column's data type (so rows' typed
 * getters work) and mark the cells that hold registry defaults, as embedded results do; the reference
 * server sends neither, so against it typed getters fail naming the column and no cell reads as a
 * default.
 *
 * <p>Every method throws {@link OnfsException} (async variants complete exceptionally with it), with
 * the server's message prefixed by the gRPC status, and the server's error code (from its
 * {@code onfs-error-code} trailer; without one, the code closest to the status).
 * {@link #limits()} are the defaults: the server enforces its own.
 */
public final class OnfsClient implements OnlineFeatureStore {
  private final @Nullable ManagedChannel ownedChannel;
  private final Channel channel;
  private final OnfsClientBuilder config;
  private final ScheduledExecutorService retryTimer;

  OnfsClient(OnfsClientBuilder builder) {
    this.config = builder;
    ManagedChannel managed;
    if (builder.channel != null) {
      managed = builder.channel;
      this.ownedChannel = null;
    } else {
      managed = Grpc.newChannelBuilder(builder.target, channelCredentials(builder))
          .maxInboundMessageSize(builder.maxInboundMessageBytes)
          .defaultLoadBalancingPolicy("round_robin")
          .build();
      this.ownedChannel = managed;
    }
    // Without credentials the client certificate identifies the caller; no headers are sent.
    this.channel = builder.callerId == null || builder.authToken == null ? managed
        : ClientInterceptors.intercept(managed,
            MetadataUtils.newAttachHeadersInterceptor(OnfsHeaders.of(builder.callerId, builder.authToken)));
    this.retryTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "onfs-client-retry");
      thread.setDaemon(true);
      return thread;
    });
  }

  private static ChannelCredentials channelCredentials(OnfsClientBuilder builder) {
    if (builder.plaintext) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    try {
      if (builder.trustedCa != null) {
        tls.trustManager(builder.trustedCa.toFile());
      }
      if (builder.clientCertificate != null && builder.clientKey != null) {
        tls.keyManager(builder.clientCertificate.toFile(), builder.clientKey.toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TLS files: " + e.getMessage(), e);
    }
    return tls.build();
  }

  public static OnfsClientBuilder builder() {
    return new OnfsClientBuilder();
  }

  /** Reads binary cells; the rows' typed getters turn them into Java values. */
  @Override
  public RetrieveResult retrieve(RetrieveQuery query) {
    if (query.keys().size() <= config.batchSize) {
      return blockingCall(RetrieveMethods.RETRIEVE_FEATURES, query, query.keys().size());
    }
    return join(retrieveAsync(query));
  }

  /** Reads cells rendered as text by the server. */
  @Override
  public DecodedResult retrieveDecoded(RetrieveQuery query) {
    if (query.keys().size() <= config.batchSize) {
      return ProtoMapping.toCore(blockingCall(RetrieveMethods.RETRIEVE_DECODED_RESULT, query, query.keys().size()));
    }
    return join(retrieveDecodedAsync(query));
  }

  /** Writes rows in one call (never retried). */
  @Override
  public PersistResult persist(PersistQuery query) {
    return join(persistAsync(query));
  }

  @Override
  public CompletableFuture<RetrieveResult> retrieveAsync(RetrieveQuery query) {
    return batched(query, RetrieveMethods.RETRIEVE_FEATURES, Function.identity(), OnfsClient::concatRows);
  }

  @Override
  public CompletableFuture<DecodedResult> retrieveDecodedAsync(RetrieveQuery query) {
    return batched(query, RetrieveMethods.RETRIEVE_DECODED_RESULT, ProtoMapping::toCore, OnfsClient::concatDecoded);
  }

  @Override
  public CompletableFuture<PersistResult> persistAsync(PersistQuery query) {
    int rows = query.data().size();
    return call(dev.onfs.proto.persist.FeatureServiceGrpc.getPersistFeaturesMethod(), ProtoMapping.toProto(query),
        rows, false)
        .thenApply(result -> new PersistResult(result.getMessage(), rows));
  }

  @Override
  public void close() {
    retryTimer.shutdownNow();
    if (ownedChannel != null) {
      ownedChannel.shutdown();
      try {
        if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
          ownedChannel.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedChannel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private <P, R> CompletableFuture<R> batched(RetrieveQuery query,
      MethodDescriptor<RetrieveQuery, P> method, Function<P, R> toCore,
      Function<List<R>, R> concat) {
    List<RetrieveQuery.Keys> keys = query.keys();
    int batch = config.batchSize;
    if (keys.size() <= batch) {
      return call(method, query, keys.size(), true).thenApply(toCore);
    }
    List<CompletableFuture<R>> parts = new ArrayList<>((keys.size() + batch - 1) / batch);
    for (int from = 0; from < keys.size(); from += batch) {
      List<RetrieveQuery.Keys> slice = keys.subList(from, Math.min(keys.size(), from + batch));
      RetrieveQuery part = new RetrieveQuery(query.entityLabel(), query.featureGroups(), query.keysSchema(), slice);
      parts.add(call(method, part, slice.size(), true).thenApply(toCore));
    }
    // Unlike the reference SDKs, a failed batch fails the whole call instead of dropping its rows.
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
      List<R> results = new ArrayList<>(parts.size());
      for (CompletableFuture<R> part : parts) {
        results.add(part.join());
      }
      return concat.apply(results);
    });
  }

  private <Q, P> CompletableFuture<P> call(MethodDescriptor<Q, P> method, Q request, int keys, boolean retryable) {
    CompletableFuture<P> result = new CompletableFuture<>();
    attempt(method, request, keys, retryable, 1, result);
    return result;
  }

  private <Q, P> void attempt(MethodDescriptor<Q, P> method, Q request, int keys, boolean retryable, int attempt,
      CompletableFuture<P> result) {
    long start = System.nanoTime();
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(config.deadline.toNanos(), TimeUnit.NANOSECONDS);
    ListenableFuture<P> future = ClientCalls.futureUnaryCall(channel.newCall(method, options), request);
    Futures.addCallback(future, new FutureCallback<P>() {
      @Override
      public void onSuccess(@Nullable P response) {
        config.listener.onCall(method.getFullMethodName(), "OK", keys, System.nanoTime() - start);
        result.complete(response);
      }

      @Override
      public void onFailure(Throwable error) {
        Status status = Status.fromThrowable(error);
        config.listener.onCall(method.getFullMethodName(), status.getCode().name(), keys, System.nanoTime() - start);
        if (retryable && attempt <= config.maxRetries && isRetryable(status) && !retryTimer.isShutdown()) {
          config.listener.onRetry(method.getFullMethodName(), status.getCode().name(), attempt + 1);
          try {
            retryTimer.schedule(() -> attempt(method, request, keys, true, attempt + 1, result),
                retryDelayNanos(attempt), TimeUnit.NANOSECONDS);
            return;
          } catch (java.util.concurrent.RejectedExecutionException closed) {
            // client closed meanwhile: report the failure below
          }
        }
        result.completeExceptionally(failure(error instanceof StatusRuntimeException
            ? (StatusRuntimeException) error : status.asRuntimeException()));
      }
    }, MoreExecutors.directExecutor());
  }

  /**
   * One retryable call on the caller's thread: gRPC delivers the response to this thread (no executor
   * hand-off), which on a small machine saves a scheduling delay per call. Same retries and listener
   * calls as the async path.
   */
  private <Q, P> P blockingCall(MethodDescriptor<Q, P> method, Q request, int keys) {
    for (int attempt = 1; ; attempt++) {
      long start = System.nanoTime();
      CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(config.deadline.toNanos(), TimeUnit.NANOSECONDS);
      try {
        P response = ClientCalls.blockingUnaryCall(channel, method, options, request);
        config.listener.onCall(method.getFullMethodName(), "OK", keys, System.nanoTime() - start);
        return response;
      } catch (StatusRuntimeException error) {
        Status status = error.getStatus();
        config.listener.onCall(method.getFullMethodName(), status.getCode().name(), keys, System.nanoTime() - start);
        if (attempt > config.maxRetries || !isRetryable(status) || retryTimer.isShutdown()) {
          throw failure(error);
        }
        config.listener.onRetry(method.getFullMethodName(), status.getCode().name(), attempt + 1);
        try {
          TimeUnit.NANOSECONDS.sleep(retryDelayNanos(attempt));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw failure(error);
        }
      }
    }
  }

  /** The exception for a failed call; a TLS problem is named in words. */
  private OnfsException failure(StatusRuntimeException error) {
    OnfsException mapped = GrpcStatuses.toException(error);
    String tls = TlsFailures.explain(error.getStatus(), config.channel == null && config.plaintext);
    return tls == null ? mapped : new OnfsException(mapped.code(), mapped.getMessage() + " (" + tls + ")", error);
  }

  /** The wait before the retry after failed attempt {@code attempt}: doubling backoff plus up to half again. */
  private long retryDelayNanos(int attempt) {
    long base = config.retryBackoff.toNanos() << Math.min(attempt - 1, 16);
    return base + (base == 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 2 + 1));
  }

  private static boolean isRetryable(Status status) {
    return status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED;
  }

  private static RetrieveResult concatRows(List<RetrieveResult> parts) {
    RetrieveResult first = parts.get(0);
    List<RetrieveResult.Row> rows = new ArrayList<>();
    for (RetrieveResult part : parts) {
      rows.addAll(part.rows());
    }
    return new RetrieveResult(first.entityLabel(), first.keysSchema(), first.featureSchemas(), rows);
  }

  private static DecodedResult concatDecoded(List<DecodedResult> parts) {
    DecodedResult first = parts.get(0);
    List<FeatureSchema> schemas = first.featureSchemas();
    List<DecodedResult.DecodedRow> rows = new ArrayList<>();
    for (DecodedResult part : parts) {
      rows.addAll(part.rows());
    }
    return new DecodedResult(first.keysSchema(), schemas, rows);
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof OnfsException) {
        OnfsException cause = (OnfsException) e.getCause();
        // Rethrow on the caller's thread with its stack, keeping the code and message.
        throw new OnfsException(cause.code(), cause.getMessage(), cause);
      }
      throw e;
    }
  }
}
