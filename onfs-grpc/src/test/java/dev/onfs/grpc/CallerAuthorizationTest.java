package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.CallerScopes;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.registry.TokenHash;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.types.DataType;
import dev.onfs.proto.ProtoMapping;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every RPC against every kind of credential, through gRPC (in-process transport) into the real
 * retrieve and persist services over an in-memory store: who may call what, and which status and
 * message a refusal carries.
 */
class CallerAuthorizationTest {
  private static final int FAST = TokenHash.MIN_ITERATIONS;
  /** Hashes are costly to make: each stored token is hashed once per test class. */
  private static final String SCOPED_HASH = TokenHash.create("stok", FAST).encoded();
  private static final String JOB_HASH = TokenHash.create("jtok", FAST).encoded();
  private static final String NEW_HASH = TokenHash.create("new-tok", FAST).encoded();

  private InMemoryFeatureRegistry registry;
  private OnlineFeatureStore store;
  private Server server;
  private ManagedChannel channel;
  private final List<String> denials = new CopyOnWriteArrayList<>();

  /** The three RPCs, each as "call with these headers". */
  private enum Rpc {
    RETRIEVE_FEATURES, RETRIEVE_DECODED_RESULT, PERSIST_FEATURES;

    boolean writes() {
      return this == PERSIST_FEATURES;
    }
  }

  private static FeatureGroup group(String label, int id) {
    return FeatureGroup.builder(label).id(id).storeId("1").dataType(DataType.FP32).activeVersion(1)
        .column("seg_" + id, 13).version(FeatureVersion.builder(1).feature("f", new byte[4]).build()).build();
  }

