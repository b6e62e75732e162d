package dev.onfs.storage.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that make partial and conditional writes atomic on the server. Written for both Redis (Lua 5.1) and
 * Dragonfly (Lua 5.4): plain string and arithmetic functions only, no {@code struct}/{@code bit}
 * libraries, and only the declared key is touched.
 */
final class RedisScripts {
  /**
   * The merge of {@link #MERGE_CSDB}, given the stored value in {@code old} (false when none): keeps the
   * entries of the stored CSDB whose feature group the update (ARGV[1]) does not carry, appends the
   * update, and sets the key's TTL to the larger of the stored and the new one (ARGV[2], ms, 0 = never;
   * a key without TTL keeps none). Replies with the merged length, or an error when a value is not a
   * layout-1 CSDB.
   */
  private static final String CSDB_MERGE_TAIL = """
      local new = ARGV[1]
      local ttl = tonumber(ARGV[2])
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

  /** Reads the stored value into {@code old} and checks it is a layout-1 CSDB. */
  private static final String CSDB_READ_OLD = """
      local function u16(s, i) return string.byte(s, i) + string.byte(s, i + 1) * 256 end
      local old = redis.call('GET', KEYS[1])
      if old and (#old < 1 or string.byte(old, 1) ~= 1) then
        return redis.error_reply('ERR onfs: stored value is not a layout-1 CSDB')
      end
      """;

  /**
   * KEYS[1] entity key; ARGV[1] a CSDB with the blocks to write; ARGV[2] TTL in ms (0 = never expire).
   * See {@link #CSDB_MERGE_TAIL}.
   */
  static final String MERGE_CSDB = CSDB_READ_OLD + CSDB_MERGE_TAIL;

  /**
   * The conditional {@link #MERGE_CSDB}: ARGV[3] a CSDB of the expected blocks, an empty entry for a
   * feature group expected to have none. The stored block of a group is its last entry; no entry and an
   * empty one both mean none. When every stored block equals the expected one, merges as MERGE_CSDB and
   * replies with the merged length (an integer); otherwise writes nothing and replies with a CSDB of the
   * stored blocks of the expected groups (a string), in the expectation's order.
   */
  static final String CAS_MERGE_CSDB = CSDB_READ_OLD + """
      local stored = {}
      if old then
        local j, m = 2, #old
        while j + 3 <= m do
          local len = u16(old, j + 2)
          stored[u16(old, j)] = string.sub(old, j + 4, j + 3 + len)
          j = j + 4 + len
        end
      end
      local expected = ARGV[3]
      local held = {string.char(1)}
      local same = true
      local e, x = 2, #expected
      while e + 3 <= x do
        local id = u16(expected, e)
        local len = u16(expected, e + 2)
        local have = stored[id] or ''
        if have ~= string.sub(expected, e + 4, e + 3 + len) then same = false end
        held[#held + 1] = string.sub(expected, e, e + 1) .. string.char(#have % 256, math.floor(#have / 256)) .. have
        e = e + 4 + len
      end
      if not same then return table.concat(held) end
      """ + CSDB_MERGE_TAIL;

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

  /**
   * The conditional {@link #HSET_WITH_TTL}: KEYS[1] entity hash; ARGV[1] TTL in ms; ARGV[2..] field,
   * expected block (empty: none expected), new block triples. A missing and an empty field both mean
   * none. When every field holds its expected block, sets the new ones as HSET_WITH_TTL does and replies
   * 1; otherwise writes nothing and replies with the fields' stored blocks (empty for none), in order.
   */
  static final String CAS_HSET_WITH_TTL = """
      local unpack = table.unpack or unpack
      local ttl = tonumber(ARGV[1])
      local fields, sets = {}, {}
      for a = 2, #ARGV, 3 do
        fields[#fields + 1] = ARGV[a]
        sets[#sets + 1] = ARGV[a]
        sets[#sets + 1] = ARGV[a + 2]
      end
      local have = redis.call('HMGET', KEYS[1], unpack(fields))
      local same = true
      for f = 1, #fields do
        if not have[f] then have[f] = '' end
        if have[f] ~= ARGV[3 * f] then same = false end
      end
      if not same then return have end
      local keep = redis.call('PTTL', KEYS[1])
      redis.call('HSET', KEYS[1], unpack(sets))
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
  static final byte[] CAS_MERGE_CSDB_BYTES = CAS_MERGE_CSDB.getBytes(StandardCharsets.UTF_8);
  static final byte[] CAS_MERGE_CSDB_SHA = sha1(CAS_MERGE_CSDB);
  static final byte[] CAS_HSET_WITH_TTL_BYTES = CAS_HSET_WITH_TTL.getBytes(StandardCharsets.UTF_8);
  static final byte[] CAS_HSET_WITH_TTL_SHA = sha1(CAS_HSET_WITH_TTL);

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
