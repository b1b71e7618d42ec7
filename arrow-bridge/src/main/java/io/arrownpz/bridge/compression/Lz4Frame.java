package io.arrownpz.bridge.compression;

import io.arrownpz.internal.io.ExtractedLibraries;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.arrow.memory.ArrowBuf;

/** Facts of the LZ4 frame format (lz4_Frame_format.md) that the encoder and decoder share. */
final class Lz4Frame {
  static final int MAGIC = 0x184D2204;
  /** Skippable frames carry a magic number from 0x184D2A50 to 0x184D2A5F. */
  static final int SKIPPABLE_MASK = 0xFFFFFFF0;
  static final int SKIPPABLE_MAGIC = 0x184D2A50;

  static final int VERSION_MASK = 0xC0;
  static final int VERSION_01 = 0x40;
  static final int FLAG_INDEPENDENT_BLOCKS = 0x20;
  static final int FLAG_BLOCK_CHECKSUM = 0x10;
  static final int FLAG_CONTENT_SIZE = 0x08;
  static final int FLAG_CONTENT_CHECKSUM = 0x04;
  static final int FLAG_RESERVED = 0x02;
  static final int FLAG_DICTIONARY_ID = 0x01;

  /** The high bit of a block's size word: the block is stored as is. */
  static final int UNCOMPRESSED_BLOCK = 0x80000000;

  /** Data LZ4 expands by at most about 255 times (a match length byte of 255 per output byte). */
  static final long MAX_RATIO = 256;

  /**
   * lz4-java's block codecs, native where it can load its library. Loaded here, once, for the encoder and
   * the decoder, so that the copy of the library its loader leaves in the temporary folder goes at once.
   */
  static final LZ4Factory LZ4 = loadNative();

  private static final XXHash32 XXH32 = XXHashFactory.fastestInstance().hash32();
  /** For the few bytes of a frame descriptor a JNI call costs more than the hash: plain Java. */
  private static final XXHash32 XXH32_SMALL = XXHashFactory.fastestJavaInstance().hash32();

  private Lz4Frame() {}

  private static LZ4Factory loadNative() {
    LZ4Factory factory = LZ4Factory.fastestInstance();
    ExtractedLibraries.unlinkLoaded();
    return factory;
  }

  /** The block maximum size coded in the BD byte's bits 6-4 (4 = 64 KiB ... 7 = 4 MiB); -1 if invalid. */
  static int blockMaxSize(int bd) {
    int code = bd >>> 4 & 7;
    if ((bd & 0x8F) != 0 || code < 4) {
      return -1;
    }
    return 1 << (8 + 2 * code);
  }

  /** The BD byte for the smallest block size that holds {@code length} (64 KiB up to 4 MiB). */
  static int bdFor(long length) {
    for (int code = 4; code < 7; code++) {
      if (length <= 1L << (8 + 2 * code)) {
        return code << 4;
      }
    }
    return 7 << 4;
  }

  /** The frame descriptor's checksum byte: the second byte of the XXH32 of the descriptor. */
  static int headerChecksum(ArrowBuf buf, long from, int length) {
    byte[] descriptor = new byte[length];
    buf.getBytes(from, descriptor);
    return XXH32_SMALL.hash(descriptor, 0, length, 0) >>> 8 & 0xFF;
  }

  static int xxh32(ByteBuffer buffer, int length) {
    return XXH32.hash(buffer, 0, length, 0);
  }

  /** XXH32 of {@code buf[from, from + length)}; past 2 GiB, which one ByteBuffer cannot span, in pieces. */
  static int xxh32(ArrowBuf buf, long from, long length) {
    if (length <= Integer.MAX_VALUE) {
      return xxh32(buf.nioBuffer(from, (int) length), (int) length);
    }
    try (StreamingXXHash32 hash = XXHashFactory.fastestInstance().newStreamingHash32(0)) {
      byte[] piece = new byte[1 << 20];
      for (long at = 0; at < length; at += piece.length) {
        int n = (int) Math.min(piece.length, length - at);
        buf.getBytes(from + at, piece, 0, n);
        hash.update(piece, 0, n);
      }
      return hash.getValue();
    }
  }
}
