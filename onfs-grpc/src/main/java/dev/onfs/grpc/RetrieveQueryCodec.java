package dev.onfs.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.Limits;
import dev.onfs.core.serving.RetrieveQuery;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link RetrieveQuery} as {@code retrieve.Query} bytes and reads them straight back, byte for
 * byte what the generated message would send and accept (unknown fields skipped, strings checked to be
 * UTF-8), without building the message: a 100-key query is 100 {@code Keys} messages and their string
 * lists, built only to be serialized on the client and copied out again on the server.
 *
 * <p>Lists handed to the core are immutable JDK lists, so that the core's defensive copies keep them
 * as they are.
 */
public final class RetrieveQueryCodec {
  private static final int QUERY_ENTITY_LABEL = tag(1);
  private static final int QUERY_FEATURE_GROUPS = tag(2);
  private static final int QUERY_KEYS_SCHEMA = tag(3);
  private static final int QUERY_KEYS = tag(4);
  private static final int GROUP_LABEL = tag(1);
  private static final int GROUP_FEATURE_LABELS = tag(2);
  private static final int KEYS_COLS = tag(1);

  /** The marshaller of {@code retrieve.Query} as a {@link RetrieveQuery}, for clients. */
  public static final MethodDescriptor.Marshaller<RetrieveQuery> MARSHALLER = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(RetrieveQuery value) {
      return new EncodedStream(encode(value));
    }

