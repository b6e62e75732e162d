package dev.onfs.ingest.kafka;


/**
 * A consumer process for the kill test: runs until killed.
 * Args: bootstrap topic group dlqTopic redisHost redisPort writeDelayMs.
 */
public final class ConsumerMain {
  private ConsumerMain() {}

  public static void main(String[] args) {
    StoreHarness store = new StoreHarness(args[4], Integer.parseInt(args[5]));
    long delay = Long.parseLong(args[6]);
    FeatureSink throttled = queries -> {
      store.sink.persist(queries);
      pause(delay);
    };
    FeatureConsumer consumer = FeatureConsumer.create(
        ConsumerFaultIT.settings(args[0], args[1], args[2], args[3]), store.catalog, throttled, IngestStats.disabled());
    System.out.println("consumer started");
    consumer.run();
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis); // a slow store, so the test can act mid-stream
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
