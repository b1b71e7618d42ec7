package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.compression.BatchCompression;
import io.arrownpz.bridge.compression.FastCompressionFactory;
import java.nio.channels.ReadableByteChannel;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Arrow's stream reader, with each record batch's buffers decompressed together, in parallel, and
 * checked against the batch's column lengths before Arrow loads them.
 */
final class DecompressingStreamReader extends ArrowStreamReader {
  DecompressingStreamReader(ReadableByteChannel in, BufferAllocator allocator) {
    super(in, allocator, FastCompressionFactory.INSTANCE);
  }

  @Override
  protected void loadRecordBatch(ArrowRecordBatch batch) {
    ArrowRecordBatch plain;
    try {
      plain = BatchCompression.decompress(batch, FastCompressionFactory.INSTANCE, allocator);
    } catch (RuntimeException e) {
      batch.close();
      throw e;
    }
    if (plain != batch) {
      batch.close();
    }
    String problem;
    try {
      problem = BatchShape.problem(getVectorSchemaRoot().getSchema(), plain);
    } catch (java.io.IOException e) {
      plain.close();
      throw new java.io.UncheckedIOException(e);
    }
    if (problem != null) {
      plain.close();
      throw new IllegalArgumentException(problem);
    }
    super.loadRecordBatch(plain);
  }
}
