package io.arrownpz.bridge.compression;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Compresses or decompresses all the buffers of a record batch at once, in parallel when the batch is
 * big enough for that to pay. The IPC format compresses each buffer on its own, but Arrow Java's
 * unloader and loader go through them one at a time.
 */
public final class BatchCompression {
  /** Below this many bytes in a batch, handing buffers to other threads costs more than it saves. */
  static final long PARALLEL_BYTES = 1 << 20;

  private BatchCompression() {}

  /** A compressed copy of an uncompressed batch; the caller closes both. */
  public static ArrowRecordBatch compress(ArrowRecordBatch plain, CompressionCodec codec, BufferAllocator allocator) {
    List<ArrowBuf> buffers = plain.getBuffers();
    ArrowBuf[] out = map(buffers, buffers.stream().mapToLong(ArrowBuf::writerIndex).sum(),
        b -> codec.compress(allocator, b));
    return new ArrowRecordBatch(plain.getLength(), plain.getNodes(), Arrays.asList(out),
        CompressionUtil.createBodyCompression(codec), plain.getVariadicBufferCounts(), true, false);
  }

  /**
   * The batch with its buffers decompressed by {@code factory}'s codecs, or the batch itself when it is
   * not compressed. Our codecs decompress every buffer into one allocation, in parallel; another
   * factory's codecs (arrow-compression's, say) one buffer at a time, as Arrow's loader would. A new
   * batch holds new buffers; the caller closes both.
   */
  public static ArrowRecordBatch decompress(ArrowRecordBatch batch, CompressionCodec.Factory factory,
      BufferAllocator allocator) {
    CompressionUtil.CodecType type = CompressionUtil.CodecType.fromCompressionType(batch.getBodyCompression().getCodec());
    if (type == CompressionUtil.CodecType.NO_COMPRESSION) {
      return batch;
    }
    CompressionCodec codec = factory.createCodec(type);
    ArrowBuf[] out = codec instanceof DirectDecompression direct
        ? decompressIntoOne(batch.getBuffers(), direct, allocator)
        : decompressEach(batch.getBuffers(), codec, allocator);
    return new ArrowRecordBatch(batch.getLength(), batch.getNodes(), Arrays.asList(out),
        CompressionUtil.createBodyCompression(NoCompressionCodec.INSTANCE), batch.getVariadicBufferCounts(), false,
        false);
  }

  /** Each buffer by the codec's own decompress, which releases its input: so each is retained first. */
  private static ArrowBuf[] decompressEach(List<ArrowBuf> buffers, CompressionCodec codec, BufferAllocator allocator) {
    ArrowBuf[] out = new ArrowBuf[buffers.size()];
    try {
      for (int i = 0; i < out.length; i++) {
        ArrowBuf in = buffers.get(i);
        in.getReferenceManager().retain();
        out[i] = codec.decompress(allocator, in);
      }
      return out;
    } catch (RuntimeException e) {
      closeMade(out);
      throw e;
    }
  }

  /** Releases the buffers made before a failure (the rest of the array is still null). */
  private static void closeMade(ArrowBuf[] made) {
    for (ArrowBuf b : made) {
      if (b != null) {
        b.close();
      }
    }
  }

  /** Where a buffer's decompressed bytes go: its own input (absent, or stored raw) or a place in the block. */
  private static final long KEEP = -1;

  /**
   * Decompresses every buffer into one allocation, each at an 8-byte aligned place, in parallel when it
   * pays. Buffers stored uncompressed (length -1) are slices of the input, as in Arrow; an absent buffer
   * (a validity bitmap of a column without nulls) is stored empty, without a prefix, and passes through.
   */
  private static ArrowBuf[] decompressIntoOne(List<ArrowBuf> buffers, DirectDecompression codec,
      BufferAllocator allocator) {
    int n = buffers.size();
    long[] at = new long[n];
    long[] length = new long[n];
    long total = 0;
    long compressedBytes = 0;
    for (int i = 0; i < n; i++) {
      ArrowBuf b = buffers.get(i);
      long size = b.writerIndex();
      compressedBytes += size;
      at[i] = KEEP;
      if (size == 0) {
        continue;
      }
      if (size < CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH) {
        throw new CompressedBufferException("buffer " + i + " is shorter than its 8-byte length prefix");
      }
      long declared = b.getLong(0);
      if (declared == CompressionUtil.NO_COMPRESSION_LENGTH || declared == 0) {
        length[i] = declared;
        continue;
      }
      length[i] = codec.checkedLength(declared, size - CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH);
      at[i] = total;
      total = Math.addExact(total, (length[i] + 7) & ~7L);
    }
    ArrowBuf block = allocator.buffer(total);
    ArrowBuf[] out = new ArrowBuf[n];
    try {
      IntStream indices = IntStream.range(0, n);
      if (compressedBytes >= PARALLEL_BYTES && n > 1) {
        indices = indices.parallel();
      }
      indices.forEach(i -> {
        if (at[i] != KEEP) {
          codec.decompressInto(buffers.get(i), block, at[i], length[i]);
        }
      });
      for (int i = 0; i < n; i++) {
        ArrowBuf b = buffers.get(i);
        ArrowBuf view = at[i] != KEEP ? block.slice(at[i], length[i])
            : length[i] == CompressionUtil.NO_COMPRESSION_LENGTH
                ? b.slice(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, b.writerIndex() - CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH)
                : length[i] == 0 && b.writerIndex() > 0 ? allocator.getEmpty() : b;
        // Each result holds a reference of its own, which the new batch releases.
        view.getReferenceManager().retain();
        view.writerIndex(view.capacity());
        out[i] = view;
      }
      return out;
    } catch (RuntimeException e) {
      closeMade(out);
      throw e;
    } finally {
      block.close();
    }
  }

  private interface BufferOp {
    ArrowBuf apply(ArrowBuf buffer);
  }

  /**
   * Applies {@code op} (which takes over the reference it is given) to a retained reference of every
   * buffer. On failure every result made so far is released and the first failure is thrown.
   */
  private static ArrowBuf[] map(List<ArrowBuf> buffers, long bytes, BufferOp op) {
    ArrowBuf[] out = new ArrowBuf[buffers.size()];
    IntStream indices = IntStream.range(0, out.length);
    if (bytes >= PARALLEL_BYTES && out.length > 1) {
      indices = indices.parallel();
    }
    List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    indices.forEach(i -> {
      ArrowBuf in = buffers.get(i);
      in.getReferenceManager().retain();
      try {
        out[i] = op.apply(in);
      } catch (RuntimeException e) {
        in.close(); // Arrow's codecs release their input only when they succeed
        failures.add(e);
      }
    });
    if (!failures.isEmpty()) {
      for (ArrowBuf b : out) {
        if (b != null) {
          b.close();
        }
      }
      throw failures.get(0);
    }
    return out;
  }
}
