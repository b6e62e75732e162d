/** The ScyllaDB / Cassandra store in the reference's table layout. */
@SuppressWarnings("requires-automatic") // the driver's jar names no module; its name comes from the file name
module dev.onfs.storage.scylla {
  requires static org.jspecify;
  requires transitive dev.onfs.core;
  requires java.driver.core;

  exports dev.onfs.storage.scylla;

  provides dev.onfs.core.storage.StoreFactory with dev.onfs.storage.scylla.ScyllaStoreFactory;
}
