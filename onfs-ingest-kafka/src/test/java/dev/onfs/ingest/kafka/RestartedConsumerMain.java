package dev.onfs.ingest.kafka;

/**
 * A consumer process for the restart test: consumes with the default settings into no store until
 * killed, and prints its group instance id first. Args: bootstrap topic group.
 */
public final class RestartedConsumerMain {
  private RestartedConsumerMain() {}

  public static void main(String[] args) {
    ConsumerSettings settings = ConsumerRestartIT.settings(args[0], args[1], args[2]);
    System.out.println("instance " + settings.groupInstanceId().orElse("(none)"));
    System.out.flush();
    FeatureConsumer.create(settings, TestSchemas.CATALOG, queries -> {}, IngestStats.disabled()).run();
  }
}
