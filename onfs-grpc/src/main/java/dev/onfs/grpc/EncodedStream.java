package dev.onfs.grpc;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;

/** An encoded message gRPC can size and copy into its buffers without reading it byte by byte. */
final class EncodedStream extends ByteArrayInputStream implements KnownLength, Drainable {
  EncodedStream(byte[] bytes) {
    super(bytes);
  }

  @Override
  public int drainTo(OutputStream target) throws IOException {
    int n = count - pos;
    target.write(buf, pos, n);
    pos = count;
    return n;
  }
}
