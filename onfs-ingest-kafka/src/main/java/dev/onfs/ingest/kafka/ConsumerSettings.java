package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Immutable settings of one {@link FeatureConsumer}; build with {@link #builder()}. */
public final class ConsumerSettings {
  /** The reference's default ingestion topic. */
  public static final String DEFAULT_TOPIC = "online-feature-store.feature_ingestion";

  private final String bootstrapServers;
  private final String topic;
  private final String groupId;
  private final String clientId;
  private final @Nullable String deadLetterTopic;
  private final Duration pollTimeout;
  private final int maxPollRecords;
  private final int writeBatchRows;
  private final String autoOffsetReset;
  private final Backoff backoff;
  private final KafkaSecurity security;
  private final Map<String, String> kafkaProperties;

  private ConsumerSettings(Builder b) {
    this.bootstrapServers = requireNonNull(b.bootstrapServers, "bootstrapServers is not set");
    this.topic = b.topic;
    this.groupId = b.groupId;
    this.clientId = b.clientId;
    this.deadLetterTopic = b.deadLetterTopic;
    this.pollTimeout = b.pollTimeout;
    this.maxPollRecords = b.maxPollRecords;
    this.writeBatchRows = b.writeBatchRows;
    this.autoOffsetReset = b.autoOffsetReset;
    this.backoff = b.backoff;
    this.security = b.security;
    this.kafkaProperties = Map.copyOf(b.kafkaProperties);
  }

  public static Builder builder() {
    return new Builder();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String topic() {
    return topic;
  }

  public String groupId() {
    return groupId;
  }

  public String clientId() {
    return clientId;
  }

  /** The dead-letter topic; empty means invalid records are logged, counted and skipped. */
  public Optional<String> deadLetterTopic() {
    return Optional.ofNullable(deadLetterTopic);
  }

  public Duration pollTimeout() {
    return pollTimeout;
  }

  public int maxPollRecords() {
    return maxPollRecords;
  }

  /** Rows per store write; a poll batch with more rows is written in a few such writes. */
  public int writeBatchRows() {
    return writeBatchRows;
  }

  public String autoOffsetReset() {
    return autoOffsetReset;
  }

  public Backoff backoff() {
    return backoff;
  }

  /** Protocol, SASL credentials and TLS of every Kafka client of the consumer. */
  public KafkaSecurity security() {
    return security;
  }

  /**
   * Every client's properties: those of {@link #security()}, then {@link #kafkaProperties()} (which
   * win, so any Kafka setting can still be given as is).
   */
  public Map<String, String> clientProperties() {
    Map<String, String> properties = new LinkedHashMap<>(security.clientProperties());
    properties.putAll(kafkaProperties);
    return properties;
  }

  /** Extra Kafka client properties (tuning, or security settings {@link KafkaSecurity} does not model), as given. */
  public Map<String, String> kafkaProperties() {
    return kafkaProperties;
  }

  /** A copy with another client id (each consumer of a group gets its own). */
  public ConsumerSettings withClientId(String clientId) {
    Builder b = toBuilder();
    b.clientId(clientId);
    return b.build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.bootstrapServers = bootstrapServers;
    b.topic = topic;
    b.groupId = groupId;
    b.clientId = clientId;
    b.deadLetterTopic = deadLetterTopic;
    b.pollTimeout = pollTimeout;
    b.maxPollRecords = maxPollRecords;
    b.writeBatchRows = writeBatchRows;
    b.autoOffsetReset = autoOffsetReset;
    b.backoff = backoff;
    b.security = security;
    b.kafkaProperties.putAll(kafkaProperties);
    return b;
  }

  /** Validates each setting as it is set. */
  public static final class Builder {
    private @Nullable String bootstrapServers;
    private String topic = DEFAULT_TOPIC;
    private String groupId = "onfs-consumer";
    private String clientId = "onfs-consumer";
    private @Nullable String deadLetterTopic;
    private Duration pollTimeout = Duration.ofMillis(500);
    private int maxPollRecords = 2000;
    private int writeBatchRows = 10_000;
    private String autoOffsetReset = "earliest";
    private Backoff backoff = Backoff.defaults();
    private KafkaSecurity security = KafkaSecurity.none();
    private final Map<String, String> kafkaProperties = new LinkedHashMap<>();

    private Builder() {}

    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = nonBlank(servers, "bootstrapServers");
      return this;
    }

    public Builder topic(String topic) {
      this.topic = nonBlank(topic, "topic");
      return this;
    }

    public Builder groupId(String groupId) {
      this.groupId = nonBlank(groupId, "groupId");
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = nonBlank(clientId, "clientId");
      return this;
    }

    /** Null or blank disables the dead-letter topic. */
    public Builder deadLetterTopic(@Nullable String topic) {
      this.deadLetterTopic = topic == null || topic.isBlank() ? null : topic.trim();
      return this;
    }

    public Builder pollTimeout(Duration timeout) {
      requireNonNull(timeout, "pollTimeout is null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("pollTimeout must be positive: " + timeout);
      }
      this.pollTimeout = timeout;
      return this;
    }

    public Builder maxPollRecords(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("maxPollRecords must be >= 1: " + records);
      }
      this.maxPollRecords = records;
      return this;
    }

    public Builder writeBatchRows(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("writeBatchRows must be >= 1: " + rows);
      }
      this.writeBatchRows = rows;
      return this;
    }

    public Builder autoOffsetReset(String reset) {
      requireNonNull(reset, "autoOffsetReset is null");
      if (!reset.equals("earliest") && !reset.equals("latest") && !reset.equals("none")) {
        throw new IllegalArgumentException("autoOffsetReset must be earliest, latest or none: " + reset);
      }
      this.autoOffsetReset = reset;
      return this;
    }

    public Builder backoff(Backoff backoff) {
      this.backoff = requireNonNull(backoff, "backoff is null");
      return this;
    }

    /** Protocol, SASL credentials and TLS (default: PLAINTEXT). */
    public Builder security(KafkaSecurity security) {
      this.security = requireNonNull(security, "security is null");
      return this;
    }

    /** Any Kafka client property; {@code enable.auto.commit} cannot be turned on. */
    public Builder kafkaProperty(String name, String value) {
      nonBlank(name, "kafka property name");
      requireNonNull(value, "value of kafka property " + name + " is null");
      if (name.equals("enable.auto.commit") && !value.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(
            "enable.auto.commit must stay false: offsets are committed only after the store acknowledged the rows");
      }
      kafkaProperties.put(name, value);
      return this;
    }

    public ConsumerSettings build() {
      return new ConsumerSettings(this);
    }

    private static String nonBlank(@Nullable String value, String name) {
      requireNonNull(value, name + " is null");
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " is blank");
      }
      return value.trim();
    }
  }
}
