/**
 * The feature registry kept in etcd, in the reference's key tree under {@code /config/<app>}.
 *
 * <p>{@link dev.onfs.registry.etcd.EtcdKeyTree} maps that tree to and from a {@link
 * dev.onfs.core.registry.RegistrySnapshot} (pure logic); {@link
 * dev.onfs.registry.etcd.EtcdFeatureRegistry} loads it, watches the prefix and swaps in a new
 * snapshot on every valid change, surviving etcd restarts; {@link
 * dev.onfs.registry.etcd.EtcdRegistryClient} reads the tree once and writes snapshots, one etcd
 * transaction per feature group so that a group's change lands completely or not at all.
 */
@NullMarked
package dev.onfs.registry.etcd;

import org.jspecify.annotations.NullMarked;
