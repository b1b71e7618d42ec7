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
   * The batch with its buffers decompressed, or the batch itself when it is not compressed. A new batch
   * holds new buffers; the caller closes both.
   */
  public static ArrowRecordBatch decompress(ArrowRecordBatch batch, CompressionCodec.Factory factory,
      BufferAllocator allocator) {
    CompressionUtil.CodecType type = CompressionUtil.CodecType.fromCompressionType(batch.getBodyCompression().getCodec());
    if (type == CompressionUtil.CodecType.NO_COMPRESSION) {
      return batch;
    }
    CompressionCodec codec = factory.createCodec(type);
    List<ArrowBuf> buffers = batch.getBuffers();
    // An absent buffer (a validity bitmap of a column without nulls) is stored empty, without a prefix.
    ArrowBuf[] out = map(buffers, buffers.stream().mapToLong(ArrowBuf::writerIndex).sum(),
        b -> b.writerIndex() == 0 ? b : codec.decompress(allocator, b));
    return new ArrowRecordBatch(batch.getLength(), batch.getNodes(), Arrays.asList(out),
        CompressionUtil.createBodyCompression(NoCompressionCodec.INSTANCE), batch.getVariadicBufferCounts(), false,
        false);
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
