/** The reference's {@code persist} and {@code retrieve} protobuf messages and their mapping to core types. */
module dev.onfs.proto {
  requires static org.jspecify;
  requires transitive com.google.protobuf;
  requires transitive dev.onfs.core;

  exports dev.onfs.proto;
  exports dev.onfs.proto.persist;
  exports dev.onfs.proto.retrieve;
}
