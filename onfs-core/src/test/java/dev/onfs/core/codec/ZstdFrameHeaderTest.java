package dev.onfs.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZstdFrameHeaderTest {

  /** Sizes around every boundary of the header's size field encodings (1, 2, 4 bytes). */
  private static final int[] SIZES = {0, 1, 40, 255, 256, 257, 65_535, 65_536 + 255, 65_536 + 256, 65_536 + 257, 200_000};

  @Test
  void agreesWithTheNativeLibraryOnEveryFieldSize() {
    SplittableRandom random = new SplittableRandom(7);
    for (int size : SIZES) {
      byte[] input = new byte[size];
      for (int i = 0; i < size; i++) {
        input[i] = (byte) random.nextInt(4); // compressible and not trivially so
      }
      for (int level : new int[] {-5, 1, 3, 19}) {
        byte[] frame = Zstd.compress(input, level);
        assertThat(ZstdFrameHeader.contentSize(frame, 0, frame.length)).as("size %d level %d", size, level)
            .isEqualTo(size)
            .isEqualTo(Zstd.getFrameContentSize(frame, 0, frame.length));
        // Inside a larger array, as blocks are.
        byte[] padded = new byte[frame.length + 20];
        System.arraycopy(frame, 0, padded, 9, frame.length);
        assertThat(ZstdFrameHeader.contentSize(padded, 9, frame.length)).isEqualTo(size);
      }
    }
  }

  @Test
  void framesWithoutADeclaredSizeAndNonFramesAreUnknown() {
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      ctx.setContentSize(false);
      byte[] frame = ctx.compress(new byte[5000]);
      assertThat(Zstd.getFrameContentSize(frame, 0, frame.length)).isNegative();
      assertThat(ZstdFrameHeader.contentSize(frame, 0, frame.length)).isEqualTo(-1);
    }
    byte[] frame = Zstd.compress(new byte[70_000], 3);
    for (int length = 0; length < 8; length++) {
      assertThat(ZstdFrameHeader.contentSize(frame, 0, length)).as("truncated to %d", length).isEqualTo(-1);
    }
    assertThat(ZstdFrameHeader.contentSize(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8)).isEqualTo(-1);
    byte[] reserved = frame.clone();
    reserved[4] |= 0x08;
    assertThat(ZstdFrameHeader.contentSize(reserved, 0, reserved.length)).isEqualTo(-1);
  }
}
