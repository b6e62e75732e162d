/** The registry read from, watched in and written to the reference's etcd tree. */
@SuppressWarnings("requires-automatic") // jetcd names no module; its name comes from the file name
module dev.onfs.registry.etcd {
  requires static org.jspecify;
  requires transitive dev.onfs.core;
  requires com.fasterxml.jackson.databind;
  requires io.netty.handler;
  requires jetcd.core;

  exports dev.onfs.registry.etcd;
}
