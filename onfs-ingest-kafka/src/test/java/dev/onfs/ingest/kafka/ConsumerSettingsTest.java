package dev.onfs.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class ConsumerSettingsTest {
  private static ConsumerSettings.Builder builder() {
    return ConsumerSettings.builder().bootstrapServers("b:9092");
  }

  @Test
  void staticMembershipByDefaultWithAStableIdPerHostAndConsumer() {
    ConsumerSettings settings = builder().clientId("ingest").build();
    String id = settings.groupInstanceId().orElseThrow();
    assertThat(id).endsWith("-ingest").matches("[a-zA-Z0-9._-]+");
    assertThat(builder().clientId("ingest").build().groupInstanceId()).as("the same after a restart").contains(id);
    // Each consumer of a group gets its own, following its client id.
    assertThat(settings.forMember(0).groupInstanceId()).contains(id + "-0");
    assertThat(settings.forMember(2).groupInstanceId()).contains(id + "-2");
    assertThat(settings.forMember(2).clientId()).isEqualTo("ingest-2");
    assertThat(settings.sessionTimeout()).isEqualTo(ConsumerSettings.DEFAULT_SESSION_TIMEOUT);

    Properties p = FeatureConsumer.consumerProperties(settings);
    assertThat(p).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id)
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
  }

  @Test
  void aGivenIdIsSuffixedPerConsumerAndBlankTurnsStaticMembershipOff() {
    ConsumerSettings pod = builder().groupInstanceId("onfs-consume-2").sessionTimeout(Duration.ofSeconds(10)).build();
    assertThat(pod.groupInstanceId()).contains("onfs-consume-2");
    assertThat(pod.forMember(1).groupInstanceId()).contains("onfs-consume-2-1");
    assertThat(FeatureConsumer.consumerProperties(pod)).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");

    ConsumerSettings dynamic = builder().groupInstanceId(" ").build();
    assertThat(dynamic.groupInstanceId()).isEmpty();
    assertThat(dynamic.forMember(0).groupInstanceId()).isEmpty();
    assertThat(FeatureConsumer.consumerProperties(dynamic)).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }

  @Test
  void badIdsAndPropertiesThatBypassTheSettingsAreRefused() {
    assertThatThrownBy(() -> builder().groupInstanceId("pod 1"))
        .hasMessageContaining("groupInstanceId 'pod 1' contains ' '");
    assertThatThrownBy(() -> builder().groupInstanceId("x".repeat(250))).hasMessageContaining("1 to 249 characters");
    assertThatThrownBy(() -> builder().kafkaProperty("group.instance.id", "a"))
        .hasMessageContaining("set group-instance-id (groupInstanceId) instead");
    assertThatThrownBy(() -> builder().kafkaProperty("session.timeout.ms", "6000"))
        .hasMessageContaining("set session-timeout-ms (sessionTimeout) instead");
    assertThatThrownBy(() -> builder().sessionTimeout(Duration.ofMillis(10))).hasMessageContaining("at least 1 s");
  }
}
