/**
 * Data-plane credentials of readers (serving clients) and writers (ingestion jobs): a token is made
 * from 256 random bits when its registration is approved, shown once, and only its salted hash is
 * published, in the PHC-style form the registry accepts for hashed tokens.
 */
@NullMarked
package dev.onfs.controlplane.tokens;

import org.jspecify.annotations.NullMarked;
