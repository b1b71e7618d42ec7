package io.arrownpz.bridge.ipc;

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
    try {
      super.loadRecordBatch(IncomingBatches.prepare(batch, getVectorSchemaRoot().getSchema(), allocator));
    } catch (java.io.IOException e) {
      batch.close();
      throw new java.io.UncheckedIOException(e);
    }
  }
}
