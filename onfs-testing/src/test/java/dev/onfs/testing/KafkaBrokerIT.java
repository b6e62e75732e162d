package dev.onfs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerIT {
  @Test
  void sharedBrokerCreatesTopicsAndDeliversRecords() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    assertThat(KafkaBroker.shared()).isSameAs(kafka);
    kafka.createTopic("onfs-it", 3);
    kafka.createTopic("onfs-it", 3); // idempotent

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertThat(admin.describeTopics(List.of("onfs-it")).allTopicNames().get().get("onfs-it").partitions())
          .hasSize(3);
    }

    produce(kafka, "onfs-it", 10);
    assertThat(consume(kafka, "onfs-it", 10)).hasSize(10).contains("key-0=value-0", "key-9=value-9");
  }

  @Test
  void restartedBrokerKeepsTopicsAndRecords() {
    try (KafkaBroker kafka = KafkaBroker.start()) {
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopic("durable", 1);
      produce(kafka, "durable", 3);
      kafka.stop();
      assertThat(Ports.isOpen(kafka.port())).isFalse();
      kafka.restart();
      assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(consume(kafka, "durable", 3)).containsExactly("key-0=value-0", "key-1=value-1", "key-2=value-2");
    }
  }

  @Test
  void saslSslBrokerDeliversToScramAndPlainClients(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    TestCertificates certs = TestCertificates.create(dir);
    try (KafkaBroker kafka = KafkaBroker.start(KafkaBroker.Options.builder()
        .tls(certs).sasl("alice", "alice-secret").build())) {
      assertThat(kafka.securityProtocol()).isEqualTo("SASL_SSL");
      kafka.createTopic("secured", 1);
      Map<String, String> scram = Map.of(
          "security.protocol", "SASL_SSL",
          "sasl.mechanism", "SCRAM-SHA-512",
          "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
              + " username=\"alice\" password=\"alice-secret\";",
          "ssl.truststore.type", "PEM",
          "ssl.truststore.location", certs.caFile().toString());
      produce(kafka, "secured", 2, scram);
      Map<String, String> plain = new java.util.HashMap<>(scram);
      plain.put("sasl.mechanism", "PLAIN");
      plain.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"alice\" password=\"alice-secret\";");
      assertThat(consume(kafka, "secured", 2, plain)).containsExactly("key-0=value-0", "key-1=value-1");
    }
  }

  private static void produce(KafkaBroker kafka, String topic, int count) {
    produce(kafka, topic, count, Map.of());
  }

  private static void produce(KafkaBroker kafka, String topic, int count, Map<String, String> security) {
    Properties properties = new Properties();
    properties.putAll(security);
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
             new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
      }
      producer.flush();
    }
  }

  private static List<String> consume(KafkaBroker kafka, String topic, int count) {
    return consume(kafka, topic, count, Map.of());
  }

  private static List<String> consume(KafkaBroker kafka, String topic, int count, Map<String, String> security) {
    Properties properties = new Properties();
    properties.putAll(security);
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "onfs-it-" + topic + "-" + System.nanoTime());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
             new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (seen.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          seen.add(record.key() + "=" + record.value());
        }
      }
    }
    return seen;
  }
}
