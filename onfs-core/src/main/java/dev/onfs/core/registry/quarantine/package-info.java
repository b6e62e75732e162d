/**
 * Quarantine across registry changes, shared by the registry sources (file and etcd): which
 * definitions keep serving when their source turns invalid. Not exported: the core's module exports it
 * only to the etcd registry.
 */
@NullMarked
package dev.onfs.core.registry.quarantine;

import org.jspecify.annotations.NullMarked;
