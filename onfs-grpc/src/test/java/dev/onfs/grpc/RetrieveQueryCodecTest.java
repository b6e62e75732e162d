package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.Limits;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.retrieve.FeatureGroup;
import dev.onfs.proto.retrieve.Keys;
import dev.onfs.proto.retrieve.Query;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetrieveQueryCodecTest {
  private static final String[] ALPHABET = {"a", "Z", "0", "_", "é", "ü", "中", "\uD83D\uDE00", " ", "\u0000"};

  private static String randomString(SplittableRandom random) {
    int length = random.nextInt(4) == 0 ? random.nextInt(200) : random.nextInt(12);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET[random.nextInt(random.nextBoolean() ? 4 : ALPHABET.length)]);
    }
    return sb.toString();
  }

  private static List<String> randomStrings(SplittableRandom random, int max) {
    List<String> out = new ArrayList<>();
    for (int i = random.nextInt(max + 1); i > 0; i--) {
      out.add(randomString(random));
    }
    return out;
  }

  private static RetrieveQuery randomQuery(SplittableRandom random) {
    List<RetrieveQuery.FeatureGroup> groups = new ArrayList<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      groups.add(new RetrieveQuery.FeatureGroup(randomString(random), randomStrings(random, 20)));
    }
    List<RetrieveQuery.Keys> keys = new ArrayList<>();
    // Up to 150 keys: past 64 the reader's arrays grow.
    for (int i = random.nextInt(random.nextBoolean() ? 3 : 150); i > 0; i--) {
      keys.add(new RetrieveQuery.Keys(randomStrings(random, random.nextBoolean() ? 1 : 4)));
    }
    return new RetrieveQuery(randomString(random), groups, randomStrings(random, 3), keys);
  }

  private static UnknownFieldSet unknowns(SplittableRandom random) {
    UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder()
        .addVarint(random.nextLong())
        .addFixed32(random.nextInt())
        .addFixed64(random.nextLong())
        .addGroup(UnknownFieldSet.newBuilder()
            .addField(3, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build());
    // 1..4 are known numbers; with other wire types the generated parser keeps them as unknown fields too.
    int number = 1 + random.nextInt(4);
    if (random.nextBoolean()) {
      number = 5 + random.nextInt(2000);
      field.addLengthDelimited(ByteString.copyFromUtf8(randomString(random)));
    }
    return UnknownFieldSet.newBuilder().addField(number, field.build()).build();
  }

  /** The generated message of {@code query}, with unknown fields at every level. */
  private static Query withUnknowns(RetrieveQuery query, SplittableRandom random) {
    Query.Builder builder = ProtoMapping.toProto(query).toBuilder().setUnknownFields(unknowns(random));
    for (FeatureGroup.Builder group : builder.getFeatureGroupsBuilderList()) {
      group.setUnknownFields(unknowns(random));
    }
    for (Keys.Builder keys : builder.getKeysBuilderList()) {
      if (random.nextInt(4) == 0) {
        keys.setUnknownFields(unknowns(random));
      }
    }
    return builder.build();
  }

  private static RetrieveQuery decode(byte[] wire) {
    return RetrieveQueryCodec.decode(wire, 0, wire.length);
  }

  @Test
  void writesAndReadsWhatTheGeneratedMessageDoes() throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 300; i++) {
      RetrieveQuery query = randomQuery(random);
      byte[] generated = ProtoMapping.toProto(query).toByteArray();
      assertThat(RetrieveQueryCodec.encode(query)).isEqualTo(generated);
      assertThat(decode(generated)).isEqualTo(ProtoMapping.toCore(Query.parseFrom(generated))).isEqualTo(query);
      byte[] unknown = withUnknowns(query, random).toByteArray();
      assertThat(ProtoMapping.toCore(Query.parseFrom(unknown))).isEqualTo(query);
      assertThat(decode(unknown)).isEqualTo(query);
    }
  }

  @Test
  void edgeCases() throws Exception {
    List<RetrieveQuery> queries = List.of(
        new RetrieveQuery("", List.of(), List.of(), List.of()),
        new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("", List.of())), List.of(""),
            List.of(new RetrieveQuery.Keys(List.of()), RetrieveQuery.Keys.of(""), RetrieveQuery.Keys.of("", ""))),
        // A lone surrogate is written as '?' by the generated code (and by the JDK): same bytes here.
        new RetrieveQuery("u\uD800", List.of(new RetrieveQuery.FeatureGroup("g\uDC00x", List.of("f\uD800"))),
            List.of("id"), List.of(RetrieveQuery.Keys.of("\uDFFF"))),
        new RetrieveQuery("x".repeat(20_000), List.of(new RetrieveQuery.FeatureGroup("g", List.of("é".repeat(70)))),
            List.of("id"), List.of(RetrieveQuery.Keys.of("中".repeat(50)))));
    for (RetrieveQuery query : queries) {
      byte[] generated = ProtoMapping.toProto(query).toByteArray();
      assertThat(RetrieveQueryCodec.encode(query)).isEqualTo(generated);
      assertThat(decode(generated)).isEqualTo(ProtoMapping.toCore(Query.parseFrom(generated)));
    }
  }

  @Test
  void concatenatedMessagesMergeAsTheGeneratedParserMergesThem() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 50; i++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int part = random.nextInt(4); part >= 0; part--) {
        out.write(withUnknowns(randomQuery(random), random).toByteArray());
      }
      byte[] wire = out.toByteArray();
      assertThat(decode(wire)).isEqualTo(ProtoMapping.toCore(Query.parseFrom(wire)));
    }
  }

  @Test
  void everyTruncationFailsOrParsesAsTheGeneratedParserDoes() {
    SplittableRandom random = new SplittableRandom(3);
    byte[] wire = withUnknowns(randomQuery(random), random).toByteArray();
    int failures = 0;
    for (int length = 0; length < wire.length; length++) {
      byte[] prefix = Arrays.copyOf(wire, length);
      RetrieveQuery expected;
      try {
        expected = ProtoMapping.toCore(Query.parseFrom(prefix));
      } catch (InvalidProtocolBufferException e) {
        failures++;
        assertThatThrownBy(() -> decode(prefix))
            .isInstanceOfSatisfying(OnfsException.class, error -> assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
            .hasMessage("invalid retrieve.Query: " + e.getMessage());
        continue;
      }
      assertThat(decode(prefix)).isEqualTo(expected);
    }
    assertThat(failures).isGreaterThan(wire.length / 2);
  }

  @Test
  void malformedBytesAreInvalidArguments() {
    byte[] badUtf8 = {0x22, 0x03, 0x0a, 0x01, (byte) 0xff};
    byte[] strayEndGroup = {0x0a, 0x01, 'u', 0x0c};
    byte[] badWireType = {0x0e, 0x00};
    byte[] zeroTag = {0x00, 0x00};
    byte[] negativeLength = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    byte[] endGroupInKeys = {0x22, 0x01, 0x0c};
    for (byte[] wire : List.of(badUtf8, strayEndGroup, badWireType, zeroTag, negativeLength, endGroupInKeys)) {
      assertThatThrownBy(() -> Query.parseFrom(wire)).isInstanceOf(InvalidProtocolBufferException.class);
      assertThatThrownBy(() -> decode(wire))
          .isInstanceOfSatisfying(OnfsException.class, error -> assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
          .hasMessageStartingWith("invalid retrieve.Query: ");
      RetrieveRequest request = RetrieveQueryCodec.requestMarshaller(Limits.defaults()).parse(new ByteArrayInputStream(wire));
      assertThat(request.parsedQuery()).isNull();
      assertThatThrownBy(request::query).isInstanceOf(OnfsException.class).hasMessageStartingWith("invalid retrieve.Query: ");
    }
  }

  @Test
  void serversCountKeysPastTheLimitWithoutKeepingThem() {
    List<RetrieveQuery.Keys> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 25; i++) {
      keys.add(RetrieveQuery.Keys.of("k" + i));
    }
    RetrieveQuery query = new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("fg", List.of("a"))),
        List.of("user_id"), keys);
    byte[] wire = RetrieveQueryCodec.encode(query);
    Limits limits = Limits.builder().maxKeysPerRequest(10).build();
    RetrieveRequest request = RetrieveQueryCodec.requestMarshaller(limits).parse(new ByteArrayInputStream(wire));
    assertThat(request.parsedQuery()).isNull();
    assertThatThrownBy(request::query).isInstanceOfSatisfying(OnfsException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_TOO_LARGE);
      assertThat(e.getMessage()).isEqualTo("keys per request: 25 > limit 10 (option max-keys-per-request)");
    });
    RetrieveQuery atLimit = new RetrieveQuery("user", query.featureGroups(), query.keysSchema(), keys.subList(0, 10));
    assertThat(RetrieveQueryCodec.requestMarshaller(limits)
        .parse(new ByteArrayInputStream(RetrieveQueryCodec.encode(atLimit))).query()).isEqualTo(atLimit);
  }

  @Test
  void marshallersStreamExactBytesAndReadThemBack() throws Exception {
    RetrieveQuery query = randomQuery(new SplittableRandom(11));
    byte[] expected = ProtoMapping.toProto(query).toByteArray();
    InputStream stream = RetrieveQueryCodec.MARSHALLER.stream(query);
    assertThat(((io.grpc.KnownLength) stream).available()).isEqualTo(expected.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(((io.grpc.Drainable) stream).drainTo(out)).isEqualTo(expected.length);
    assertThat(out.toByteArray()).isEqualTo(expected);
    // A stream of known length, and one that is not: both read whole.
    assertThat(RetrieveQueryCodec.MARSHALLER.parse(RetrieveQueryCodec.MARSHALLER.stream(query))).isEqualTo(query);
    assertThat(RetrieveQueryCodec.requestMarshaller(Limits.defaults()).parse(new ByteArrayInputStream(expected)).query()).isEqualTo(query);
  }

  @Test
  void readsStreamsThatUnderstateTheirLength() {
    byte[] bytes = new byte[10_000];
    new SplittableRandom(5).nextBytes(bytes);
    // available() is a lower bound for ordinary streams: whatever follows is still read.
    InputStream understated = new LyingStream(bytes, 100);
    assertThat(RetrieveQueryCodec.readAll(understated)).isEqualTo(bytes);
    assertThat(RetrieveQueryCodec.readAll(new LyingStream(bytes, bytes.length))).isEqualTo(bytes);
  }

  private static final class LyingStream extends ByteArrayInputStream implements io.grpc.KnownLength {
    private final int claimed;
    private boolean asked;

    LyingStream(byte[] bytes, int claimed) {
      super(bytes);
      this.claimed = claimed;
    }

    @Override
    public synchronized int available() {
      if (asked) {
        return super.available();
      }
      asked = true;
      return claimed;
    }
  }
}
