package io.arrownpz.bridge.parquet;

import io.arrownpz.bridge.internal.Tables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * What Arrow's native Parquet writer reads from: each batch of {@code source}, dictionaries decoded,
 * copied into memory of its own allocator. The native side releases the last batches it was lent some
 * time after the write returns; with copies in a dedicated allocator, the caller's memory is never
 * held, and the writer can wait until this allocator is empty before closing it. The copies are also
 * 8-byte aligned, which Arrow C++ expects (views of NPZ members need not be).
 *
 * <p>Arrow C++'s dataset writer pulls batches as fast as they come and queues them (up to 64 Mi rows) in
 * front of its encoder, so a fast source would be held in memory whole. The copies still lent are
 * therefore bounded: a batch is handed over only once the writer holds at most {@link #LENT_BYTES}, or a
 * quarter of what the caller's allocator had room for, whichever is less (a Flight client fetching into
 * Parquet may have 32 MiB in all).
 */
final class ExportReader extends ArrowReader {
  /** How much the native writer may hold at once: enough to keep it busy, far below a large file. */
  static final long LENT_BYTES = 64L << 20;
  /**
   * Small batches are put together, up to this many rows or {@link #GROUP_BYTES}, before they are handed
   * over: Arrow C++'s dataset writer makes each batch a row group of its own (a folder of 1,000 small files
   * became 1,000 row groups of 200 rows), and cuts every batch into pieces of at most 32 Ki rows (Acero's
   * batch size), so groups of more rows would be cut again. (pyarrow's write_table makes row groups of up to
   * 1 Mi rows; Arrow Java's writer takes no such setting.)
   */
  static final int GROUP_ROWS = 1 << 15;
  /**
   * The most a group being put together holds before it is handed over: a few MiB, so that a caller with a
   * small allocator (a Flight client's, 32 MiB in the tests) has room, and a slow stream reaches the file
   * in steps of this size at most.
   */
  static final long GROUP_BYTES = 4L << 20;
  /**
   * A batch of this many bytes is a row group by itself (not copied once more for nothing); smaller ones
   * are put together.
   */
  static final long GROUP_FROM_BYTES = 1L << 20;
  /** How long to wait for a writer that gives nothing back before handing it the next batch anyway. */
  private static final long STALL_NANOS = 2_000_000_000L;

  private final ArrowReader source;
  private final BufferAllocator sourceAllocator;
  private final ReleaseWaiter released;
  private Schema schema;
  /** What the source threw, if it failed: Arrow C++ reports it only as text inside its own error. */
  private Exception sourceFailure;

  private final int groupRows;
  private final long groupBytes;
  private final long lentBytes;
  /** The bytes of the batch last handed over, and of the one before it. */
  private long lastLentBytes;
  private long previousLentBytes;
  /**
   * Whether Arrow Java's appender takes the columns, as far as their types say ({@link #appendable}); false
   * also once it refused the first batch. Batches then go over as they come. Null until the schema is known.
   */
  private Boolean appenderTakes;
  /**
   * A source batch (decoded, sharing the source's memory) not yet handed over: it did not fit the last
   * group. The source is not asked for more while one is pending, so its vectors are still this batch's.
   */
  private VectorSchemaRoot pending;

  /** {@code own} is the allocator the copies are lent from, listened to by {@code released}. */
  ExportReader(ArrowReader source, BufferAllocator sourceAllocator, BufferAllocator own, ReleaseWaiter released) {
    this(source, sourceAllocator, own, released, GROUP_ROWS, GROUP_BYTES);
  }

