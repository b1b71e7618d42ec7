package io.arrownpz.bridge.compression;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Reads LZ4 frames into one output buffer of a known length. Independent blocks, and the first block of
 * every frame, go through lz4-java's native safe decompressor; later linked blocks (pyarrow's default),
 * whose matches reach into earlier blocks, through {@link Lz4BlockDecoder}, which sees the whole output
 * written so far. Checksums are verified when the frame has them. Any disagreement between the frame
 * and the declared length fails.
 *
 * <p>IPC files hold many small buffers, so the per-frame work is done on raw addresses, every access
 * checked here against the input and output bounds once, rather than through ArrowBuf's accessors.
 */
final class Lz4FrameDecoder {
  private static final LZ4SafeDecompressor DECOMPRESSOR = Lz4Frame.LZ4.safeDecompressor();

  private final ArrowBuf in;
  private final ArrowBuf out;
  private final long inBase;
  private final long inEnd;
  private final long outOffset;
  private final long outBase;
  private final long outLength;
  private long ip;
  private long op;

  private Lz4FrameDecoder(ArrowBuf in, long from, ArrowBuf out, long at, long outLength) {
    this.in = in;
    this.out = out;
    this.inBase = in.memoryAddress();
    this.inEnd = in.writerIndex();
    this.outOffset = at;
    this.outBase = out.memoryAddress() + at;
    this.outLength = outLength;
    this.ip = from;
  }

  /**
   * Decodes the frames in {@code in[from, in.writerIndex())} into {@code out[at, at + outLength)},
   * filling it exactly.
   */
  static void decode(ArrowBuf in, long from, ArrowBuf out, long at, long outLength) {
    Lz4FrameDecoder decoder = new Lz4FrameDecoder(in, from, out, at, outLength);
    while (decoder.ip < decoder.inEnd) {
      decoder.frame();
    }
    if (decoder.op != outLength) {
      throw malformed("holds " + decoder.op + " bytes, but its buffer declares " + outLength);
    }
  }

  private void frame() {
    int magic = readInt();
    if ((magic & Lz4Frame.SKIPPABLE_MASK) == Lz4Frame.SKIPPABLE_MAGIC) {
      skip(Integer.toUnsignedLong(readInt()));
      return;
    }
    if (magic != Lz4Frame.MAGIC) {
      throw malformed("does not start with the LZ4 frame magic number");
    }
    long descriptor = ip;
    need(2);
    int flags = MemoryUtil.getByte(inBase + ip) & 0xFF;
    int bd = MemoryUtil.getByte(inBase + ip + 1) & 0xFF;
    ip += 2;
    if ((flags & Lz4Frame.VERSION_MASK) != Lz4Frame.VERSION_01 || (flags & Lz4Frame.FLAG_RESERVED) != 0) {
      throw malformed("has an unknown version or reserved flags (FLG 0x" + Integer.toHexString(flags) + ")");
    }
    int blockMax = Lz4Frame.blockMaxSize(bd);
    if (blockMax < 0) {
      throw malformed("has an invalid block descriptor (BD 0x" + Integer.toHexString(bd) + ")");
    }
    long contentSize = -1;
    if ((flags & Lz4Frame.FLAG_CONTENT_SIZE) != 0) {
      need(8);
      contentSize = MemoryUtil.getLong(inBase + ip);
      ip += 8;
    }
    if ((flags & Lz4Frame.FLAG_DICTIONARY_ID) != 0) {
      throw malformed("needs an external dictionary, which IPC buffers never use");
    }
    need(1);
    int checksum = MemoryUtil.getByte(inBase + ip) & 0xFF;
    if (checksum != Lz4Frame.headerChecksum(in, descriptor, (int) (ip - descriptor))) {
      throw malformed("has a frame descriptor whose checksum does not match");
    }
    ip++;
    long frameStart = op;
    boolean independent = (flags & Lz4Frame.FLAG_INDEPENDENT_BLOCKS) != 0;
    boolean blockChecksums = (flags & Lz4Frame.FLAG_BLOCK_CHECKSUM) != 0;
    while (true) {
      int word = readInt();
      if (word == 0) {
        break;
      }
      int size = word & ~Lz4Frame.UNCOMPRESSED_BLOCK;
      if (size > blockMax) {
        throw malformed("has a block of " + size + " bytes, above its " + blockMax + "-byte maximum");
      }
      need(size);
      long room = Math.min(blockMax, outLength - op);
      if ((word & Lz4Frame.UNCOMPRESSED_BLOCK) != 0) {
        if (size > room) {
          throw malformed("holds more than its buffer declares");
        }
        MemoryUtil.copyMemory(inBase + ip, outBase + op, size);
        op += size;
      } else {
        op = independent ? independentBlock(size, room)
            : op == frameStart ? firstLinkedBlock(size, room, frameStart)
            : linkedBlock(size, room, frameStart);
      }
      if (blockChecksums) {
        int expected = Lz4Frame.xxh32(in.nioBuffer(ip, size), size);
        ip += size;
        if (readInt() != expected) {
          throw malformed("has a block whose checksum does not match");
        }
      } else {
        ip += size;
      }
    }
    if ((flags & Lz4Frame.FLAG_CONTENT_CHECKSUM) != 0) {
      int expected = readInt();
      if (Lz4Frame.xxh32(out, outOffset + frameStart, op - frameStart) != expected) {
        throw malformed("content does not match its checksum");
      }
    }
    if (contentSize >= 0 && contentSize != op - frameStart) {
      throw malformed("holds " + (op - frameStart) + " bytes, but its header says " + contentSize);
    }
  }

  private long independentBlock(int size, long room) {
    try {
      int written = DECOMPRESSOR.decompress(in.nioBuffer(ip, size), 0, size, out.nioBuffer(outOffset + op, (int) room), 0,
          (int) room);
      return op + written;
    } catch (LZ4Exception e) {
      throw malformed("has a malformed block: " + e.getMessage());
    }
  }

  /**
   * A linked frame's first block has no earlier output to reach into, so the native decoder can take it
   * (at 64 KiB, most of an IPC buffer; liblz4 decodes it several times faster). Should it refuse the
   * block, ours decodes it again, to name the problem precisely (or to take what it accepts).
   */
  private long firstLinkedBlock(int size, long room, long frameStart) {
    try {
      return independentBlock(size, room);
    } catch (CompressedBufferException e) {
      return linkedBlock(size, room, frameStart);
    }
  }

  private long linkedBlock(int size, long room, long frameStart) {
    long end = Lz4BlockDecoder.decode(inBase + ip, size, outBase + frameStart, outBase + op, outBase + op + room);
    return end - outBase;
  }

  private int readInt() {
    need(4);
    int value = MemoryUtil.getInt(inBase + ip);
    ip += 4;
    return value;
  }

  private void need(long bytes) {
    if (bytes > inEnd - ip) {
      throw malformed("is truncated");
    }
  }

  private void skip(long bytes) {
    need(bytes);
    ip += bytes;
  }

  private static CompressedBufferException malformed(String problem) {
    return new CompressedBufferException("LZ4 frame " + problem);
  }
}
