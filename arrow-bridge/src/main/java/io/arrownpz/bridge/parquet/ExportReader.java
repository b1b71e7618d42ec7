package io.arrownpz.bridge.parquet;

import io.arrownpz.bridge.internal.Tables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What Arrow's native Parquet writer reads from: each batch of {@code source}, dictionaries decoded,
 * copied into memory of its own allocator. The native side releases the last batches it was lent some
 * time after the write returns; with copies in a dedicated allocator, the caller's memory is never
 * held, and the writer can wait until this allocator is empty before closing it. The copies are also
 * 8-byte aligned, which Arrow C++ expects (views of NPZ members need not be).
 *
 * <p>Arrow C++'s dataset writer pulls batches as fast as they come and queues them (up to 64 Mi rows) in
 * front of its encoder, so a fast source would be held in memory whole. The copies still lent are
 * therefore bounded: a batch is handed over only once the writer holds at most {@link #LENT_BYTES}.
 */
final class ExportReader extends ArrowReader {
  /** How much the native writer may hold at once: enough to keep it busy, far below a large file. */
  static final long LENT_BYTES = 64L << 20;
  /** How long to wait for a writer that gives nothing back before handing it the next batch anyway. */
  private static final long STALL_NANOS = 2_000_000_000L;

  private final ArrowReader source;
  private final BufferAllocator sourceAllocator;
  private final ReleaseWaiter released;
  private Schema schema;
  /** What the source threw, if it failed: Arrow C++ reports it only as text inside its own error. */
  private Exception sourceFailure;

  /** {@code own} is the allocator the copies are lent from, listened to by {@code released}. */
  ExportReader(ArrowReader source, BufferAllocator sourceAllocator, BufferAllocator own, ReleaseWaiter released) {
    super(own);
    this.source = source;
    this.sourceAllocator = sourceAllocator;
    this.released = released;
  }

  /** Throws what the source threw while the writer read it, if it failed. */
  void rethrowSourceFailure() throws IOException {
    if (sourceFailure instanceof IOException io) {
      throw io;
    }
    if (sourceFailure instanceof RuntimeException runtime) {
      throw runtime;
    }
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    released.awaitAtMost(allocator, LENT_BYTES, STALL_NANOS);
    try {
      if (!source.loadNextBatch()) {
        return false;
      }
    } catch (IOException | RuntimeException e) {
      sourceFailure = e;
      throw e;
    }
    prepareLoadNextBatch();
    try (VectorSchemaRoot plain = decoded();
         ArrowRecordBatch batch = new VectorUnloader(plain).getRecordBatch();
         ArrowRecordBatch copy = copy(batch)) {
      loadRecordBatch(copy);
    }
    return true;
  }

  /** The source's batch with dictionary columns decoded (a copy of those only; the rest is shared). */
  private VectorSchemaRoot decoded() throws IOException {
    VectorSchemaRoot batch = source.getVectorSchemaRoot();
    if (batch.getRowCount() == 0) {
      // Arrow Java cannot slice some empty vectors (a large list's missing offsets); make empty ones.
      return Tables.empty(readSchema(), sourceAllocator);
    }
    try (VectorSchemaRoot shared = batch.slice(0, batch.getRowCount())) {
      return ViewColumns.plain(Tables.take(shared, sourceAllocator, source), sourceAllocator);
    }
  }

  private ArrowRecordBatch copy(ArrowRecordBatch batch) {
    List<ArrowBuf> buffers = new ArrayList<>();
    try {
      for (ArrowBuf b : batch.getBuffers()) {
        ArrowBuf copy = allocator.buffer(b.readableBytes());
        copy.setBytes(0, b, 0, b.readableBytes());
        copy.writerIndex(b.readableBytes());
        buffers.add(copy);
      }
      return new ArrowRecordBatch(batch.getLength(), batch.getNodes(), buffers, batch.getBodyCompression(),
          batch.getVariadicBufferCounts(), true);
    } finally {
      buffers.forEach(ArrowBuf::close); // the batch holds its own references
    }
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {}

  /** The source's schema with dictionary-encoded fields as their decoded value fields. */
  @Override
  protected Schema readSchema() throws IOException {
    if (schema == null) {
      Schema memory = source.getVectorSchemaRoot().getSchema();
      List<Field> fields = new ArrayList<>();
      for (Field f : memory.getFields()) {
        fields.add(ViewColumns.plainField(io.arrownpz.bridge.internal.Tables.decodedField(f, source)));
      }
      schema = new Schema(fields, memory.getCustomMetadata());
    }
    return schema;
  }
}
