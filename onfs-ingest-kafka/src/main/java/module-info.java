/** The at-least-once Kafka consumer of persist queries and the schema-checked feature pusher. */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // kafka-clients names no module; its name comes from the file name
module dev.onfs.ingest.kafka {
  requires static org.jspecify;
  requires transitive dev.onfs.core;
  requires transitive dev.onfs.proto;
  requires transitive kafka.clients;

  exports dev.onfs.ingest.kafka;
}
