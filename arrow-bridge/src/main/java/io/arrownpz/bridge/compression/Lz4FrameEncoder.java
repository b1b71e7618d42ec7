package io.arrownpz.bridge.compression;

import java.util.stream.IntStream;
import net.jpountz.lz4.LZ4Compressor;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Writes an LZ4 frame with independent blocks and the content size, which any LZ4 frame reader (Arrow
 * C++, the lz4 tool) accepts. Blocks are compressed by lz4-java's native compressor straight from and
 * into off-heap memory; a large buffer's blocks are compressed in parallel, since they do not depend on
 * each other, and then laid end to end.
 */
final class Lz4FrameEncoder {
  private static final LZ4Compressor COMPRESSOR = Lz4Frame.LZ4.fastCompressor();
  /** Below this many blocks, compressing them one after another is cheaper than handing them out. */
  private static final int PARALLEL_BLOCKS = 4;
  private static final int HEADER_MAX = 4 + 2 + 8 + 1;

  private Lz4FrameEncoder() {}

  /**
   * The frame of {@code source}'s readable bytes, after {@code prefix} reserved bytes, in blocks no larger
   * than the buffer needs nor than {@code maxBlockSize}.
   */
  static ArrowBuf encode(BufferAllocator allocator, ArrowBuf source, long prefix, int maxBlockSize) {
    long length = source.writerIndex();
    int bd = Lz4Frame.bdFor(Math.min(length, maxBlockSize));
    int blockSize = Lz4Frame.blockMaxSize(bd);
    int blocks = (int) ((length + blockSize - 1) / blockSize);
    // Room for what each block can grow to, reckoned on its real length (as compressBlock does): a
    // short buffer (a column of 100 values) must not take a whole block's worth (64 KiB) of memory.
    long bound = 0;
    for (int b = 0; b < blocks; b++) {
      bound += 4 + COMPRESSOR.maxCompressedLength(blockLength(length, b, blockSize));
    }
    int boundPerBlock = 4 + COMPRESSOR.maxCompressedLength(blockSize); // a full block, for parallel scratch
    ArrowBuf out = allocator.buffer(prefix + HEADER_MAX + bound + 4);
    try {
      long at = prefix;
      out.setInt(at, Lz4Frame.MAGIC);
      out.setByte(at + 4, Lz4Frame.VERSION_01 | Lz4Frame.FLAG_INDEPENDENT_BLOCKS | Lz4Frame.FLAG_CONTENT_SIZE);
      out.setByte(at + 5, bd);
      out.setLong(at + 6, length);
      out.setByte(at + 14, Lz4Frame.headerChecksum(out, at + 4, 10));
      at += HEADER_MAX;
      if (blocks >= PARALLEL_BLOCKS) {
        at = compressInParallel(source, out, at, blocks, blockSize, boundPerBlock, allocator);
      } else {
        for (int b = 0; b < blocks; b++) {
          at += compressBlock(source, (long) b * blockSize, blockLength(length, b, blockSize), out, at);
        }
      }
      out.setInt(at, 0);
      out.writerIndex(at + 4);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private static int blockLength(long length, int block, int blockSize) {
    return (int) Math.min(blockSize, length - (long) block * blockSize);
  }

  /** Compresses one block with its size word at {@code at}, into at most 4 + its bound; returns the bytes written. */
  private static int compressBlock(ArrowBuf source, long from, int length, ArrowBuf out, long at) {
    int room = COMPRESSOR.maxCompressedLength(length);
    int written = COMPRESSOR.compress(source.nioBuffer(from, length), 0, length, out.nioBuffer(at + 4, room), 0, room);
    if (written >= length) {
      // Incompressible: the block goes in as it is, as the format allows.
      out.setInt(at, length | Lz4Frame.UNCOMPRESSED_BLOCK);
      out.setBytes(at + 4, source, from, length);
      return 4 + length;
    }
    out.setInt(at, written);
    return 4 + written;
  }

  /** Blocks compressed side by side into a scratch buffer each, then copied into place in order. */
  private static long compressInParallel(ArrowBuf source, ArrowBuf out, long at, int blocks, int blockSize,
      int bound, BufferAllocator allocator) {
    long length = source.writerIndex();
    try (ArrowBuf scratch = allocator.buffer((long) blocks * bound)) {
      int[] sizes = new int[blocks];
      IntStream.range(0, blocks).parallel().forEach(b -> sizes[b] = compressBlock(source, (long) b * blockSize,
          blockLength(length, b, blockSize), scratch, (long) b * bound));
      for (int b = 0; b < blocks; b++) {
        out.setBytes(at, scratch, (long) b * bound, sizes[b]);
        at += sizes[b];
      }
      return at;
    }
  }
}
