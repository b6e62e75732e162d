package dev.onfs.storage.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that make partial writes atomic on the server. Written for both Redis (Lua 5.1) and
 * Dragonfly (Lua 5.4): plain string and arithmetic functions only, no {@code struct}/{@code bit}
 * libraries, and only the declared key is touched.
 */
final class RedisScripts {
  /**
   * KEYS[1] entity key; ARGV[1] a CSDB with the blocks to write; ARGV[2] TTL in ms (0 = never expire).
   * Keeps the entries of the stored CSDB whose feature group the update does not carry, appends the
   * update, and sets the key's TTL to the larger of the stored and the new one (a key without TTL keeps
   * none). Replies with the merged length, or an error when the stored value is not a layout-1 CSDB.
   */
  static final String MERGE_CSDB = """
      local old = redis.call('GET', KEYS[1])
      local new = ARGV[1]
      local ttl = tonumber(ARGV[2])
      local function u16(s, i) return string.byte(s, i) + string.byte(s, i + 1) * 256 end
      if string.byte(new, 1) ~= 1 then return redis.error_reply('ERR onfs: update is not a layout-1 CSDB') end
      local ids = {}
      local i, n = 2, #new
      while i + 3 <= n do
        ids[u16(new, i)] = true
        i = i + 4 + u16(new, i + 2)
      end
      local value = new
      local keep = -2
      if old then
        if #old < 1 or string.byte(old, 1) ~= 1 then
          return redis.error_reply('ERR onfs: stored value is not a layout-1 CSDB')
        end
        local parts = {new}
        local j, m = 2, #old
        while j + 3 <= m do
          local len = u16(old, j + 2)
          if not ids[u16(old, j)] then parts[#parts + 1] = string.sub(old, j, j + 3 + len) end
          j = j + 4 + len
        end
        value = table.concat(parts)
        keep = redis.call('PTTL', KEYS[1])
      end
      if ttl == 0 or keep == -1 then
        redis.call('SET', KEYS[1], value)
      else
        if keep > ttl then ttl = keep end
        redis.call('SET', KEYS[1], value, 'PX', string.format('%d', ttl))
      end
      return #value
      """;

  /**
   * KEYS[1] entity hash; ARGV[1] TTL in ms (0 = never expire); ARGV[2..] field, block pairs. Sets the
   * fields without reading them and raises (never lowers) the key's TTL.
   */
  static final String HSET_WITH_TTL = """
      local unpack = table.unpack or unpack
      local ttl = tonumber(ARGV[1])
      local keep = redis.call('PTTL', KEYS[1])
      redis.call('HSET', KEYS[1], unpack(ARGV, 2))
      if ttl == 0 then
        redis.call('PERSIST', KEYS[1])
      elseif keep == -2 or (keep >= 0 and ttl > keep) then
        redis.call('PEXPIRE', KEYS[1], string.format('%d', ttl))
      end
      return 1
      """;

  static final byte[] MERGE_CSDB_BYTES = MERGE_CSDB.getBytes(StandardCharsets.UTF_8);
  static final byte[] MERGE_CSDB_SHA = sha1(MERGE_CSDB);
  static final byte[] HSET_WITH_TTL_BYTES = HSET_WITH_TTL.getBytes(StandardCharsets.UTF_8);
  static final byte[] HSET_WITH_TTL_SHA = sha1(HSET_WITH_TTL);

  private RedisScripts() {}

  private static byte[] sha1(String script) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
