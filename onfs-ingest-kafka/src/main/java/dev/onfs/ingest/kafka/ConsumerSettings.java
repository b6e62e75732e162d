package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Immutable settings of one {@link FeatureConsumer}; build with {@link #builder()}. */
public final class ConsumerSettings {
  /** The reference's default ingestion topic. */
  public static final String DEFAULT_TOPIC = "online-feature-store.feature_ingestion";

  /**
   * The default session timeout: how long a consumer that is gone for good keeps its partitions,
   * and how long a restarting one may be away without the group rebalancing.
   */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(30);

  private static final int MAX_INSTANCE_ID_LENGTH = 249;

  private final String bootstrapServers;
  private final String topic;
  private final String groupId;
  private final String clientId;
  private final boolean staticMembership;
  private final @Nullable String groupInstanceId;
  private final Duration sessionTimeout;
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
    this.staticMembership = b.staticMembership;
    this.groupInstanceId = b.groupInstanceId;
    this.sessionTimeout = b.sessionTimeout;
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

  /**
   * The consumer's static group membership id (Kafka {@code group.instance.id}), or empty for
   * dynamic membership. A consumer that restarts with the same id takes its partitions back at once
   * instead of waiting for its old session to time out. Unless set, it is {@code <host
   * name>-<client id>}: stable across restarts on one host, or in one Kubernetes StatefulSet pod.
   */
  public Optional<String> groupInstanceId() {
    if (!staticMembership) {
      return Optional.empty();
    }
    if (groupInstanceId != null) {
      return Optional.of(groupInstanceId);
    }
    String host = HostName.VALUE;
    return host == null ? Optional.empty() : Optional.of(instanceId(host + "-" + clientId));
  }

  /** The group session timeout (Kafka {@code session.timeout.ms}). */
  public Duration sessionTimeout() {
    return sessionTimeout;
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

  /**
   * The settings of consumer {@code index} of a {@link FeatureConsumerGroup}: client id and a given
   * group instance id suffixed {@code -<index>} (a default instance id follows the client id).
   */
  ConsumerSettings forMember(int index) {
    Builder b = toBuilder();
    b.clientId(clientId + "-" + index);
    if (groupInstanceId != null) {
      b.groupInstanceId(groupInstanceId + "-" + index);
    }
    return b.build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.bootstrapServers = bootstrapServers;
    b.topic = topic;
    b.groupId = groupId;
    b.clientId = clientId;
    b.staticMembership = staticMembership;
    b.groupInstanceId = groupInstanceId;
    b.sessionTimeout = sessionTimeout;
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
    private boolean staticMembership = true;
    private @Nullable String groupInstanceId;
    private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
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

    /**
     * The static membership id (Kafka {@code group.instance.id}); it must be unique in the group and
     * stable across restarts of this consumer, e.g. a StatefulSet pod name. Null or blank turns static
     * membership off (a restarted consumer then waits for its old session to time out). Not set:
     * {@code <host name>-<client id>}, or dynamic membership when the host has no usable name.
     */
    public Builder groupInstanceId(@Nullable String id) {
      if (id == null || id.isBlank()) {
        this.staticMembership = false;
        this.groupInstanceId = null;
      } else {
        this.staticMembership = true;
        this.groupInstanceId = checkInstanceId(id.trim());
      }
      return this;
    }

    /** The group session timeout; Kafka brokers accept 6 s to 30 min by default. */
    public Builder sessionTimeout(Duration timeout) {
      requireNonNull(timeout, "sessionTimeout is null");
      if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("sessionTimeout must be at least 1 s: " + timeout);
      }
      this.sessionTimeout = timeout;
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

    /**
     * Any Kafka client property; {@code enable.auto.commit} cannot be turned on, and {@code
     * group.instance.id} and {@code session.timeout.ms} are set with {@link #groupInstanceId} and
     * {@link #sessionTimeout}.
     */
    public Builder kafkaProperty(String name, String value) {
      nonBlank(name, "kafka property name");
      requireNonNull(value, "value of kafka property " + name + " is null");
      if (name.equals("enable.auto.commit") && !value.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(
            "enable.auto.commit must stay false: offsets are committed only after the store acknowledged the rows");
      }
      if (name.equals("group.instance.id") || name.equals("session.timeout.ms")) {
        throw new IllegalArgumentException("kafka property " + name + " is a consumer setting: set "
            + (name.equals("group.instance.id") ? "group-instance-id (groupInstanceId)" : "session-timeout-ms (sessionTimeout)")
            + " instead");
      }
      kafkaProperties.put(name, value);
      return this;
    }

    public ConsumerSettings build() {
      return new ConsumerSettings(this);
    }

    /** Kafka's rule for instance ids: 1..249 of {@code [a-zA-Z0-9._-]}, not "." or "..". */
    private static String checkInstanceId(String id) {
      if (id.length() > MAX_INSTANCE_ID_LENGTH || id.equals(".") || id.equals("..")) {
        throw new IllegalArgumentException("groupInstanceId '" + id + "' must be 1 to 249 characters, not '.' or '..'");
      }
      for (int i = 0; i < id.length(); i++) {
        if (!legalInstanceIdChar(id.charAt(i))) {
          throw new IllegalArgumentException("groupInstanceId '" + id + "' contains '" + id.charAt(i)
              + "'; only letters, digits, '.', '_' and '-' are allowed");
        }
      }
      return id;
    }

    private static String nonBlank(@Nullable String value, String name) {
      requireNonNull(value, name + " is null");
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " is blank");
      }
      return value.trim();
    }
  }

  private static boolean legalInstanceIdChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  }

  /** A default instance id made legal: other characters become '_', cut to Kafka's length limit. */
  private static String instanceId(String raw) {
    StringBuilder id = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length() && id.length() < MAX_INSTANCE_ID_LENGTH; i++) {
      char c = raw.charAt(i);
      id.append(legalInstanceIdChar(c) ? c : '_');
    }
    return id.toString();
  }

  /**
   * This host's name, read once: {@code HOSTNAME} (set in containers, the pod name in Kubernetes),
   * else the name the system resolves. Null when there is none, or it is {@code localhost}, which
   * many hosts share: a shared instance id would make consumers on different hosts fence each other.
   */
  private static final class HostName {
    static final @Nullable String VALUE = resolve();

    private static @Nullable String resolve() {
      String name = System.getenv("HOSTNAME");
      if (name == null || name.isBlank()) {
        try {
          name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
          name = null;
        }
      }
      if (name == null || name.isBlank() || name.trim().toLowerCase(Locale.ROOT).startsWith("localhost")) {
        System.getLogger(ConsumerSettings.class.getName()).log(System.Logger.Level.WARNING,
            "this host has no usable name for a default group instance id; consumers use dynamic membership"
                + " (set group-instance-id to restart without waiting for the session timeout)");
        return null;
      }
      return name.trim();
    }
  }
}
