package dev.onfs.server.hostile;

import static dev.onfs.server.hostile.HostileRegistry.EMBEDDING;
import static dev.onfs.server.hostile.HostileRegistry.FLAGS;
import static dev.onfs.server.hostile.HostileRegistry.FP16;
import static dev.onfs.server.hostile.HostileRegistry.FP32;
import static dev.onfs.server.hostile.HostileRegistry.FP8;
import static dev.onfs.server.hostile.HostileRegistry.INT16;
import static dev.onfs.server.hostile.HostileRegistry.INT8;
import static dev.onfs.server.hostile.HostileRegistry.LISTING_KEYS;
import static dev.onfs.server.hostile.HostileRegistry.PRICING;
import static dev.onfs.server.hostile.HostileRegistry.PROFILE;
import static dev.onfs.server.hostile.HostileRegistry.UINT16;
import static dev.onfs.server.hostile.HostileRegistry.UINT8;
import static dev.onfs.server.hostile.HostileRegistry.USER_KEYS;
import static dev.onfs.server.hostile.HostileRegistry.bools;
import static dev.onfs.server.hostile.HostileRegistry.fp32;
import static dev.onfs.server.hostile.HostileRegistry.int32;
import static dev.onfs.server.hostile.HostileRegistry.persist;
import static dev.onfs.server.hostile.HostileRegistry.persistUser;
import static dev.onfs.server.hostile.HostileRegistry.retrieve;
import static dev.onfs.server.hostile.HostileRegistry.retrieveUsers;
import static dev.onfs.server.hostile.HostileRegistry.row;
import static dev.onfs.server.hostile.HostileRegistry.strings;
import static dev.onfs.server.hostile.HostileRegistry.uint32;
import static dev.onfs.server.hostile.HostileRegistry.vectors;
import static dev.onfs.server.hostile.RawGrpc.credentials;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.onfs.proto.persist.Data;
import dev.onfs.proto.persist.Values;
import dev.onfs.proto.retrieve.DecodedResult;
import dev.onfs.proto.retrieve.Result;
import dev.onfs.server.hostile.HostileRegistry.Group;
import dev.onfs.server.hostile.RawGrpc.Outcome;
import dev.onfs.server.hostile.RawGrpc.Rpc;
import io.grpc.Status;
import io.grpc.Status.Code;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input on the gRPC port: each case sends one request (as raw bytes, so anything can go on
 * the wire) and expects one status code, with a description naming the field at fault where the
 * contract says so. After every case the seeded rows must read back byte for byte as before, Redis
 * must hold exactly what it held, and a normal retrieve must still work. See docs/testing.md.
 */
class HostileGrpcInputIT {
  /** The default limits the server applies. */
  private static final int MAX_KEYS_PER_RETRIEVE = 10_000;
  private static final int MAX_ROWS_PER_PERSIST = 10_000;
  private static final int MAX_KEY_BYTES = 1_024;
  private static final int MAX_INBOUND_MESSAGE_BYTES = 16 << 20;

