/**
 * The PSDB block codec (layout 1): one block holds the values of one feature group version for one
 * entity, byte-compatible with the reference online feature store.
 *
 * <p>{@link dev.onfs.core.codec.PsdbLayout} describes a feature group version with primitive arrays
 * (data type, per-feature vector lengths and string maximum lengths). {@link
 * dev.onfs.core.codec.PsdbEncoder} appends values in feature order and writes a block into a
 * caller's buffer; {@link dev.onfs.core.codec.PsdbReader} is a reusable flyweight that reads one
 * feature or all of them from a block without copying. Broken blocks raise {@link
 * dev.onfs.core.codec.BlockFormatException}. The byte format is described in
 * {@code docs/format/psdb.md}.
 */
@NullMarked
package dev.onfs.core.codec;

import org.jspecify.annotations.NullMarked;
