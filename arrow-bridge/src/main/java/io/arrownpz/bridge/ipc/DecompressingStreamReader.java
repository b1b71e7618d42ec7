package io.arrownpz.bridge.ipc;

import java.nio.channels.ReadableByteChannel;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Arrow's stream reader, with each record batch's buffers decompressed together, in parallel, checked
 * against the batch's column lengths before Arrow loads them, and byte-swapped when the stream was
 * written big-endian.
 */
final class DecompressingStreamReader extends ArrowStreamReader {
  private final EndianAwareMessageReader messages;

  private final CompressionCodec.Factory codecs;
  private final String file;

  /**
   * @param file the input, named in every error: a stream that breaks off mid-conversion is the input's
   *     fault, never the output's
   */
  DecompressingStreamReader(java.nio.channels.FileChannel in, String file, BufferAllocator allocator,
      CompressionCodec.Factory codecs) {
    this(new EndianAwareMessageReader(in, allocator), file, allocator, codecs);
  }

  private DecompressingStreamReader(EndianAwareMessageReader messages, String file, BufferAllocator allocator,
      CompressionCodec.Factory codecs) {
    super(messages, allocator, codecs);
    this.messages = messages;
    this.codecs = codecs;
    this.file = file;
  }

  @Override
  public boolean loadNextBatch() throws java.io.IOException {
    try {
      if (!super.loadNextBatch()) {
        return false;
      }
      if (!dictionaries.isEmpty()) {
        io.arrownpz.bridge.internal.Tables.validateIndices(getVectorSchemaRoot(), this);
      }
      return true;
    } catch (io.arrownpz.BadFileException e) {
      throw e;
    } catch (java.io.IOException | RuntimeException e) {
      Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
      throw new io.arrownpz.BadFileException(file, null, "not a valid Arrow IPC stream: "
          + io.arrownpz.bridge.internal.Errors.oneLine(cause), e);
    }
  }

  @Override
  protected void loadRecordBatch(ArrowRecordBatch batch) {
    try {
      super.loadRecordBatch(IncomingBatches.prepare(batch, getVectorSchemaRoot().getSchema(),
          messages.isBigEndian(), allocator, codecs));
    } catch (java.io.IOException e) {
      batch.close();
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  protected void loadDictionary(ArrowDictionaryBatch batch) {
    var dictionary = dictionaries.get(batch.getDictionaryId());
    ArrowDictionaryBatch prepared = batch;
    try {
      if (dictionary != null) {
        prepared = IncomingBatches.prepareDictionary(batch, dictionary.getVector().getField(), messages.isBigEndian(),
            allocator, codecs);
      }
      super.loadDictionary(prepared); // Arrow reports an unknown id itself
    } catch (RuntimeException e) {
      // Arrow's loader does not release a batch it refuses (an unknown id, say); closing is idempotent.
      batch.close();
      prepared.close();
      throw e;
    }
  }
}
