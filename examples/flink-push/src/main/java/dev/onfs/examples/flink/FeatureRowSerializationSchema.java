package dev.onfs.examples.flink;

import static java.util.Objects.requireNonNull;

import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.FeatureRows;
import dev.onfs.ingest.kafka.PersistQueryCodec;
import dev.onfs.ingest.kafka.SchemaCatalog;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

/**
 * Serializes {@link FeatureRow}s for Flink's {@code KafkaSink}: one {@code persist.Query} record per
 * row, checked against the registry (a bad row fails the job with a message naming the feature),
 * keyed by the entity key values and sent to the partition Kafka's default partitioner would pick,
 * so every update of an entity stays in order on one partition.
 *
 * <pre>{@code
 * KafkaSink<FeatureRow> sink = KafkaSink.<FeatureRow>builder()
 *     .setBootstrapServers(brokers)
 *     .setRecordSerializer(new FeatureRowSerializationSchema(topic, CatalogSource.registryFile("/etc/onfs/registry.yaml")))
 *     .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
 *     .build();
 * }</pre>
 */
public final class FeatureRowSerializationSchema implements KafkaRecordSerializationSchema<FeatureRow> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final CatalogSource catalogSource;
  private transient @Nullable SchemaCatalog catalog;

  public FeatureRowSerializationSchema(String topic, CatalogSource catalogSource) {
    this.topic = requireNonNull(topic, "topic is null");
    this.catalogSource = requireNonNull(catalogSource, "catalogSource is null");
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    catalog = catalogSource.get();
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(FeatureRow row, KafkaSinkContext context, @Nullable Long timestamp) {
    SchemaCatalog schemas = catalog;
    if (schemas == null) {
      throw new IllegalStateException("open() was not called");
    }
    byte[] value = PersistQueryCodec.encode(FeatureRows.toQuery(List.of(row), schemas));
    byte[] key = FeatureRows.key(row);
    int[] partitions = context.getPartitionsForTopic(topic);
    Integer partition = partitions.length == 0 ? null : partitions[FeatureRows.partition(key, partitions.length)];
    return new ProducerRecord<>(topic, partition, timestamp, key, value);
  }
}
