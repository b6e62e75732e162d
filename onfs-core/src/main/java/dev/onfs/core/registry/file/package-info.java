/**
 * A registry kept in files: the document format (a tree of maps, lists and scalars as any YAML or
 * JSON parser produces it) mapped to and from {@link dev.onfs.core.registry.RegistrySnapshot}, and
 * {@link dev.onfs.core.registry.file.FileFeatureRegistry}, which reloads a file or a directory of
 * files when they change and keeps the last good snapshot when an edit is invalid.
 *
 * <p>The parser is supplied by the caller ({@link dev.onfs.core.registry.file.DocumentParser}) so
 * that this package needs only the JDK; the {@code onfs-registry-file} module supplies YAML and
 * JSON parsing. The format is described in {@code docs/registry.md}.
 */
@NullMarked
package dev.onfs.core.registry.file;

import org.jspecify.annotations.NullMarked;
