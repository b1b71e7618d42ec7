package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.compression.BatchCompression;
import io.arrownpz.bridge.compression.FastCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/** What our IPC readers do with a record batch before Arrow loads it: decompress it, then check it. */
final class IncomingBatches {
  private IncomingBatches() {}

  /**
   * The batch decompressed (all buffers at once, in parallel) and checked against the schema's column
   * lengths. Takes over {@code batch}; the caller closes (or loads) what is returned.
   *
   * @throws IllegalArgumentException naming the problem, with nothing left allocated
   */
  static ArrowRecordBatch prepare(ArrowRecordBatch batch, Schema schema, BufferAllocator allocator) {
    ArrowRecordBatch plain;
    try {
      plain = BatchCompression.decompress(batch, FastCompressionFactory.INSTANCE, allocator);
    } catch (RuntimeException e) {
      batch.close();
      throw e;
    }
    if (plain != batch) {
      batch.close(); // the decompressed buffers are new; the compressed ones are no longer needed
    }
    String problem = BatchShape.problem(schema, plain);
    if (problem != null) {
      plain.close();
      throw new IllegalArgumentException(problem);
    }
    return plain;
  }
}
