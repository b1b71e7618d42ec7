package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.compression.BatchCompression;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What our IPC readers do with a record batch before Arrow loads it: decompress it, check it, and turn
 * a big-endian file's numbers into native order.
 */
final class IncomingBatches {
  private IncomingBatches() {}

  /**
   * The batch decompressed (all buffers at once, in parallel), checked against the schema's column
   * lengths and, for a big-endian file, byte-swapped. Takes over {@code batch}; the caller closes (or
   * loads) what is returned.
   *
   * @throws IllegalArgumentException naming the problem, with nothing left allocated
   */
  static ArrowRecordBatch prepare(ArrowRecordBatch batch, Schema schema, boolean bigEndian, BufferAllocator allocator,
      CompressionCodec.Factory codecs) {
    ArrowRecordBatch plain = decompress(batch, allocator, codecs);
    check(plain, schema, bigEndian, "");
    return bigEndian ? swap(plain, schema.getFields(), allocator) : plain;
  }

  /**
   * A dictionary batch ready for Arrow's loader: decompressed by us (Arrow's loader leaks what it
   * decompressed when a later buffer fails), checked against its values' field, and, for a big-endian
   * file, byte-swapped. Takes over {@code batch}.
   */
  static ArrowDictionaryBatch prepareDictionary(ArrowDictionaryBatch batch, Field valueField, boolean bigEndian,
      BufferAllocator allocator, CompressionCodec.Factory codecs) {
    ArrowRecordBatch plain = decompress(batch.getDictionary(), allocator, codecs);
    // Arrow's loader reallocates a vector whose buffers are shorter than its count says, and leaks the new
    // buffer when the copy fails: the same check as for record batches, against the dictionary's values.
    check(plain, new Schema(List.of(valueField)), bigEndian, "dictionary " + batch.getDictionaryId() + ": ");
    if (!bigEndian && plain == batch.getDictionary()) {
      return batch;
    }
    ArrowRecordBatch ready = bigEndian ? swap(plain, List.of(valueField), allocator) : plain;
    return new ArrowDictionaryBatch(batch.getDictionaryId(), ready, batch.isDelta());
  }

  /**
   * Checks {@code plain} against {@code schema}, closing it when it fails: with the problem found, or when
   * the check itself fails on what the schema says (a fuzzed type's bit width, say; 768 bytes were left).
   */
  private static void check(ArrowRecordBatch plain, Schema schema, boolean bigEndian, String what) {
    String problem;
    try {
      problem = BatchShape.problem(schema, plain, bigEndian);
    } catch (RuntimeException e) {
      plain.close();
      throw e;
    }
    if (problem != null) {
      plain.close();
      throw new IllegalArgumentException(what + problem);
    }
  }

  private static ArrowRecordBatch decompress(ArrowRecordBatch batch, BufferAllocator allocator,
      CompressionCodec.Factory codecs) {
    ArrowRecordBatch plain;
    try {
      plain = BatchCompression.decompress(batch, codecs, allocator);
    } catch (RuntimeException e) {
      batch.close();
      throw e;
    }
    if (plain != batch) {
      batch.close(); // the decompressed buffers are new; the compressed ones are no longer needed
    }
    return plain;
  }

  private static ArrowRecordBatch swap(ArrowRecordBatch batch, List<Field> fields, BufferAllocator allocator) {
    try (batch) {
      return ByteOrderSwap.toNative(batch, fields, allocator);
    }
  }
}
