/**
 * The CSDB (cache storage data block, layout 1): the reference's container of many feature-group blocks
 * of one entity, stored as one Redis value.
 *
 * <p>Layout, all integers little-endian: one byte layout version ({@code 1}), then entries back to back,
 * each a uint16 feature group id, a uint16 block length and that many block bytes (the PSDB block as
 * stored, header included). A length of 0 marks a feature group known to be absent (the reference's
 * negative cache entry); readers report it as missing. Entry order carries no meaning; when an id
 * repeats, the last entry wins, as in the reference's reader.
 */
@NullMarked
package dev.onfs.core.csdb;

import org.jspecify.annotations.NullMarked;
