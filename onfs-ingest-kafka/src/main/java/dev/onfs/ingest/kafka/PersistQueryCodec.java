package dev.onfs.ingest.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.persist.Query;

/**
 * A Kafka record value as a {@code persist.Query}: the generated protobuf classes of
 * {@code onfs-proto} and the shared {@link ProtoMapping}, with decode failures turned into the
 * {@link ErrorCode#INVALID_ARGUMENT} that dead-letters a record. Unknown fields are skipped.
 */
public final class PersistQueryCodec {
  private PersistQueryCodec() {}

  /**
   * Decodes a serialized query.
   *
   * @throws OnfsException {@link ErrorCode#INVALID_ARGUMENT} when the bytes are not a {@code persist.Query}
   */
  public static PersistQuery decode(byte[] bytes) {
    Query query;
    try {
      query = Query.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT, "record value is not a persist.Query: " + e.getMessage(), e);
    }
    return ProtoMapping.toCore(query);
  }

  /** The query's wire bytes (repeated scalars packed), as the reference's producers write them. */
  public static byte[] encode(PersistQuery query) {
    return ProtoMapping.toProto(query).toByteArray();
  }
}
