package dev.onfs.core.codec;

/** Payload compression of a PSDB block, with the 3-bit id stored in header byte 7. */
public enum PsdbCompression {
  /** Payload stored as is. */
  NONE(0),
  /** Payload compressed as one zstd frame; the encoder keeps it only when it is smaller. */
  ZSTD(1);

  private final int id;

  PsdbCompression(int id) {
    this.id = id;
  }

  /** The id stored in the header. */
  public int id() {
    return id;
  }
}
