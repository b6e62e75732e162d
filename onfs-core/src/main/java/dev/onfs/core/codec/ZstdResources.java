package dev.onfs.core.codec;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.lang.ref.Cleaner;

/** Native zstd contexts freed on close, or by a cleaner if their owner is dropped unclosed. */
final class ZstdResources {
  private static final Cleaner CLEANER = Cleaner.create();

  private ZstdResources() {}

  static final class Compressor implements AutoCloseable {
    final ZstdCompressCtx context;
    private final Cleaner.Cleanable cleanable;

    Compressor(Object owner, int level) {
      ZstdCompressCtx ctx = new ZstdCompressCtx();
      ctx.setLevel(level);
      ctx.setChecksum(false);
      ctx.setContentSize(true);
      this.context = ctx;
      this.cleanable = CLEANER.register(owner, ctx::close);
    }

    @Override
    public void close() {
      cleanable.clean();
    }
  }

  static final class Decompressor implements AutoCloseable {
    final ZstdDecompressCtx context;
    private final Cleaner.Cleanable cleanable;

    Decompressor(Object owner) {
      ZstdDecompressCtx ctx = new ZstdDecompressCtx();
      this.context = ctx;
      this.cleanable = CLEANER.register(owner, ctx::close);
    }

    @Override
    public void close() {
      cleanable.clean();
    }
  }
}
