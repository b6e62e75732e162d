/**
 * Where the control plane keeps its state: change requests, users, sessions, the audit log, and the
 * published registry itself, all as keys of one {@link dev.onfs.controlplane.storage.KeyValueStore}
 * with etcd's semantics (per-key create and modification revisions, transactions that apply all
 * writes only when every compared key is unchanged).
 *
 * <p>Two implementations: {@link dev.onfs.controlplane.storage.EtcdKeyValueStore} (production: the
 * registry tree is the reference's {@code /config/<app>} tree that servers watch, and the control
 * plane's own keys live under {@code /onfs-control-plane/<app>}) and {@link
 * dev.onfs.controlplane.storage.DirectoryKeyValueStore} (a local directory for demos, durable across
 * restarts, which also writes the registry as the YAML file a file registry reads). {@link
 * dev.onfs.controlplane.storage.ControlPlaneStore} lays the typed records out over either.
 */
@NullMarked
package dev.onfs.controlplane.storage;

import org.jspecify.annotations.NullMarked;
