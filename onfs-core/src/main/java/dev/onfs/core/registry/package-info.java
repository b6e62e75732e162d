/**
 * The feature registry: stores, entities, feature groups and their versioned feature lists, plus
 * the registered readers and writers with their tokens and scopes, as immutable values. Tokens may
 * be stored hashed ({@link dev.onfs.core.registry.TokenHash}).
 *
 * <p>A {@link dev.onfs.core.registry.FeatureRegistry} hands out one {@link
 * dev.onfs.core.registry.RegistrySnapshot} at a time and swaps it atomically when its source
 * changes; a request should take one snapshot and resolve everything against it. Lookups by label
 * or id are single hash-map or array reads and allocate nothing; per-version arrays (vector
 * lengths, string lengths, default value bytes) are computed once when the snapshot is built.
 *
 * <p>Every value validates itself when built and throws {@link dev.onfs.core.OnfsException} with
 * {@link dev.onfs.core.ErrorCode#INVALID_REGISTRY} and a message that names the entity, feature
 * group, version, feature or field at fault. {@link dev.onfs.core.registry.DefaultValues} converts
 * default values between their text form and the bytes the reference stores. A registry that serves
 * from a file or etcd quarantines a feature group whose definition fails instead of failing
 * everything ({@link dev.onfs.core.registry.RegistrySnapshot#quarantined()}).
 */
@NullMarked
package dev.onfs.core.registry;

import org.jspecify.annotations.NullMarked;
