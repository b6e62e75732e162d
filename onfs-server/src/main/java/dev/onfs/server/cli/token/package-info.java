/**
 * {@code onfs token}: issue and rotate caller tokens, keeping only their hashes in the registry; and
 * the hashing of plaintext tokens that the {@code onfs registry} commands apply before they write.
 */
@NullMarked
package dev.onfs.server.cli.token;

import org.jspecify.annotations.NullMarked;
