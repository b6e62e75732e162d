package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.PersistResult;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls over the server's or a caller's concurrency bound are refused at once; slots come back on every ending. */
class CallLimitInterceptorTest {
  private static final RetrieveQuery QUERY = new RetrieveQuery("user",
      List.of(new RetrieveQuery.FeatureGroup("fg", List.of("a"))), List.of("user_id"), List.of(RetrieveQuery.Keys.of("1")));

  /** Retrieves wait until the test releases them. */
  private static final class GatedStore implements OnlineFeatureStore {
    final Semaphore started = new Semaphore(0);
    final CompletableFuture<Void> gate = new CompletableFuture<>();

    @Override
    public RetrieveResult retrieve(RetrieveQuery query) {
      started.release();
      gate.join();
      return new RetrieveResult(query.entityLabel(), query.keysSchema(), List.of(), List.of());
    }

    @Override
    public DecodedResult retrieveDecoded(RetrieveQuery query) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PersistResult persist(PersistQuery query) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<RetrieveResult> retrieveAsync(RetrieveQuery query) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<DecodedResult> retrieveDecodedAsync(RetrieveQuery query) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<PersistResult> persistAsync(PersistQuery query) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  private final GatedStore store = new GatedStore();
  private final CallLimitInterceptor limiter = new CallLimitInterceptor(3, 2);
  private ExecutorService executor;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    executor = Executors.newCachedThreadPool();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).executor(executor)
        .addService(ServerInterceptors.intercept(new RetrieveGrpcService(store), limiter)).build().start();
    channel = InProcessChannelBuilder.forName(name).executor(executor).build();
  }

  @AfterEach
  void stop() throws Exception {
    store.gate.complete(null);
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    executor.shutdownNow();
  }

  private RetrieveResult retrieveNow(String caller, CallOptions options) {
    return ClientCalls.blockingUnaryCall(
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(OnfsHeaders.of(caller, "token"))),
        RetrieveMethods.RETRIEVE_FEATURES, options, QUERY);
  }

  private RetrieveResult retrieveNow(String caller) {
    return retrieveNow(caller, CallOptions.DEFAULT);
  }

  private CompletableFuture<RetrieveResult> retrieve(String caller) {
    return CompletableFuture.supplyAsync(() -> retrieveNow(caller), executor);
  }

  private static void assertRefused(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getStatus().getDescription()).isEqualTo(message);
    });
  }

  @Test
  void callsOverEitherBoundAreRefusedUntilSlotsAreGivenBack() throws Exception {
    List<CompletableFuture<RetrieveResult>> held = new ArrayList<>();
    held.add(retrieve("a"));
    held.add(retrieve("a"));
    assertThat(store.started.tryAcquire(2, 10, TimeUnit.SECONDS)).isTrue();
    assertRefused(() -> retrieveNow("a"),
        "server busy: concurrent calls limit 2 of caller 'a' reached (option max-concurrent-calls-per-caller); retry later");
    held.add(retrieve("b"));
    assertThat(store.started.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();
    assertRefused(() -> retrieveNow("c"),
        "server busy: concurrent calls limit 3 reached (option max-concurrent-calls); retry later");
    assertThat(limiter.inFlight()).isEqualTo(3);

    store.gate.complete(null);
    for (CompletableFuture<RetrieveResult> call : held) {
      assertThat(call.get(10, TimeUnit.SECONDS).entityLabel()).isEqualTo("user");
    }
    assertThat(retrieveNow("a").entityLabel()).isEqualTo("user");
    assertThat(retrieveNow("c").entityLabel()).isEqualTo("user");
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void aCallWhoseClientGaveUpHoldsItsSlotUntilItsHandlerReturns() throws Exception {
    CompletableFuture<Status> closed = new CompletableFuture<>();
    ClientCall<RetrieveQuery, RetrieveResult> call = channel.newCall(RetrieveMethods.RETRIEVE_FEATURES, CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, OnfsHeaders.of("a", "token"));
    call.request(1);
    call.sendMessage(QUERY);
    call.halfClose();
    assertThat(store.started.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();
    call.cancel("the client gave up", null);
    assertThat(closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
    // The thread running it is still taken, so is the slot: admission counts the work, not the client.
    assertThat(limiter.inFlight()).isEqualTo(1);
    store.gate.complete(null);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (limiter.inFlight() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void boundsMustBeSensible() {
    assertThatThrownBy(() -> new CallLimitInterceptor(0, 0)).hasMessage("maxCalls must be positive, got 0");
    assertThatThrownBy(() -> new CallLimitInterceptor(1, -1)).hasMessage("maxCallsPerCaller must not be negative, got -1");
  }
}
