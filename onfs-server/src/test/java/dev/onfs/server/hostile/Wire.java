package dev.onfs.server.hostile;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Protobuf bytes written field by field, for messages no generated builder would produce: invalid
 * UTF-8 in string fields, impossible lengths, bad tags. Fields are written as given, without checks.
 */
final class Wire {
  private final ByteString.Output out = ByteString.newOutput();
  private final CodedOutputStream coded = CodedOutputStream.newInstance(out);

  static Wire message() {
    return new Wire();
  }

  /** A length-delimited field holding {@code content} as is (a string, bytes or a sub-message). */
  Wire bytes(int field, byte[] content) {
    return write(() -> coded.writeByteArray(field, content));
  }

  Wire string(int field, String text) {
    return bytes(field, text.getBytes(StandardCharsets.UTF_8));
  }

  Wire message(int field, Wire inner) {
    return bytes(field, inner.toBytes());
  }

  /** A tag with any wire type, even the invalid 6 and 7. */
  Wire tag(int field, int wireType) {
    return write(() -> coded.writeUInt32NoTag((field << 3) | wireType));
  }

  /** A length-delimited tag and a declared length, without the bytes the length promises. */
  Wire lengthOnly(int field, long declaredLength) {
    tag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    return write(() -> coded.writeUInt64NoTag(declaredLength));
  }

  /** Bytes appended as they are. */
  Wire raw(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return raw(b);
  }

  Wire raw(byte[] bytes) {
    return write(() -> coded.writeRawBytes(bytes));
  }

  byte[] toBytes() {
    write(coded::flush);
    return out.toByteString().toByteArray();
  }

  private interface Write {
    void run() throws IOException;
  }

  private Wire write(Write write) {
    try {
      write.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
