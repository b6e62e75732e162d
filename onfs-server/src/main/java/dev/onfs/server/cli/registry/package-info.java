/**
 * {@code onfs registry}: validate, list, publish ({@code apply}) and export feature registries,
 * between YAML files and the reference's etcd tree.
 */
@NullMarked
package dev.onfs.server.cli.registry;

import org.jspecify.annotations.NullMarked;
