/**
 * Redis, Redis Cluster, Redis Sentinel and Dragonfly storage for OnFS, on jedis.
 *
 * <p>The default {@link dev.onfs.storage.redis.RedisLayout#CSDB} layout is the reference's: one string
 * value per entity under {@code <entityLabel>:<pk1>|<pk2>...} holding a CSDB of all the entity's
 * feature-group blocks, so data the reference wrote is readable and the reverse. Partial writes merge on
 * the server in one Lua script, so concurrent writers of different feature groups never lose each
 * other's blocks. The {@link dev.onfs.storage.redis.RedisLayout#HASH} layout keeps one hash field per
 * feature group instead.
 */
@NullMarked
package dev.onfs.storage.redis;

import org.jspecify.annotations.NullMarked;
