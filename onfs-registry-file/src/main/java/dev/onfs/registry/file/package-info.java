/**
 * YAML and JSON registry files: {@link dev.onfs.registry.file.RegistryFiles} loads, watches and
 * writes them, using Jackson for the syntax and {@link dev.onfs.core.registry.file} for the
 * mapping and hot reload.
 */
@NullMarked
package dev.onfs.registry.file;

import org.jspecify.annotations.NullMarked;
