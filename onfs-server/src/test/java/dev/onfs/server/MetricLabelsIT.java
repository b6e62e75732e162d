package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.grpc.OnfsHeaders;
import dev.onfs.proto.persist.Data;
import dev.onfs.proto.persist.FeatureGroupSchema;
import dev.onfs.proto.persist.FeatureValues;
import dev.onfs.proto.persist.Values;
import dev.onfs.proto.retrieve.FeatureGroup;
import dev.onfs.proto.retrieve.Keys;
import dev.onfs.proto.retrieve.Query;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Entity and feature-group labels sent by callers never become metric tags: thousands of made-up
 * (and megabyte-long) labels leave the scrape the size it was.
 */
class MetricLabelsIT {
  private static final String MARK = "callermade";
  private static final int CALLS = 2_000;

  @Test
  void unknownLabelsDoNotGrowTheScrape() throws Exception {
    try (OnfsServer server = AdminHttp.launchDemo()) {
      ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.grpcPort(),
          InsecureChannelCredentials.create()).maxInboundMessageSize(8 << 20).build();
      try {
        Random random = new Random(7);
        var interceptor = MetadataUtils.newAttachHeadersInterceptor(OnfsHeaders.of("test", "test"));
        var retrieve = dev.onfs.proto.retrieve.FeatureServiceGrpc.newBlockingStub(channel).withInterceptors(interceptor);
        var persist = dev.onfs.proto.persist.FeatureServiceGrpc.newBlockingStub(channel).withInterceptors(interceptor);
        // Every kind of call once, so that the meters a kind creates for "unknown" exist before the baseline.
        for (int i = 0; i < 8; i++) {
          call(retrieve, persist, i, random);
        }
        int before = AdminHttp.get(server.httpPort(), "/metrics").body().length();

        for (int i = 0; i < CALLS; i++) {
          call(retrieve, persist, i, random);
        }
        String after = AdminHttp.get(server.httpPort(), "/metrics").body();
        // JVM meters may add a series or two meanwhile (a new GC cause); labels would add megabytes.
        assertThat(after.length() - before).as("scrape growth in bytes").isLessThan(8 * 1024);
        assertThat(after.contains(MARK)).as("the scrape holds a caller's label").isFalse();
        assertThat(after).contains("onfs_errors_total{code=\"UNKNOWN_ENTITY\",entity=\"unknown\"}");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Call {@code i}: retrieves and persists of made-up entities, or of made-up feature groups of the real one. */
  private static void call(dev.onfs.proto.retrieve.FeatureServiceGrpc.FeatureServiceBlockingStub retrieve,
      dev.onfs.proto.persist.FeatureServiceGrpc.FeatureServiceBlockingStub persist, int i, Random random) {
    String label = i % 100 == 3 ? MARK + "x".repeat(1 << 20) : MARK + "-" + random.nextLong();
    boolean realEntity = i % 4 >= 2;
    String entity = realEntity ? "user" : label;
    String group = realEntity ? label : "user_stats";
    try {
      if (i % 2 == 0) {
        retrieve.retrieveFeatures(Query.newBuilder().setEntityLabel(entity).addKeysSchema("user_id")
            .addFeatureGroups(FeatureGroup.newBuilder().setLabel(group).addFeatureLabels("ctr"))
            .addKeys(Keys.newBuilder().addCols("1")).build());
      } else {
        persist.persistFeatures(dev.onfs.proto.persist.Query.newBuilder().setEntityLabel(entity).addKeysSchema("user_id")
            .addFeatureGroupSchema(FeatureGroupSchema.newBuilder().setLabel(group).addFeatureLabels("ctr"))
            .addData(Data.newBuilder().addKeyValues("1").addFeatureValues(
                FeatureValues.newBuilder().setValues(Values.newBuilder().addFp32Values(0.5))))
            .build());
      }
    } catch (StatusRuntimeException expected) {
      // Unknown entities and feature groups are refused; the refusal is what gets measured.
    }
  }
}