  /**
   * @param groupRows and {@code groupBytes}: a row group's bounds (smaller in tests); the bytes are at most
   *     an eighth of what {@code sourceAllocator} has room for
   */
  ExportReader(ArrowReader source, BufferAllocator sourceAllocator, BufferAllocator own, ReleaseWaiter released,
      int groupRows, long groupBytes) {
    super(own);
    this.source = source;
    this.sourceAllocator = sourceAllocator;
    this.released = released;
    this.groupRows = groupRows;
    long room = sourceAllocator.getHeadroom();
    this.lentBytes = Math.min(LENT_BYTES, room / 4);
    this.groupBytes = Math.min(groupBytes, room / 8);
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
    // The writer keeps the two batches it was last given until the next one comes (it begins a file only once
    // it has a second): those are allowed whatever the bound, or every batch of half of it or more would wait
    // out the stall (a 32 MiB allocator's batches of 8 MiB: 2 s each).
    released.awaitAtMost(allocator, Math.max(lentBytes, lastLentBytes + previousLentBytes), STALL_NANOS);
    VectorSchemaRoot first = pending;
    pending = null;
    if (first == null) {
      if (!loadSource()) {
        return false;
      }
      first = decoded();
    }
    prepareLoadNextBatch();
    try (VectorSchemaRoot plain = grouped(first);
         ArrowRecordBatch batch = new VectorUnloader(plain).getRecordBatch();
         ArrowRecordBatch copy = copy(batch)) {
      previousLentBytes = lastLentBytes;
      lastLentBytes = copy.computeBodyLength();
      loadRecordBatch(copy); // closes it
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

  /**
   * {@code first} with the source's next batches after it while together they stay within a row group's
   * bounds; {@code first} itself when it is not to be put together with others ({@link #groupable}). Taken
   * over. The batches are copied into a group of their own before the source is asked for more: a reader may
   * refill its vectors in place. A batch that is not put together with the group is left {@link #pending},
   * and so are the rows of one beyond the group's rows.
   */
  private VectorSchemaRoot grouped(VectorSchemaRoot first) throws IOException {
    if (!groupable(first)) {
      return first;
    }
    VectorSchemaRoot group;
    try {
      group = emptyLike(first, first.getRowCount());
    } catch (RuntimeException e) {
      first.close();
      throw e;
    }
    try {
      VectorSchemaRootAppender.append(false, group, first);
    } catch (RuntimeException e) {
      // Arrow Java 18.3's appender refuses some columns it could take (a struct holding DuckDB's UUIDs and
      // JSON); such batches go over as they come, each a row group, as before grouping.
      group.close();
      appenderTakes = false;
      return first;
    }
    first.close();
    try {
      while (group.getRowCount() < groupRows && bytes(group) < groupBytes && loadSource()) {
        VectorSchemaRoot next = decoded();
        if (next.getRowCount() == 0) { // nothing to add, and no row group of its own needed
          next.close();
          continue;
        }
        if (!groupable(next)) {
          pending = next;
          break;
        }
        try (next) {
          int room = groupRows - group.getRowCount();
          if (next.getRowCount() <= room) {
            VectorSchemaRootAppender.append(false, group, next);
            continue;
          }
          // The group is filled to its rows exactly (the writer would cut the rest into a small group of its
          // own); the rest of the batch starts the next one.
          try (VectorSchemaRoot head = next.slice(0, room)) {
            VectorSchemaRootAppender.append(false, group, head);
          }
          pending = next.slice(room, next.getRowCount() - room);
        }
      }
    } catch (IOException | RuntimeException e) {
      group.close();
      throw e;
    }
    return group;
  }

  /** Whether a batch is small enough to be put together with others, and of columns the appender takes. */
  private boolean groupable(VectorSchemaRoot batch) throws IOException {
    if (appenderTakes == null) {
      appenderTakes = appendable(readSchema().getFields()); // every batch has the schema: looked at once
    }
    return appenderTakes && batch.getRowCount() > 0 && batch.getRowCount() < groupRows
        && bytes(batch) < GROUP_FROM_BYTES;
  }

  private static long bytes(VectorSchemaRoot batch) {
    long bytes = 0;
    for (FieldVector vector : batch.getFieldVectors()) {
      bytes += vector.getBufferSize();
    }
    return bytes;
  }

  private boolean loadSource() throws IOException {
    try {
      return source.loadNextBatch();
    } catch (IOException | RuntimeException e) {
      sourceFailure = e;
      throw e;
    }
  }

  /** Empty vectors of {@code like}'s fields, room made for {@code rows} (an appender reads offsets from it). */
  private VectorSchemaRoot emptyLike(VectorSchemaRoot like, int rows) {
    VectorSchemaRoot empty = VectorSchemaRoot.create(like.getSchema(), sourceAllocator);
    for (FieldVector vector : empty.getFieldVectors()) {
      vector.setInitialCapacity(rows);
      vector.allocateNew();
    }
    return empty;
  }

  /**
   * Whether Arrow Java 18.3's appender takes every column, at every depth, as far as the types say: not large
   * lists (it casts them to lists), extension types or run-end encoded columns. Batches with such columns
   * are handed over as they come.
   */
  private static boolean appendable(List<Field> fields) {
    for (Field field : fields) {
      ArrowType type = field.getType();
      if (type instanceof ArrowType.LargeList || type instanceof ArrowType.LargeListView
          || type instanceof ArrowType.ExtensionType || type instanceof ArrowType.RunEndEncoded
          || !appendable(field.getChildren())) {
        return false;
      }
    }
    return true;
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
  protected void closeReadSource() {
    if (pending != null) {
      pending.close();
      pending = null;
    }
  }

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