  private static RegistrySnapshot registry(Caller... extra) {
    RegistrySnapshot.Builder b = RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "scylla", 1, "t", List.of(), 0))
        .entity(Entity.builder("user").key("user_id", "user_id")
            .featureGroup(group("user_stats", 0)).featureGroup(group("user_profile", 1)).build())
        .entity(Entity.builder("item").key("item_id", "item_id").featureGroup(group("item_stats", 0)).build())
        // The reference's form: plaintext, no scopes.
        .readerToken("ranker", "rtok")
        .reader(new Caller("scoped", SCOPED_HASH, null, new CallerScopes(Set.of("user"), Set.of("user:user_stats"))))
        .writer(new Caller("user_daily_job", JOB_HASH, null, new CallerScopes(null, Set.of("user:user_stats"))))
        .writerToken("loader", "ltok")
        .readerToken("dual", "dual-read")
        .writerToken("dual", "dual-write");
    for (Caller caller : extra) {
      b.reader(caller);
    }
    return b.build();
  }

  private void start(boolean readersMayPersist) throws Exception {
    registry = new InMemoryFeatureRegistry(registry());
    store = OnlineFeatureStore.builder().registry(registry).store(InMemoryStore.create()).build();
    CallerAuthInterceptor auth = CallerAuthInterceptor.create(CallerTokens.of(registry), readersMayPersist,
        (caller, reason) -> denials.add(caller + "/" + reason));
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new RetrieveGrpcService(store), auth))
        .addService(ServerInterceptors.intercept(new PersistGrpcService(store), auth))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
      store.close();
    }
  }

  private static RetrieveQuery read(String entity, String group) {
    return new RetrieveQuery(entity, List.of(new RetrieveQuery.FeatureGroup(group, List.of("f"))),
        List.of(entity + "_id"), List.of(RetrieveQuery.Keys.of("1")));
  }

  private static PersistQuery write(String entity, String group) {
    return new PersistQuery(entity, List.of(entity + "_id"), List.of(new PersistQuery.FeatureGroupSchema(group, List.of("f"))),
        List.of(new PersistQuery.Data(List.of("1"), List.of(Values.fp32(0.5)))));
  }

  /** Calls {@code rpc} on {@code group} of {@code entity}; returns a short description of the answer. */
  private String call(Rpc rpc, Metadata headers, String entity, String group) {
    var retrieve = dev.onfs.proto.retrieve.FeatureServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    var persist = dev.onfs.proto.persist.FeatureServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    switch (rpc) {
      case RETRIEVE_FEATURES:
        return "OK rows=" + retrieve.retrieveFeatures(ProtoMapping.toProto(read(entity, group))).getRowsCount();
      case RETRIEVE_DECODED_RESULT:
        return "OK rows=" + retrieve.retrieveDecodedResult(ProtoMapping.toProto(read(entity, group))).getRowsCount();
      default:
        return "OK " + persist.persistFeatures(ProtoMapping.toProto(write(entity, group))).getMessage();
    }
  }

  private void assertRefused(Rpc rpc, Metadata headers, String entity, String group, Status.Code code, String message) {
    assertThatThrownBy(() -> call(rpc, headers, entity, group)).as(rpc + " " + entity + ":" + group)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).isEqualTo(message);
        });
  }

  private static Metadata only(Metadata.Key<String> key, String value) {
    Metadata metadata = new Metadata();
    metadata.put(key, value);
    return metadata;
  }

  private static void forEachRpc(Function<Rpc, Void> body) {
    for (Rpc rpc : Rpc.values()) {
      body.apply(rpc);
    }
  }

  @Test
  void missingCredentialsAreInvalidArgumentsOnEveryRpc() throws Exception {
    start(false);
    forEachRpc(rpc -> {
      assertRefused(rpc, new Metadata(), "user", "user_stats", Status.Code.INVALID_ARGUMENT, "mandatory metadata are missing");
      assertRefused(rpc, only(OnfsHeaders.CALLER_ID_KEY, "ranker"), "user", "user_stats", Status.Code.INVALID_ARGUMENT,
          "online-feature-store-auth-token header is missing");
      assertRefused(rpc, only(OnfsHeaders.AUTH_TOKEN_KEY, "rtok"), "user", "user_stats", Status.Code.INVALID_ARGUMENT,
          "online-feature-store-caller-id header is missing");
      return null;
    });
    assertThat(denials).hasSize(9).containsOnly("unknown/missing-credentials");
  }

  @Test
  void unknownCallersAndWrongTokensAreUnauthenticatedOnEveryRpc() throws Exception {
    start(false);
    forEachRpc(rpc -> {
      String caller = rpc.writes() ? "loader" : "ranker";
      String hashed = rpc.writes() ? "user_daily_job" : "scoped";
      assertRefused(rpc, OnfsHeaders.of("stranger", "rtok"), "user", "user_stats", Status.Code.UNAUTHENTICATED, "Invalid auth token");
      assertRefused(rpc, OnfsHeaders.of(caller, "nope"), "user", "user_stats", Status.Code.UNAUTHENTICATED, "Invalid auth token");
      assertRefused(rpc, OnfsHeaders.of(caller, ""), "user", "user_stats", Status.Code.UNAUTHENTICATED, "Invalid auth token");
      assertRefused(rpc, OnfsHeaders.of(hashed, "nope"), "user", "user_stats", Status.Code.UNAUTHENTICATED, "Invalid auth token");
      // The stored hash is not a token.
      String stored = rpc.writes() ? JOB_HASH : SCOPED_HASH;
      assertRefused(rpc, OnfsHeaders.of(hashed, stored), "user", "user_stats", Status.Code.UNAUTHENTICATED, "Invalid auth token");
      return null;
    });
    assertThat(denials).contains("unknown/invalid-token", "ranker/invalid-token", "loader/invalid-token",
        "scoped/invalid-token", "user_daily_job/invalid-token");
  }

  @Test
  void readersReadAndWritersWriteWithPlaintextOrHashedTokens() throws Exception {
    start(false);
    assertThat(call(Rpc.RETRIEVE_FEATURES, OnfsHeaders.of("ranker", "rtok"), "item", "item_stats")).isEqualTo("OK rows=1");
    assertThat(call(Rpc.RETRIEVE_DECODED_RESULT, OnfsHeaders.of("scoped", "stok"), "user", "user_stats")).isEqualTo("OK rows=1");
    assertThat(call(Rpc.PERSIST_FEATURES, OnfsHeaders.of("user_daily_job", "jtok"), "user", "user_stats"))
        .isEqualTo("OK Data Persisted Successfully");
    assertThat(call(Rpc.PERSIST_FEATURES, OnfsHeaders.of("loader", "ltok"), "item", "item_stats"))
        .isEqualTo("OK Data Persisted Successfully");
    // One id registered in both roles, with a token for each.
    assertThat(call(Rpc.RETRIEVE_FEATURES, OnfsHeaders.of("dual", "dual-read"), "user", "user_stats")).isEqualTo("OK rows=1");
    assertThat(call(Rpc.PERSIST_FEATURES, OnfsHeaders.of("dual", "dual-write"), "user", "user_stats"))
        .isEqualTo("OK Data Persisted Successfully");
    assertThat(denials).isEmpty();
  }

  @Test
  void readersMayNotPersistAndWritersMayNotRead() throws Exception {
    start(false);
    for (Rpc rpc : List.of(Rpc.RETRIEVE_FEATURES, Rpc.RETRIEVE_DECODED_RESULT)) {
      assertRefused(rpc, OnfsHeaders.of("user_daily_job", "jtok"), "user", "user_stats", Status.Code.PERMISSION_DENIED,
          "caller 'user_daily_job' is not a registered reader; retrieval needs a reader's id and token (security readers)");
      assertRefused(rpc, OnfsHeaders.of("dual", "dual-write"), "user", "user_stats", Status.Code.PERMISSION_DENIED,
          "caller 'dual' is not a registered reader; retrieval needs a reader's id and token (security readers)");
    }
    assertRefused(Rpc.PERSIST_FEATURES, OnfsHeaders.of("ranker", "rtok"), "user", "user_stats", Status.Code.PERMISSION_DENIED,
        "caller 'ranker' is not a registered writer; persisting needs a writer's id and token (security writers)");
    assertRefused(Rpc.PERSIST_FEATURES, OnfsHeaders.of("dual", "dual-read"), "user", "user_stats", Status.Code.PERMISSION_DENIED,
        "caller 'dual' is not a registered writer; persisting needs a writer's id and token (security writers)");
    assertThat(denials).containsExactly("user_daily_job/not-a-reader", "dual/not-a-reader",
        "user_daily_job/not-a-reader", "dual/not-a-reader", "ranker/not-a-writer", "dual/not-a-writer");
    // Nothing was written by the refused persist.
    assertThat(call(Rpc.RETRIEVE_DECODED_RESULT, OnfsHeaders.of("ranker", "rtok"), "user", "user_stats")).isEqualTo("OK rows=1");
  }

  @Test
  void callersOutsideTheirScopesAreDeniedNamingTheScope() throws Exception {
    start(false);
    for (Rpc rpc : List.of(Rpc.RETRIEVE_FEATURES, Rpc.RETRIEVE_DECODED_RESULT)) {
      assertRefused(rpc, OnfsHeaders.of("scoped", "stok"), "item", "item_stats", Status.Code.PERMISSION_DENIED,
          "caller 'scoped' may not read entity 'item' (scope entities)");
      assertRefused(rpc, OnfsHeaders.of("scoped", "stok"), "user", "user_profile", Status.Code.PERMISSION_DENIED,
          "caller 'scoped' may not read feature group 'user_profile' of entity 'user' (scope feature-groups)");
    }
    assertRefused(Rpc.PERSIST_FEATURES, OnfsHeaders.of("user_daily_job", "jtok"), "user", "user_profile",
        Status.Code.PERMISSION_DENIED,
        "caller 'user_daily_job' may not write feature group 'user_profile' of entity 'user' (scope feature-groups)");
    assertRefused(Rpc.PERSIST_FEATURES, OnfsHeaders.of("user_daily_job", "jtok"), "item", "item_stats",
        Status.Code.PERMISSION_DENIED,
        "caller 'user_daily_job' may not write feature group 'item_stats' of entity 'item' (scope feature-groups)");
    assertThat(denials).containsExactly("scoped/scope-entities", "scoped/scope-feature-groups", "scoped/scope-entities",
        "scoped/scope-feature-groups", "user_daily_job/scope-feature-groups", "user_daily_job/scope-feature-groups");
  }

  @Test
  void oneOutOfScopeGroupRefusesTheWholeRequest() throws Exception {
    start(false);
    RetrieveQuery both = new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("f")),
        new RetrieveQuery.FeatureGroup("user_profile", List.of("f"))), List.of("user_id"), List.of(RetrieveQuery.Keys.of("1")));
    assertThatThrownBy(() -> dev.onfs.proto.retrieve.FeatureServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(OnfsHeaders.of("scoped", "stok")))
        .retrieveFeatures(ProtoMapping.toProto(both)))
        .hasMessage("PERMISSION_DENIED: caller 'scoped' may not read feature group 'user_profile' of entity 'user'"
            + " (scope feature-groups)");
  }

  @Test
  void theCompatibilitySwitchLetsReadersPersistWithinTheirScopes() throws Exception {
    start(true);
    assertThat(call(Rpc.PERSIST_FEATURES, OnfsHeaders.of("ranker", "rtok"), "user", "user_stats"))
        .isEqualTo("OK Data Persisted Successfully");
    assertThat(call(Rpc.PERSIST_FEATURES, OnfsHeaders.of("scoped", "stok"), "user", "user_stats"))
        .isEqualTo("OK Data Persisted Successfully");
    assertRefused(Rpc.PERSIST_FEATURES, OnfsHeaders.of("scoped", "stok"), "user", "user_profile", Status.Code.PERMISSION_DENIED,
        "caller 'scoped' may not write feature group 'user_profile' of entity 'user' (scope feature-groups)");
    // Writers still may not read.
    assertRefused(Rpc.RETRIEVE_FEATURES, OnfsHeaders.of("loader", "ltok"), "user", "user_stats", Status.Code.PERMISSION_DENIED,
        "caller 'loader' is not a registered reader; retrieval needs a reader's id and token (security readers)");
  }

  @Test
  void rotationAcceptsBothTokensThenRefusesTheRemovedOneWithoutRestart() throws Exception {
    start(false);
    Metadata oldToken = OnfsHeaders.of("scoped", "stok");
    Metadata newToken = OnfsHeaders.of("scoped", "new-tok");
    assertThat(call(Rpc.RETRIEVE_FEATURES, oldToken, "user", "user_stats")).isEqualTo("OK rows=1");
    // A client that moved early is refused until the registry lists its token...
    assertRefused(Rpc.RETRIEVE_FEATURES, newToken, "user", "user_stats", Status.Code.UNAUTHENTICATED, "Invalid auth token");
    Caller scoped = registry.snapshot().reader("scoped");
    registry.update(registry.snapshot().toBuilder().reader(scoped.withTokens(SCOPED_HASH, NEW_HASH)).build());
    // ...and accepted as soon as it does, while the old token still works.
    assertThat(call(Rpc.RETRIEVE_FEATURES, newToken, "user", "user_stats")).isEqualTo("OK rows=1");
    assertThat(call(Rpc.RETRIEVE_FEATURES, oldToken, "user", "user_stats")).isEqualTo("OK rows=1");
    // Promote the new token and drop the old one: the old token's cached success no longer counts.
    registry.update(registry.snapshot().toBuilder().reader(scoped.withTokens(NEW_HASH, null)).build());
    assertRefused(Rpc.RETRIEVE_FEATURES, oldToken, "user", "user_stats", Status.Code.UNAUTHENTICATED, "Invalid auth token");
    assertThat(call(Rpc.RETRIEVE_FEATURES, newToken, "user", "user_stats")).isEqualTo("OK rows=1");
    // A plaintext token removed from the registry stops working too.
    registry.update(registry.snapshot().toBuilder().readerToken("ranker", "rtok2").build());
    assertRefused(Rpc.RETRIEVE_FEATURES, OnfsHeaders.of("ranker", "rtok"), "user", "user_stats", Status.Code.UNAUTHENTICATED,
        "Invalid auth token");
  }

  @Test
  void anEmptyRegisteredTokenAuthenticatesNobody() throws Exception {
    start(false);
    registry.update(registry.snapshot().toBuilder().readerToken("blank", "").build());
    assertRefused(Rpc.RETRIEVE_FEATURES, OnfsHeaders.of("blank", ""), "user", "user_stats", Status.Code.UNAUTHENTICATED,
        "Invalid auth token");
  }
}
