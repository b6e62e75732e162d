package dev.onfs.testing;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The kafka-clients calls of {@link KafkaBroker}, kept apart so that KafkaBroker can check for
 * kafka-clients first and fail with a clear message instead of a bare {@link NoClassDefFoundError}.
 */
final class KafkaAdmin {
  private static final long TIMEOUT_MILLIS = 30_000;

  private KafkaAdmin() {}

  static boolean brokerAnswers(String bootstrapServers) throws Exception {
    try (Admin admin = admin(bootstrapServers, 2_000)) {
      return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
    }
  }

  static void createTopic(String bootstrapServers, String name, int partitions) {
    try (Admin admin = admin(bootstrapServers, 10_000)) {
      try {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
            .all().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
      while (!hasLeaders(admin, name)) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("topic " + name + " has partitions without a leader after "
              + TIMEOUT_MILLIS + " ms on " + bootstrapServers);
        }
        Thread.sleep(50);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + name + " on " + bootstrapServers + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    }
  }

  private static boolean hasLeaders(Admin admin, String name) throws InterruptedException {
    try {
      Map<String, TopicDescription> topics =
          admin.describeTopics(List.of(name)).allTopicNames().get(5, TimeUnit.SECONDS);
      TopicDescription topic = topics.get(name);
      return topic != null && topic.partitions().stream().map(TopicPartitionInfo::leader).allMatch(l -> l != null);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  private static Admin admin(String bootstrapServers, int timeoutMillis) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Math.max(timeoutMillis, 3_000));
    properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "onfs-testing");
    return Admin.create(properties);
  }
}
