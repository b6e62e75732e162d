/** YAML and JSON registry files, parsed with Jackson into the core's file registry. */
module dev.onfs.registry.file {
  requires static org.jspecify;
  requires transitive dev.onfs.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;

  exports dev.onfs.registry.file;
}