    @Override
    public RetrieveQuery parse(InputStream stream) {
      byte[] wire = readAll(stream);
      return decode(wire, 0, wire.length);
    }
  };

  /**
   * The marshaller servers use: a request that is not a {@code retrieve.Query} still parses, into a
   * {@link RetrieveRequest} that fails the call with INVALID_ARGUMENT when the service asks for the query;
   * one with more keys than {@code limits} allow fails with REQUEST_TOO_LARGE, and only its first keys
   * are read into memory.
   */
  static MethodDescriptor.Marshaller<RetrieveRequest> requestMarshaller(Limits limits) {
    requireNonNull(limits, "limits is null");
    return new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(RetrieveRequest value) {
        return new EncodedStream(encode(value.query()));
      }

      @Override
      public RetrieveRequest parse(InputStream stream) {
        byte[] wire = readAll(stream);
        try {
          return new RetrieveRequest(decode(wire, 0, wire.length, limits), null);
        } catch (OnfsException e) {
          if (e.code() == ErrorCode.INVALID_ARGUMENT) {
            MalformedRequests.RETRIEVE.report(e.getMessage());
          }
          return new RetrieveRequest(null, e);
        }
      }
    };
  }

  private RetrieveQueryCodec() {}

  /** The serialized {@code retrieve.Query}. */
  public static byte[] encode(RetrieveQuery query) {
    String entityLabel = query.entityLabel();
    int size = entityLabel.isEmpty() ? 0 : CodedOutputStream.computeStringSize(1, entityLabel);
    List<RetrieveQuery.FeatureGroup> groups = query.featureGroups();
    int[] groupSizes = new int[groups.size()];
    for (int g = 0; g < groupSizes.length; g++) {
      RetrieveQuery.FeatureGroup group = groups.get(g);
      int groupSize = group.label().isEmpty() ? 0 : CodedOutputStream.computeStringSize(1, group.label());
      List<String> features = group.featureLabels();
      for (int f = 0; f < features.size(); f++) {
        groupSize += CodedOutputStream.computeStringSize(2, features.get(f));
      }
      groupSizes[g] = groupSize;
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(groupSize) + groupSize;
    }
    List<String> keysSchema = query.keysSchema();
    for (int k = 0; k < keysSchema.size(); k++) {
      size += CodedOutputStream.computeStringSize(3, keysSchema.get(k));
    }
    List<RetrieveQuery.Keys> keys = query.keys();
    int[] keySizes = new int[keys.size()];
    for (int k = 0; k < keySizes.length; k++) {
      List<String> cols = keys.get(k).cols();
      int keySize = 0;
      for (int c = 0; c < cols.size(); c++) {
        keySize += CodedOutputStream.computeStringSize(1, cols.get(c));
      }
      keySizes[k] = keySize;
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(keySize) + keySize;
    }
    byte[] out = new byte[size];
    CodedOutputStream output = CodedOutputStream.newInstance(out);
    try {
      if (!entityLabel.isEmpty()) {
        output.writeString(1, entityLabel);
      }
      for (int g = 0; g < groupSizes.length; g++) {
        RetrieveQuery.FeatureGroup group = groups.get(g);
        output.writeUInt32NoTag(QUERY_FEATURE_GROUPS);
        output.writeUInt32NoTag(groupSizes[g]);
        if (!group.label().isEmpty()) {
          output.writeString(1, group.label());
        }
        List<String> features = group.featureLabels();
        for (int f = 0; f < features.size(); f++) {
          output.writeString(2, features.get(f));
        }
      }
      for (int k = 0; k < keysSchema.size(); k++) {
        output.writeString(3, keysSchema.get(k));
      }
      for (int k = 0; k < keySizes.length; k++) {
        List<String> cols = keys.get(k).cols();
        output.writeUInt32NoTag(QUERY_KEYS);
        output.writeUInt32NoTag(keySizes[k]);
        for (int c = 0; c < cols.size(); c++) {
          output.writeString(1, cols.get(c));
        }
      }
      output.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("sizing a retrieve.Query went wrong", e);
    }
    return out;
  }

  /**
   * Reads a serialized {@code retrieve.Query}.
   *
   * @throws OnfsException INVALID_ARGUMENT when the bytes are not one
   */
  public static RetrieveQuery decode(byte[] wire, int offset, int length) {
    return decode(wire, offset, length, null);
  }

  /**
   * Reads a serialized {@code retrieve.Query}, checking its key count against {@code limits} (when not
   * null) before keeping more keys than they allow.
   *
   * @throws OnfsException INVALID_ARGUMENT when the bytes are not a {@code retrieve.Query},
   *     REQUEST_TOO_LARGE when it has more keys than {@code limits} allow
   */
  static RetrieveQuery decode(byte[] wire, int offset, int length, @Nullable Limits limits) {
    CodedInputStream input = CodedInputStream.newInstance(wire, offset, length);
    input.setSizeLimit(Integer.MAX_VALUE);
    try {
      return readQuery(input, limits);
    } catch (InvalidProtocolBufferException e) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "invalid retrieve.Query: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RetrieveQuery readQuery(CodedInputStream input, @Nullable Limits limits) throws IOException {
    int maxKeys = limits == null ? Integer.MAX_VALUE : limits.maxKeysPerRequest();
    long keyCount = 0;
    String entityLabel = "";
    Scratch<RetrieveQuery.FeatureGroup> groups = new Scratch<>(new RetrieveQuery.FeatureGroup[4]);
    Scratch<String> keysSchema = new Scratch<>(new String[2]);
    Scratch<RetrieveQuery.Keys> keys = new Scratch<>(new RetrieveQuery.Keys[64]);
    // Shared by every nested message: their lists are copied out of it.
    Scratch<String> strings = new Scratch<>(new String[8]);
    int tag;
    while ((tag = input.readTag()) != 0) {
      if (tag == QUERY_KEYS) {
        // Past the limit, keys are only counted, so that the error can say how many there were.
        if (++keyCount <= maxKeys) {
          keys.add(readKeys(input, strings));
        } else {
          skip(input, tag);
        }
      } else if (tag == QUERY_KEYS_SCHEMA) {
        keysSchema.add(input.readStringRequireUtf8());
      } else if (tag == QUERY_FEATURE_GROUPS) {
        groups.add(readFeatureGroup(input, strings));
      } else if (tag == QUERY_ENTITY_LABEL) {
        entityLabel = input.readStringRequireUtf8();
      } else {
        skip(input, tag);
      }
    }
    if (limits != null) {
      limits.checkKeys(keyCount);
    }
    return new RetrieveQuery(entityLabel, groups.toList(), keysSchema.toList(), keys.toList());
  }

  private static RetrieveQuery.Keys readKeys(CodedInputStream input, Scratch<String> cols) throws IOException {
    int limit = enter(input);
    cols.clear();
    int tag;
    while ((tag = input.readTag()) != 0) {
      if (tag == KEYS_COLS) {
        cols.add(input.readStringRequireUtf8());
      } else {
        skip(input, tag);
      }
    }
    input.popLimit(limit);
    return new RetrieveQuery.Keys(cols.toList());
  }

  private static RetrieveQuery.FeatureGroup readFeatureGroup(CodedInputStream input, Scratch<String> features)
      throws IOException {
    int limit = enter(input);
    features.clear();
    String label = "";
    int tag;
    while ((tag = input.readTag()) != 0) {
      if (tag == GROUP_FEATURE_LABELS) {
        features.add(input.readStringRequireUtf8());
      } else if (tag == GROUP_LABEL) {
        label = input.readStringRequireUtf8();
      } else {
        skip(input, tag);
      }
    }
    input.popLimit(limit);
    return new RetrieveQuery.FeatureGroup(label, features.toList());
  }

  /** Limits the input to the embedded message that follows; returns the limit to restore. */
  static int enter(CodedInputStream input) throws IOException {
    return input.pushLimit(input.readRawVarint32());
  }

  /**
   * Skips a field this reader does not know, as the generated parser does; an end-group tag that
   * closes no group is an error there too.
   */
  static void skip(CodedInputStream input, int tag) throws IOException {
    if (!input.skipField(tag)) {
      input.checkLastTagWas(0);
    }
  }

  /** The whole message: gRPC's own streams know their length, so this is one exact-size copy. */
  static byte[] readAll(InputStream stream) {
    try {
      if (stream instanceof io.grpc.KnownLength) {
        int size = stream.available();
        byte[] bytes = new byte[size];
        int read = 0;
        while (read < size) {
          int n = stream.read(bytes, read, size - read);
          if (n < 0) {
            return java.util.Arrays.copyOf(bytes, read);
          }
          read += n;
        }
        int next = stream.read();
        if (next < 0) {
          return bytes;
        }
        byte[] rest = stream.readAllBytes();
        byte[] all = java.util.Arrays.copyOf(bytes, size + 1 + rest.length);
        all[size] = (byte) next;
        System.arraycopy(rest, 0, all, size + 1, rest.length);
        return all;
      }
      return stream.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tag of a length-delimited field. */
  static int tag(int field) {
    return (field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  /** A growable array that ends as an immutable list with a single copy (what the core's copy keeps). */
  static final class Scratch<T> {
    private T[] items;
    private int size;

    Scratch(T[] initial) {
      this.items = initial;
    }

    void add(T item) {
      if (size == items.length) {
        items = java.util.Arrays.copyOf(items, size * 2);
      }
      items[size++] = item;
    }

    void clear() {
      size = 0;
    }

    int size() {
      return size;
    }

    List<T> toList() {
      switch (size) {
        case 0:
          return List.of();
        case 1:
          return List.of(items[0]);
        case 2:
          return List.of(items[0], items[1]);
        default:
          // List.of copies its argument; the copy is the only one when the array is full.
          return List.of(size == items.length ? items : java.util.Arrays.copyOf(items, size));
      }
    }
  }
}