  private static HostileServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new HostileServer();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /**
   * One hostile request and what the server must answer.
   *
   * @param description a regular expression (case-insensitive) the status description must contain,
   *     or null when the contract does not fix the wording
   * @param answer for cases expected to succeed: the problem with the answer's bytes, or null when fine
   */
  record Case(
      String name,
      Rpc rpc,
      Supplier<byte[]> request,
      Map<String, String> credentials,
      Code expected,
      @Nullable String description,
      @Nullable Function<byte[], @Nullable String> answer) {

    @Override
    public String toString() {
      return rpc.shortName + ": " + name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersAsSpecifiedAndLeavesStoredDataAlone(Case c) {
    Outcome outcome = server.call(c.rpc(), c.request().get(), c.credentials());
    System.out.println(c + " -> " + outcome.describe());
    List<String> problems = new ArrayList<>();
    Status status = outcome.status();
    if (status.getCode() != c.expected()) {
      problems.add("answered " + outcome.describe() + ", expected " + c.expected());
    } else if (c.description() != null && (status.getDescription() == null
        || !Pattern.compile(c.description(), Pattern.CASE_INSENSITIVE).matcher(status.getDescription()).find())) {
      problems.add("the description " + outcome.describe() + " does not name /" + c.description() + "/");
    } else if (outcome.ok() && c.answer() != null) {
      String wrong = c.answer().apply(outcome.answer());
      if (wrong != null) {
        problems.add(wrong);
      }
    }
    problems.addAll(server.damage());
    if (!problems.isEmpty()) {
      fail(c + ": " + String.join("; ", problems));
    }
  }

  static Stream<Case> cases() {
    List<Case> all = new ArrayList<>();
    badCredentials(all);
    malformedBytes(all);
    unknownNames(all);
    badKeys(all);
    badValues(all);
    limits(all);
    emptyRequests(all);
    return all.stream();
  }

  // ---------------------------------------------------------------------------------------------
  // Credentials. A missing header is INVALID_ARGUMENT, as in the reference (docs/grpc.md); a wrong
  // or unknown one UNAUTHENTICATED. The persist request would overwrite seeded user 1.

  private static void badCredentials(List<Case> all) {
    record Creds(String name, Map<String, String> headers, Code expected, String description) {}
    String id = HostileRegistry.READER;
    String token = HostileRegistry.TOKEN;
    String invalid = "invalid auth token";
    List<Creds> creds = List.of(
        new Creds("no metadata at all", Map.of(), Code.INVALID_ARGUMENT, "metadata are missing"),
        new Creds("caller id missing", credentials(null, token), Code.INVALID_ARGUMENT, "caller-id header is missing"),
        new Creds("auth token missing", credentials(id, null), Code.INVALID_ARGUMENT, "auth-token header is missing"),
        new Creds("wrong token", credentials(id, "wrong"), Code.UNAUTHENTICATED, invalid),
        new Creds("empty token", credentials(id, ""), Code.UNAUTHENTICATED, invalid),
        new Creds("token with a trailing space", credentials(id, token + " "), Code.UNAUTHENTICATED, invalid),
        new Creds("unknown caller", credentials("intruder", token), Code.UNAUTHENTICATED, invalid),
        new Creds("caller id in another case", credentials(id.toUpperCase(Locale.ROOT), token), Code.UNAUTHENTICATED,
            invalid),
        new Creds("another reader's token", credentials(id, HostileRegistry.OTHER_TOKEN), Code.UNAUTHENTICATED,
            invalid));
    for (Creds c : creds) {
      for (Rpc rpc : Rpc.values()) {
        Supplier<byte[]> request = rpc == Rpc.PERSIST
            ? () -> persistUser("1", List.of(FP32), fp32(99, 99)).toByteArray()
            : () -> retrieveUsers(FP32, "1", "2").toByteArray();
        all.add(new Case("credentials: " + c.name(), rpc, request, c.headers(), c.expected(), c.description(), null));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Bytes that are not a valid message of the request type: INVALID_ARGUMENT, never UNKNOWN or
  // INTERNAL. Field numbers differ between retrieve.Query and persist.Query, hence the two tables.

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final byte[] INVALID_UTF8 = {(byte) 0xC3, (byte) 0x28};
  private static final byte[] OVERLONG_SLASH = {(byte) 0xC0, (byte) 0xAF};
  private static final byte[] ENCODED_SURROGATE = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};

  private static void malformedBytes(List<Case> all) {
    for (Rpc rpc : List.of(Rpc.RETRIEVE, Rpc.RETRIEVE_DECODED)) {
      byte[] valid = retrieveUsers(FP32, "1").toByteArray();
      malformed(all, rpc, "invalid UTF-8 in keys_schema", Wire.message().bytes(3, OVERLONG_SLASH));
      malformed(all, rpc, "invalid UTF-8 in a key value", validRetrievePrefix()
          .message(4, Wire.message().bytes(1, new byte[] {(byte) 0xFF, (byte) 0xFE})));
      malformed(all, rpc, "invalid UTF-8 in a feature label", validRetrievePrefix()
          .message(2, Wire.message().string(1, FP32.label()).bytes(2, ENCODED_SURROGATE)));
      malformed(all, rpc, "truncated Keys message inside", validRetrievePrefix()
          .message(4, Wire.message().lengthOnly(1, 5).raw('1')));
      common(all, rpc, valid);
    }
    byte[] valid = persistUser("1", List.of(FP32), fp32(1, 2)).toByteArray();
    malformed(all, Rpc.PERSIST, "invalid UTF-8 in keys_schema", Wire.message().bytes(2, OVERLONG_SLASH));
    malformed(all, Rpc.PERSIST, "invalid UTF-8 in a key value", validPersistPrefix()
        .message(4, Wire.message().bytes(1, new byte[] {(byte) 0xFF, (byte) 0xFE})));
    malformed(all, Rpc.PERSIST, "invalid UTF-8 in a feature label", validPersistPrefix()
        .message(3, Wire.message().string(1, PROFILE.label()).bytes(2, ENCODED_SURROGATE)));
    malformed(all, Rpc.PERSIST, "invalid UTF-8 in a string value", validPersistPrefix()
        .message(3, Wire.message().string(1, PROFILE.label()).string(2, "city"))
        .message(4, Wire.message().string(1, "1")
            .message(2, Wire.message().message(1, Wire.message().bytes(7, INVALID_UTF8)))));
    malformed(all, Rpc.PERSIST, "truncated Data message inside", validPersistPrefix()
        .message(4, Wire.message().lengthOnly(1, 5).raw('1')));
    malformed(all, Rpc.PERSIST, "packed doubles cut mid-value", validPersistPrefix()
        .message(4, Wire.message().string(1, "1")
            .message(2, Wire.message().message(1, Wire.message().bytes(1, new byte[5])))));
    malformed(all, Rpc.PERSIST, "vectors nested 300 deep", validPersistPrefix()
        .message(4, Wire.message().string(1, "1").message(2, Wire.message().message(1, nestedVectors(300)))));
    common(all, Rpc.PERSIST, valid);
  }

  /** Cases whose bytes break both request types the same way. */
  private static void common(List<Case> all, Rpc rpc, byte[] valid) {
    malformed(all, rpc, "length varint cut short", Wire.message().raw(0x0A, 0x80));
    malformed(all, rpc, "string shorter than its length", Wire.message().lengthOnly(1, 5).raw('u', 's'));
    malformed(all, rpc, "tag varint cut short", Wire.message().raw(0x80));
    malformed(all, rpc, "wire type 6", Wire.message().tag(1, 6).raw(0x00));
    malformed(all, rpc, "wire type 7", Wire.message().tag(1, 7));
    malformed(all, rpc, "end-group tag without a start", Wire.message().tag(1, WireFormat.WIRETYPE_END_GROUP));
    malformed(all, rpc, "field number zero", Wire.message().tag(0, LEN).raw(0x00));
    malformed(all, rpc, "varint longer than 10 bytes", Wire.message().tag(5, WireFormat.WIRETYPE_VARINT)
        .raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
    malformed(all, rpc, "length prefix of 2 GiB", Wire.message().lengthOnly(1, Integer.MAX_VALUE).raw('x'));
    malformed(all, rpc, "length prefix above 4 GiB", Wire.message().lengthOnly(1, 1L << 40).raw('x'));
    malformed(all, rpc, "negative length prefix", Wire.message().lengthOnly(1, -1L).raw('x'));
    malformed(all, rpc, "invalid UTF-8 in entity_label", Wire.message().bytes(1, INVALID_UTF8));
    malformed(all, rpc, "64 bytes of 0xFF", Wire.message().raw(filled(64, 0xFF)));
    malformed(all, rpc, "an HTTP request", Wire.message().raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII)));
    malformed(all, rpc, "random bytes", Wire.message().raw(randomGarbage()));
    malformed(all, rpc, "valid message then a cut field", Wire.message().raw(valid).lengthOnly(4, 16));
  }

  private static void malformed(List<Case> all, Rpc rpc, String name, Wire bytes) {
    byte[] request = bytes.toBytes();
    all.add(new Case("malformed: " + name, rpc, () -> request, RawGrpc.VALID, Code.INVALID_ARGUMENT, null, null));
  }

  private static Wire validRetrievePrefix() {
    return Wire.message().string(1, "user").string(3, "user_id")
        .message(2, Wire.message().string(1, FP32.label()).string(2, "ctr"));
  }

  private static Wire validPersistPrefix() {
    return Wire.message().string(1, "user").string(2, "user_id")
        .message(3, Wire.message().string(1, FP32.label()).string(2, "ctr"));
  }

  /** persist.Values holding a Vector holding Values ... {@code depth} messages deep. */
  private static Wire nestedVectors(int depth) {
    Wire values = Wire.message();
    for (int i = 0; i < depth; i++) {
      values = Wire.message().message(9, Wire.message().message(1, values));
    }
    return values;
  }

  private static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }

  /** 256 random bytes (fixed seed) that neither request type parses. */
  private static byte[] randomGarbage() {
    for (long seed = 1; ; seed++) {
      byte[] bytes = new byte[256];
      new Random(seed).nextBytes(bytes);
      if (!parses(bytes)) {
        return bytes;
      }
    }
  }

  private static boolean parses(byte[] bytes) {
    try {
      dev.onfs.proto.retrieve.Query.parseFrom(bytes);
      return true;
    } catch (InvalidProtocolBufferException notRetrieve) {
      try {
        dev.onfs.proto.persist.Query.parseFrom(bytes);
        return true;
      } catch (InvalidProtocolBufferException neither) {
        return false;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Names the registry does not have: NOT_FOUND.

  private static void unknownNames(List<Case> all) {
    record Unknown(
        String name, String entity, List<String> keysSchema, List<String> key, Group group, String fragment) {}
    List<Unknown> unknown = List.of(
        new Unknown("unknown entity", "nobody", USER_KEYS, List.of("1"), FP32, "nobody"),
        new Unknown("entity in upper case", "USER", USER_KEYS, List.of("1"), FP32, "USER"),
        new Unknown("unknown feature group", "user", USER_KEYS, List.of("1"), new Group("no_such_group", "ctr"),
            "no_such_group"),
        new Unknown("unknown feature", "user", USER_KEYS, List.of("1"), new Group(FP32.label(), "ctr", "no_such_feature"),
            "no_such_feature"),
        new Unknown("feature of another group", "user", USER_KEYS, List.of("1"), new Group(FP32.label(), "f16_a"),
            "f16_a"),
        new Unknown("feature group of another entity", "user", USER_KEYS, List.of("1"), PRICING, "pricing"),
        new Unknown("feature label in another case", "user", USER_KEYS, List.of("1"), new Group(FP32.label(), "CTR"),
            "CTR"));
    for (Unknown u : unknown) {
      String name = "not found: " + u.name();
      retrieveBoth(all, name, () -> retrieve(u.entity(), u.keysSchema(), List.of(u.key()), List.of(u.group())),
          Code.NOT_FOUND, u.fragment());
      Values values = fp32(new double[u.group().features().length]);
      all.add(new Case(name, Rpc.PERSIST,
          () -> persist(u.entity(), u.keysSchema(), List.of(u.group()), List.of(row(u.key(), values))).toByteArray(),
          RawGrpc.VALID, Code.NOT_FOUND, u.fragment(), null));
    }
    retrieveBoth(all, "not found: quantized unknown feature",
        () -> retrieve("user", USER_KEYS, List.of(List.of("1")), List.of(new Group(FP32.label(), "nope@DataTypeFP16"))),
        Code.NOT_FOUND, "nope");
  }

  // ---------------------------------------------------------------------------------------------
  // Key problems, on retrieve and persist: INVALID_ARGUMENT naming the key column or field. The
  // persist rows carry valid values, so only the key is wrong.

  /** A keys_schema or key-count problem is named by one of these fields. */
  private static final String KEY_FIELDS = "keys_?schema|key_?values|keys\\[";

  /** A bad key value is named by its column or by the field that holds it. */
  private static String keyValue(String column) {
    return column + "|keys\\[\\d+\\]|key_?values|cols";
  }

  private static void badKeys(List<Case> all) {
    record BadKey(String name, String entity, List<String> keysSchema, List<String> key, String fragment) {}
    String longAscii = "k".repeat(MAX_KEY_BYTES + 1);
    String longMultibyte = "\u20AC".repeat(342); // 342 characters, 1,026 UTF-8 bytes
    List<BadKey> bad = List.of(
        new BadKey("empty key value", "user", USER_KEYS, List.of(""), keyValue("user_id")),
        new BadKey("key containing the separator", "user", USER_KEYS, List.of("1|2"), keyValue("user_id")),
        new BadKey("key that is only the separator", "user", USER_KEYS, List.of("|"), keyValue("user_id")),
        new BadKey("key containing NUL", "user", USER_KEYS, List.of("1\u0000"), keyValue("user_id")),
        new BadKey("key containing a newline", "user", USER_KEYS, List.of("1\n"), keyValue("user_id")),
        new BadKey("key containing a carriage return", "user", USER_KEYS, List.of("1\r"), keyValue("user_id")),
        new BadKey("key containing a tab", "user", USER_KEYS, List.of("\t1"), keyValue("user_id")),
        new BadKey("key containing DEL (0x7F)", "user", USER_KEYS, List.of("1\u007F"), keyValue("user_id")),
        new BadKey("key containing ESC (0x1B)", "user", USER_KEYS, List.of("\u001B[31m1"), keyValue("user_id")),
        new BadKey("key of 1,025 ASCII bytes", "user", USER_KEYS, List.of(longAscii), keyValue("user_id")),
        new BadKey("key of 342 characters, 1,026 UTF-8 bytes", "user", USER_KEYS, List.of(longMultibyte),
            keyValue("user_id")),
        new BadKey("two key values for one key", "user", USER_KEYS, List.of("1", "2"), KEY_FIELDS),
        new BadKey("no key values", "user", USER_KEYS, List.of(), KEY_FIELDS),
        new BadKey("keys_schema naming an unknown column", "user", List.of("userid"), List.of("1"), KEY_FIELDS),
        new BadKey("keys_schema naming the key twice", "user", List.of("user_id", "user_id"), List.of("1", "1"),
            KEY_FIELDS),
        new BadKey("keys_schema empty", "user", List.of(), List.of("1"), KEY_FIELDS),
        new BadKey("keys_schema with an extra column", "user", List.of("user_id", "shop_id"), List.of("1", "s1"),
            KEY_FIELDS),
        new BadKey("composite key: second column empty", "listing", LISTING_KEYS, List.of("s1", ""),
            keyValue("product_id")),
        new BadKey("composite key: separator in the first column", "listing", LISTING_KEYS, List.of("s1|p1", "x"),
            keyValue("shop_id")),
        new BadKey("composite key: newline in the second column", "listing", LISTING_KEYS, List.of("s1", "p\n1"),
            keyValue("product_id")),
        new BadKey("composite key: one column of two in keys_schema", "listing", List.of("shop_id"), List.of("s1"),
            KEY_FIELDS),
        new BadKey("composite key: a column twice in keys_schema", "listing", List.of("shop_id", "shop_id"),
            List.of("s1", "p1"), KEY_FIELDS),
        new BadKey("composite key: three values for two columns", "listing", LISTING_KEYS, List.of("s1", "p1", "x"),
            KEY_FIELDS));
    for (BadKey k : bad) {
      Group group = k.entity().equals("user") ? FP32 : PRICING;
      String name = "bad key: " + k.name();
      retrieveBoth(all, name, () -> retrieve(k.entity(), k.keysSchema(), List.of(k.key()), List.of(group)),
          Code.INVALID_ARGUMENT, k.fragment());
      all.add(new Case(name, Rpc.PERSIST,
          () -> persist(k.entity(), k.keysSchema(), List.of(group), List.of(row(k.key(), fp32(7, 7)))).toByteArray(),
          RawGrpc.VALID, Code.INVALID_ARGUMENT, k.fragment(), null));
    }

    // A bad key after a good one: the whole request is refused, the good row is not written.
    retrieveBoth(all, "bad key: separator in the second of two keys",
        () -> retrieve("user", USER_KEYS, List.of(List.of("1"), List.of("2|3")), List.of(FP32)),
        Code.INVALID_ARGUMENT, keyValue("user_id"));
    all.add(new Case("bad key: separator in the second of two rows", Rpc.PERSIST,
        () -> persist("user", USER_KEYS, List.of(FP32),
            List.of(row(List.of("1"), fp32(7, 7)), row(List.of("2|3"), fp32(7, 7)))).toByteArray(),
        RawGrpc.VALID, Code.INVALID_ARGUMENT, keyValue("user_id"), null));
    all.add(new Case("bad key: empty key in the second of two rows", Rpc.PERSIST,
        () -> persist("user", USER_KEYS, List.of(FP32),
            List.of(row(List.of("1"), fp32(7, 7)), row(List.of(""), fp32(7, 7)))).toByteArray(),
        RawGrpc.VALID, Code.INVALID_ARGUMENT, keyValue("user_id"), null));

    // Keys at the edge of the rules are served (read-only, so nothing is written).
    retrieveBoth(all, "edge key: exactly 1,024 bytes",
        () -> retrieveUsers(FP32, "k".repeat(MAX_KEY_BYTES)), Code.OK, null, rows(1));
    retrieveBoth(all, "edge key: non-ASCII letters",
        () -> retrieveUsers(FP32, "\u03B4\u00E9\u4E2D"), Code.OK, null, rows(1));
    retrieveBoth(all, "edge key: composite keys_schema in reverse order",
        () -> retrieve("listing", List.of("product_id", "shop_id"), List.of(List.of("p1", "s1")), List.of(PRICING)),
        Code.OK, null, rows(1));
  }

  // ---------------------------------------------------------------------------------------------
  // Value problems on persist: INVALID_ARGUMENT naming the feature or field. Every write targets
  // seeded user 1 (or a seeded listing), so a write that slips through shows up as changed data.

  private static void badValues(List<Case> all) {
    badValue(all, "FP32 group given int32_values", List.of(FP32), "fp32_values|int32_values|fp32_stats", int32(1, 2));
    badValue(all, "FP32 group given fp32_values and int32_values", List.of(FP32), "fp32_values|int32_values|fp32_stats",
        fp32(1, 2).toBuilder().addInt32Values(3).build());
    badValue(all, "FP32 group given fp32_values and fp64_values", List.of(FP32), "fp32_values|fp64_values|fp32_stats",
        fp32(1, 2).toBuilder().addFp64Values(3).build());
    badValue(all, "one value for two features", List.of(FP32), "fp32_values|fp32_stats|ctr|aov", fp32(1));
    badValue(all, "three values for two features", List.of(FP32), "fp32_values|fp32_stats|ctr|aov", fp32(1, 2, 3));
    badValue(all, "no values at all", List.of(FP32), "fp32_values|fp32_stats|ctr|aov", Values.getDefaultInstance());
    badValue(all, "string group given fp32_values", List.of(PROFILE), "string_values|fp32_values|profile", fp32(1, 2));
    badValue(all, "bool group given int32_values", List.of(FLAGS), "bool_values|int32_values|flags", int32(1, 0));
    badValue(all, "vector of 3 for vector-length 4", List.of(EMBEDDING), "emb", vectors(fp32(1, 2, 3)));
    badValue(all, "vector of 5 for vector-length 4", List.of(EMBEDDING), "emb", vectors(fp32(1, 2, 3, 4, 5)));
    badValue(all, "vector group given fp32_values", List.of(EMBEDDING), "vector|embedding|emb", fp32(1, 2, 3, 4));
    badValue(all, "vector elements in int32_values", List.of(EMBEDDING), "emb|int32_values|fp32_values",
        vectors(int32(1, 2, 3, 4)));
    badValue(all, "vector elements in fp32_values and fp64_values", List.of(EMBEDDING), "emb|fp64_values|fp32_values",
        vectors(fp32(1, 2, 3, 4).toBuilder().addFp64Values(5).build()));
    badValue(all, "vector element holding a vector", List.of(EMBEDDING), "emb|vector",
        vectors(vectors(fp32(1, 2, 3, 4))));
    badValue(all, "two vectors for one feature", List.of(EMBEDDING), "emb|vector|embedding",
        vectors(fp32(1, 2, 3, 4), fp32(1, 2, 3, 4)));
    badValue(all, "string of 17 bytes for string-length 16", List.of(PROFILE), "city",
        strings("x".repeat(17), "ok"));
    badValue(all, "string of 5 characters, 10 bytes, for string-length 8", List.of(PROFILE), "segment",
        strings("ok", "\u00E9".repeat(5)));
    badValue(all, "INT8 128", List.of(INT8), "i8_a", int32(128, 0));
    badValue(all, "INT8 -129", List.of(INT8), "i8_b", int32(0, -129));
    badValue(all, "INT16 32768", List.of(INT16), "i16_a", int32(32_768, 0));
    badValue(all, "INT16 -32769", List.of(INT16), "i16_b", int32(0, -32_769));
    badValue(all, "UINT8 256", List.of(UINT8), "u8_a", uint32(256, 0));
    badValue(all, "UINT16 65536", List.of(UINT16), "u16_a", uint32(65_536, 0));
    badValue(all, "UINT16 4294967295", List.of(UINT16), "u16_b", uint32(0, -1));
    badValue(all, "FP32 1e40", List.of(FP32), "ctr", fp32(1e40, 0));
    badValue(all, "FP32 -1e40", List.of(FP32), "aov", fp32(0, -1e40));
    badValue(all, "FP32 Double.MAX_VALUE", List.of(FP32), "ctr", fp32(Double.MAX_VALUE, 0));
    badValue(all, "FP16 70000", List.of(FP16), "f16_a", fp32(70_000, 0));
    badValue(all, "FP16 -1e6", List.of(FP16), "f16_b", fp32(0, -1e6));
    badValue(all, "FP8E4M3 1000", List.of(FP8), "f8_a", fp32(1_000, 0));
    badValue(all, "FP8E4M3 -500", List.of(FP8), "f8_b", fp32(0, -500));
    badValue(all, "FP32 vector element 1e39", List.of(EMBEDDING), "emb", vectors(fp32(1, 1e39, 3, 4)));
    badValue(all, "second group out of range, first valid", List.of(FP32, INT8), "i8_a",
        fp32(5, 5), int32(1_000, 0));
    badValue(all, "fewer feature values than groups", List.of(FP32, INT8), "feature_?values|groups?", fp32(5, 5));
    badValue(all, "feature listed twice", List.of(new Group(FP32.label(), "ctr", "ctr")), "ctr", fp32(1, 2));
    badValue(all, "feature group with no features", List.of(new Group(FP32.label())), "fp32_stats|feature",
        Values.getDefaultInstance());
    all.add(new Case("bad value: feature group listed twice", Rpc.PERSIST,
        () -> persistUser("1", List.of(FP32, FP32), fp32(1, 2), fp32(3, 4)).toByteArray(),
        RawGrpc.VALID, Code.INVALID_ARGUMENT, "fp32_stats", null));
    all.add(new Case("bad value: out-of-range row after a valid row", Rpc.PERSIST,
        () -> persist("user", USER_KEYS, List.of(INT8),
            List.of(row(List.of("1"), int32(1, 1)), row(List.of("2"), int32(-500, 1)))).toByteArray(),
        RawGrpc.VALID, Code.INVALID_ARGUMENT, "i8_a", null));
    all.add(new Case("bad value: composite-key entity given int32_values", Rpc.PERSIST,
        () -> persist("listing", LISTING_KEYS, List.of(PRICING), List.of(row(List.of("s1", "p1"), int32(1, 2))))
            .toByteArray(),
        RawGrpc.VALID, Code.INVALID_ARGUMENT, "fp32_values|int32_values|pricing", null));
  }

  private static void badValue(List<Case> all, String name, List<Group> groups, String fragment, Values... values) {
    all.add(new Case("bad value: " + name, Rpc.PERSIST, () -> persistUser("1", groups, values).toByteArray(),
        RawGrpc.VALID, Code.INVALID_ARGUMENT, fragment, null));
  }

  // ---------------------------------------------------------------------------------------------
  // Limits at their defaults: RESOURCE_EXHAUSTED.

  private static void limits(List<Case> all) {
    retrieveBoth(all, "limit: 10,001 keys in one retrieve",
        () -> retrieveUsers(FP32, numbered("u", MAX_KEYS_PER_RETRIEVE + 1)), Code.RESOURCE_EXHAUSTED, null);
    all.add(new Case("limit: 10,001 copies of one key", Rpc.RETRIEVE,
        () -> retrieveUsers(FP32, Collections.nCopies(MAX_KEYS_PER_RETRIEVE + 1, "1").toArray(new String[0]))
            .toByteArray(),
        RawGrpc.VALID, Code.RESOURCE_EXHAUSTED, null, null));
    all.add(new Case("limit: exactly 10,000 keys is served", Rpc.RETRIEVE,
        () -> retrieveUsers(FP32, numbered("u", MAX_KEYS_PER_RETRIEVE)).toByteArray(),
        RawGrpc.VALID, Code.OK, null, rows(MAX_KEYS_PER_RETRIEVE)::binary));
    all.add(new Case("limit: 10,001 rows in one persist", Rpc.PERSIST,
        () -> persistRows(numbered("n", MAX_ROWS_PER_PERSIST + 1)),
        RawGrpc.VALID, Code.RESOURCE_EXHAUSTED, null, null));
    all.add(new Case("limit: 10,001 rows in one persist, all to seeded user 1", Rpc.PERSIST,
        () -> persistRows(Collections.nCopies(MAX_ROWS_PER_PERSIST + 1, "1").toArray(new String[0])),
        RawGrpc.VALID, Code.RESOURCE_EXHAUSTED, null, null));
    for (Rpc rpc : Rpc.values()) {
      // One key of 16 MiB + 1 KiB: the message is too large before anything looks at the key.
      String huge = "h".repeat(MAX_INBOUND_MESSAGE_BYTES + 1024);
      Supplier<byte[]> request = rpc == Rpc.PERSIST
          ? () -> persistUser(huge, List.of(FP32), fp32(1, 2)).toByteArray()
          : () -> retrieveUsers(FP32, huge).toByteArray();
      all.add(new Case("limit: message above the maximum inbound size", rpc, request, RawGrpc.VALID,
          Code.RESOURCE_EXHAUSTED, null, null));
    }
  }

  private static String[] numbered(String prefix, int count) {
    String[] ids = new String[count];
    for (int i = 0; i < count; i++) {
      ids[i] = prefix + i;
    }
    return ids;
  }

  private static byte[] persistRows(String... ids) {
    List<Data> rows = new ArrayList<>(ids.length);
    for (String id : ids) {
      rows.add(row(List.of(id), fp32(3, 3)));
    }
    return persist("user", USER_KEYS, List.of(FP32), rows).toByteArray();
  }

  // ---------------------------------------------------------------------------------------------
  // Empty requests. The choice asserted is what the server does today, consistently across the
  // three methods: a request that names its entity but has no keys, rows or feature groups is
  // answered OK with nothing in it (nothing to read, nothing written); a request without an entity
  // label names no registered entity and is NOT_FOUND, like any unknown entity.

  private static void emptyRequests(List<Case> all) {
    retrieveBoth(all, "empty: no keys",
        () -> retrieve("user", USER_KEYS, List.of(), List.of(FP32)), Code.OK, null, rows(0));
    retrieveBoth(all, "empty: no feature groups",
        () -> retrieve("user", USER_KEYS, List.of(List.of("1")), List.of()), Code.OK, null, columns(0));
    all.add(new Case("empty: no rows", Rpc.PERSIST,
        () -> persist("user", USER_KEYS, List.of(FP32), List.of()).toByteArray(), RawGrpc.VALID, Code.OK, null, null));
    all.add(new Case("empty: no feature groups", Rpc.PERSIST,
        () -> persist("user", USER_KEYS, List.of(), List.of(row(List.of("1")))).toByteArray(),
        RawGrpc.VALID, Code.OK, null, null));
    for (Rpc rpc : Rpc.values()) {
      all.add(new Case("empty: zero-byte request", rpc, () -> new byte[0], RawGrpc.VALID, Code.NOT_FOUND,
          "entity", null));
    }
    retrieveBoth(all, "empty: entity label empty",
        () -> retrieve("", USER_KEYS, List.of(List.of("1")), List.of(FP32)), Code.NOT_FOUND, "entity");
    all.add(new Case("empty: entity label empty", Rpc.PERSIST,
        () -> persist("", USER_KEYS, List.of(FP32), List.of(row(List.of("1"), fp32(1, 2)))).toByteArray(),
        RawGrpc.VALID, Code.NOT_FOUND, "entity", null));
  }

  // ---------------------------------------------------------------------------------------------

  private static void retrieveBoth(List<Case> all, String name, Supplier<dev.onfs.proto.retrieve.Query> query,
      Code expected, @Nullable String description) {
    retrieveBoth(all, name, query, expected, description, null);
  }

  private static void retrieveBoth(List<Case> all, String name, Supplier<dev.onfs.proto.retrieve.Query> query,
      Code expected, @Nullable String description, @Nullable AnswerCheck answer) {
    all.add(new Case(name, Rpc.RETRIEVE, () -> query.get().toByteArray(), RawGrpc.VALID, expected, description,
        answer == null ? null : answer::binary));
    all.add(new Case(name, Rpc.RETRIEVE_DECODED, () -> query.get().toByteArray(), RawGrpc.VALID, expected,
        description, answer == null ? null : answer::decoded));
  }

  /** A check of a successful retrieve's answer, in either of its two forms. */
  private interface AnswerCheck {
    @Nullable String rows(int rows, List<Integer> columnsPerRow);

    default @Nullable String binary(byte[] answer) {
      try {
        Result result = Result.parseFrom(answer);
        return rows(result.getRowsCount(), result.getRowsList().stream().map(r -> r.getColumnsCount()).toList());
      } catch (InvalidProtocolBufferException e) {
        return "the answer is not a retrieve.Result: " + e.getMessage();
      }
    }

    default @Nullable String decoded(byte[] answer) {
      try {
        DecodedResult result = DecodedResult.parseFrom(answer);
        return rows(result.getRowsCount(), result.getRowsList().stream().map(r -> r.getColumnsCount()).toList());
      } catch (InvalidProtocolBufferException e) {
        return "the answer is not a retrieve.DecodedResult: " + e.getMessage();
      }
    }
  }

  private static AnswerCheck rows(int expected) {
    return (rows, columns) -> rows == expected ? null : "the answer has " + rows + " rows, expected " + expected;
  }

  private static AnswerCheck columns(int expected) {
    return (rows, columns) -> columns.stream().allMatch(c -> c == expected)
        ? null
        : "the answer's rows have " + columns + " columns, expected " + expected;
  }
}
