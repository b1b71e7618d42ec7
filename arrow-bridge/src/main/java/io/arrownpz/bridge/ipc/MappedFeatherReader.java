package io.arrownpz.bridge.ipc;

import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedFileException;
import io.arrownpz.arrow.FixedShapeTensorType;
import io.arrownpz.bridge.internal.SchemaChecks;
import io.arrownpz.internal.io.PositionalReads;
import io.arrownpz.internal.memory.MappedRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.Endianness;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import io.arrownpz.bridge.compression.FastCompressionFactory;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads a Feather v2 (Arrow IPC) file from a memory mapping: the footer and each message's metadata
 * are parsed in place, and in an uncompressed file every buffer of every batch is a slice of the mapping
 * (Arrow Java's own reader copies each batch into allocator memory; apache/arrow-java 292 and 371). The
 * mapping lives as long as any vector uses it. A compressed batch (LZ4_FRAME or ZSTD) has its body read
 * into memory (one positional read, not a page fault per page) and decompressed with the given factory's
 * codecs (ours by default), all its buffers at once.
 *
 * <p>Batches load into the reader's {@link #getVectorSchemaRoot() root} one at a time, in order or by
 * index; dictionaries load before the first batch.
 *
 * <p>Threads: one thread at a time, as every {@code ArrowReader}; the tables it loads may be read by many.
 */
public final class MappedFeatherReader extends ArrowReader {
  private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
  private static final int CONTINUATION = 0xFFFFFFFF;

  static {
    FixedShapeTensorType.register();
  }

  private final Path path;
  private final MappedRegion mapping;
  /** The file, open since it was mapped: compressed bodies are read through it (see {@link #readBody}). */
  private final FileChannel channel;
  private final ArrowFooter footer;
  private final boolean compressed;
  /** Written on a big-endian machine: every batch is byte-swapped on load. */
  private final boolean bigEndian;
  private int nextBatch;
  private boolean dictionariesLoaded;
  /** Whether batches read in order hand back the pages of the ones before them; see {@link #readOnce()}. */
  private boolean readOnce;
  /** Where the pages still resident begin, when {@link #readOnce}. */
  private long residentFrom;
  private final CompressionCodec.Factory codecs;

  private MappedFeatherReader(Path path, MappedRegion mapping, FileChannel channel,
      KeptFooters.Parsed footer, BufferAllocator allocator, CompressionCodec.Factory codecs) throws IOException {
    super(allocator, codecs);
    this.codecs = codecs;
    this.path = path;
    this.mapping = mapping;
    this.channel = channel;
    this.footer = footer.footer();
    this.bigEndian = footer.bigEndian();
    this.compressed = anyCompressed();
  }

  /**
   * The file's footer, parsed and checked: the one kept from an earlier read of the same bytes, or parsed
   * now and kept ({@link KeptFooters}).
   */
  private static KeptFooters.Parsed footer(Path path, ByteBuffer bytes) throws IOException {
    KeptFooters.Parsed known = KeptFooters.SHARED.get(bytes);
    if (known != null) {
      return known;
    }
    Footer footer;
    try {
      footer = Footer.getRootAsFooter(bytes.duplicate());
    } catch (RuntimeException e) {
      throw new BadFileException(path, null, "corrupt footer: " + e);
    }
    String unsupported;
    try {
      unsupported = footer.schema() == null ? null : SchemaChecks.unsupported(footer.schema());
    } catch (IOException e) {
      throw new BadFileException(path, null, "corrupt footer: " + e.getMessage());
    }
    if (unsupported != null) {
      throw new UnsupportedFileException(path, unsupported);
    }
    KeptFooters.Parsed parsed;
    try {
      parsed = new KeptFooters.Parsed(new ArrowFooter(footer),
          footer.schema() != null && footer.schema().endianness() == Endianness.Big);
    } catch (RuntimeException e) {
      throw new BadFileException(path, null, "corrupt footer: " + io.arrownpz.bridge.internal.Errors.oneLine(e));
    }
    return KeptFooters.SHARED.keep(bytes, parsed);
  }

  /** Opens a file, decompressing (when it is compressed) with arrow-npz's own codecs. */
  public static MappedFeatherReader open(Path path, BufferAllocator allocator) throws IOException {
    return open(path, allocator, FastCompressionFactory.INSTANCE);
  }

  /** Opens a file, decompressing (when it is compressed) with {@code codecs}' codecs. */
  public static MappedFeatherReader open(Path path, BufferAllocator allocator, CompressionCodec.Factory codecs)
      throws IOException {
    MappedFeatherReader reader = openUnbuilt(path, allocator, codecs);
    try {
      reader.getVectorSchemaRoot(); // builds the vectors now, so that a schema Arrow cannot use is reported here
      return reader;
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw cannotBuild(path, e);
    }
  }

  /** A reader whose root is not built yet: the footer read and checked. */
  private static MappedFeatherReader openUnbuilt(Path path, BufferAllocator allocator, CompressionCodec.Factory codecs)
      throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BadFileException(path, null, "no such file");
    }
    MappedRegion mapping = null;
    try {
      long size = channel.size();
      mapping = MappedRegion.map(path, 0, size);
      return new MappedFeatherReader(path, mapping, channel, footer(path, footerBytes(path, mapping)),
          allocator, codecs);
    } catch (IOException | RuntimeException e) {
      if (mapping != null) {
        mapping.close();
      }
      channel.close();
      throw e;
    }
  }

  private static BadFileException cannotBuild(Path path, Exception e) {
    return new BadFileException(path, null, "schema Arrow cannot build vectors for: "
        + io.arrownpz.bridge.internal.Errors.oneLine(e));
  }

  /**
   * A whole file as one table (record batches concatenated, dictionaries decoded); the caller closes it. A
   * file of one batch without dictionaries (what most Feather files are) is loaded straight into the table;
   * any other goes through the reader's root ({@link io.arrownpz.bridge.internal.Tables#collect}). Going
   * through the reader for one batch builds two roots: Arrow's {@code VectorSchemaRoot} keys a map by field,
   * and for a frame of 10,000 columns the second root was a sixth of the read.
   */
  static VectorSchemaRoot readWhole(Path path, BufferAllocator allocator, CompressionCodec.Factory codecs)
      throws IOException {
    try (MappedFeatherReader reader = openUnbuilt(path, allocator, codecs)) {
      Schema schema = reader.footer.getSchema();
      if (reader.footer.getRecordBatches().size() != 1 || !reader.footer.getDictionaries().isEmpty()
          || io.arrownpz.bridge.internal.Tables.hasDictionary(schema.getFields())) {
        try {
          reader.getVectorSchemaRoot();
        } catch (IOException | RuntimeException e) {
          throw cannotBuild(path, e);
        }
        return io.arrownpz.bridge.internal.Tables.collect(reader, allocator);
      }
      return reader.loadOnlyBatch(schema);
    }
  }

  /** The file's one batch, loaded into a table of its own rather than the reader's root. */
  private VectorSchemaRoot loadOnlyBatch(Schema schema) throws IOException {
    VectorSchemaRoot table;
    try {
      table = VectorSchemaRoot.create(schema, allocator);
    } catch (RuntimeException e) {
      throw cannotBuild(path, e);
    }
    try {
      try (ArrowRecordBatch plain = preparedBatch(0, schema)) {
        new VectorLoader(table, codecs).load(plain);
      }
      io.arrownpz.bridge.internal.Tables.validate(table);
      return table;
    } catch (BadFileException e) {
      table.close();
      throw e;
    } catch (IOException | RuntimeException e) {
      table.close();
      throw new BadFileException(path.toString(), null, "batch 0: " + io.arrownpz.bridge.internal.Errors.oneLine(e), e);
    }
  }

  /** The footer's bytes, a view of the mapping, after the file's framing is checked. */
  private static ByteBuffer footerBytes(Path path, MappedRegion mapping) throws BadFileException {
    long size = mapping.length();
    if (size < 2L * MAGIC.length + 8 + 4) {
      throw new BadFileException(path, null, "too short to be a Feather/Arrow IPC file");
    }
    if (!hasMagic(mapping, 0) || !hasMagic(mapping, size - MAGIC.length)) {
      if (isFeatherV1(mapping)) {
        throw new BadFileException(path, null, "a Feather V1 file, which arrow-npz does not read (pyarrow deprecated "
            + "writing it in 25.0): write it again as Feather V2, e.g. with pyarrow, "
            + "feather.write_feather(feather.read_table(path), path)");
      }
      throw new BadFileException(path, null, "not a Feather v2 / Arrow IPC file (no ARROW1 magic)");
    }
    int footerLength = mapping.view(size - MAGIC.length - 4, 4).getInt(0);
    long footerStart = size - MAGIC.length - 4 - footerLength;
    if (footerLength <= 0 || footerStart < 8) {
      throw new BadFileException(path, null, "footer length " + footerLength + " does not fit the file");
    }
    return mapping.view(footerStart, footerLength);
  }

  /** Feather V1 (pandas' to_feather before pyarrow 0.17) starts and ends with FEA1. */
  private static boolean isFeatherV1(MappedRegion mapping) {
    ByteBuffer head = mapping.view(0, 4);
    return head.get(0) == 'F' && head.get(1) == 'E' && head.get(2) == 'A' && head.get(3) == '1';
  }

  private static boolean hasMagic(MappedRegion mapping, long at) {
    ByteBuffer b = mapping.view(at, MAGIC.length);
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.get(i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Whether any batch has compressed buffers (such files cannot be viewed in place). */
  public boolean isCompressed() {
    return compressed;
  }

  private boolean anyCompressed() throws IOException {
    for (ArrowBlock block : footer.getRecordBatches()) {
      Message message = message(block);
      try {
        if (message.headerType() == MessageHeader.RecordBatch) {
          RecordBatch batch = (RecordBatch) message.header(new RecordBatch());
          if (batch != null && batch.compression() != null) {
            return true;
          }
        }
      } catch (RuntimeException e) {
        // Flatbuffer accessors read lazily and fail with whatever the corrupt bytes lead to.
        throw bad("corrupt message at offset " + block.getOffset() + ": " + e);
      }
    }
    return false;
  }

  /** The memory-mapped region that batches point into. */
  MappedRegion mapping() {
    return mapping;
  }

  public List<ArrowBlock> recordBlocks() {
    return footer.getRecordBatches();
  }

  @Override
  protected Schema readSchema() {
    return footer.getSchema();
  }

  /**
   * Declares that the batches will be read once, in order, each let go before the next is loaded (a
   * conversion, a stream sent over the network): from then on, loading a batch hands the resident pages
   * of the file before it back to the system, so that going through a file larger than memory holds
   * about one batch of it. Buffers of earlier batches that are still held stay valid; their pages are
   * read from the file again if they are touched.
   */
  public MappedFeatherReader readOnce() {
    this.readOnce = true;
    return this;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (nextBatch >= footer.getRecordBatches().size()) {
      return false;
    }
    int index = nextBatch++;
    if (readOnce) {
      long start = footer.getRecordBatches().get(index).getOffset();
      if (start > residentFrom && start <= mapping.length()) {
        mapping.dropResidentPages(residentFrom, start - residentFrom);
        residentFrom = start;
      }
    }
    loadRecordBatch(index);
    return true;
  }

  /** Loads batch {@code index} (any order) into the root; its buffers are views of the file. */
  public void loadRecordBatch(int index) throws IOException {
    prepareLoadNextBatch();
    loadDictionariesOnce();
    try {
      loadRecordBatch(preparedBatch(index, getVectorSchemaRoot().getSchema())); // loads and closes the batch
      io.arrownpz.bridge.internal.Tables.validate(getVectorSchemaRoot());
      if (!dictionaries.isEmpty()) {
        io.arrownpz.bridge.internal.Tables.validateIndices(getVectorSchemaRoot(), this);
      }
    } catch (BadFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Arrow reports malformed messages with assorted exceptions, none of which names the file.
      throw new BadFileException(path.toString(), null, "batch " + index + ": " + io.arrownpz.bridge.internal.Errors.oneLine(e), e);
    }
  }

  /**
   * Batch {@code index}, checked against the file and made ready to load into vectors of {@code schema}
   * (decompressed, byte-swapped where the file is big-endian). The caller loads and closes it; the vectors
   * keep their own references to its buffers.
   */
  private ArrowRecordBatch preparedBatch(int index, Schema schema) throws IOException {
    ArrowBlock block = footer.getRecordBatches().get(index);
    Message message = message(block);
    if (message.headerType() != MessageHeader.RecordBatch) {
      throw bad("block " + index + " is not a record batch");
    }
    RecordBatch header = (RecordBatch) message.header(new RecordBatch());
    ArrowBuf body = checkedBody(header, block, "batch " + index);
    // The serializer takes over the body: its batch holds slices of it and it releases the body itself.
    ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(message, body);
    try {
      return IncomingBatches.prepare(batch, schema, bigEndian, allocator, codecs);
    } catch (IllegalArgumentException e) {
      throw bad("batch " + index + ": " + io.arrownpz.bridge.internal.Errors.oneLine(e));
    }
  }

  private void loadDictionariesOnce() throws IOException {
    if (dictionariesLoaded) {
      return;
    }
    dictionariesLoaded = true;
    for (ArrowBlock block : footer.getDictionaries()) {
      Message message = message(block);
      try {
        DictionaryBatch dictionary = (DictionaryBatch) message.header(new DictionaryBatch());
        if (dictionary == null || dictionary.data() == null) {
          throw bad("dictionary block at offset " + block.getOffset() + " holds no dictionary batch");
        }
        ArrowBuf body = checkedBody(dictionary.data(), block, "dictionary " + dictionary.id());
        ArrowDictionaryBatch batch = MessageSerializer.deserializeDictionaryBatch(message, body);
        ArrowDictionaryBatch prepared = null;
        try {
          prepared = IncomingBatches.prepareDictionary(batch, valueField(batch.getDictionaryId()), bigEndian,
              allocator, codecs);
          loadDictionary(prepared); // closes the batch
        } catch (IOException | RuntimeException e) {
          // Arrow's loader does not release a batch it refuses (an unknown id, say); closing is idempotent.
          batch.close();
          if (prepared != null) {
            prepared.close();
          }
          throw e;
        }
      } catch (BadFileException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw bad("dictionary batch: " + io.arrownpz.bridge.internal.Errors.oneLine(e));
      }
    }
  }

  /**
   * The block's body, once its batch's claims are checked against it: a view of the mapping, or, for a
   * compressed batch of a file mapped afresh, read into memory (it is read whole anyway, to be
   * decompressed, and one read costs less than faulting its pages in one at a time: tens of microseconds
   * each on some virtual machines).
   */
  private ArrowBuf checkedBody(RecordBatch batch, ArrowBlock block, String what) throws IOException {
    ArrowBuf body = batch.compression() == null ? body(block) : readBody(block);
    try {
      checkBatch(batch, block, what, body);
      return body;
    } catch (BadFileException e) {
      body.close();
      throw e;
    }
  }

  /**
   * Checks a batch's claims before Arrow acts on them: every buffer inside the body (Arrow's serializer
   * leaks the body when a slice fails), and no row count beyond what the body could hold a bit for
   * (Arrow allocates a validity bitmap of rows / 8 bytes for columns the file stores without one, so a
   * lying count would make it allocate gigabytes).
   */
  private void checkBatch(RecordBatch batch, ArrowBlock block, String what, ArrowBuf bodyBytes)
      throws BadFileException {
    long body = block.getBodyLength();
    String outside = BatchBounds.problem(batch, body);
    if (outside != null) {
      throw bad(what + ": " + outside);
    }
    long maxRows = 8 * (batch.compression() == null ? body : declaredBytes(batch, body, what, bodyBytes)) + 64;
    if (batch.length() < 0 || batch.length() > maxRows) {
      throw bad(what + " claims " + batch.length() + " rows in " + body + " bytes");
    }
    for (int i = 0; i < batch.nodesLength(); i++) {
      org.apache.arrow.flatbuf.FieldNode node = batch.nodes(i);
      if (node.length() < 0 || node.length() > maxRows || node.nullCount() < 0 || node.nullCount() > node.length()) {
        throw bad(what + ": column node " + i + " claims " + node.length() + " values (" + node.nullCount()
            + " null) in " + body + " bytes");
      }
    }
  }

  /**
   * What a compressed batch's buffers say they hold once decompressed (each 8-byte prefix), checked
   * against the per-buffer bound, so that row counts can be checked against it before anything is
   * allocated.
   */
  private long declaredBytes(RecordBatch batch, long limit, String what, ArrowBuf bodyBytes)
      throws BadFileException {
    long total = 0;
    for (int i = 0; i < batch.buffersLength(); i++) {
      org.apache.arrow.flatbuf.Buffer b = batch.buffers(i);
      if (b.length() < 8) {
        continue;
      }
      long at = b.offset();
      if (at < 0 || at > limit - 8) {
        throw bad(what + ": buffer " + i + " lies past the end of the file");
      }
      long declared = bodyBytes.getLong(at);
      if (declared == -1) {
        declared = b.length() - 8;
      } else if (declared < 0 || declared > maxBufferBytes()) {
        throw bad(what + ": buffer " + i + " declares " + declared + " uncompressed bytes");
      }
      total += declared;
    }
    return total;
  }

  /** What one buffer may declare: the factory's bound when it is ours, else our default bound. */
  private long maxBufferBytes() {
    return codecs instanceof FastCompressionFactory ours ? ours.maxBufferBytes()
        : FastCompressionFactory.DEFAULT_MAX_BUFFER_BYTES;
  }

  /** The field of a dictionary's values, as the schema declares them. */
  private org.apache.arrow.vector.types.pojo.Field valueField(long id) throws BadFileException {
    var dictionary = dictionaries.get(id);
    if (dictionary == null) {
      throw bad("dictionary batch for id " + id + ", which no field of the schema uses");
    }
    return dictionary.getVector().getField();
  }

  /** Whether the file was written on a big-endian machine (its batches are swapped on load). */
  public boolean isBigEndian() {
    return bigEndian;
  }

  /** A block's message metadata, parsed in place (after the optional continuation marker and length). */
  private Message message(ArrowBlock block) throws BadFileException {
    long offset = block.getOffset();
    int length = block.getMetadataLength();
    if (offset < 8 || length < 8 || offset + length > mapping.length()) {
      throw bad("block at offset " + offset + " lies outside the file");
    }
    ByteBuffer prefix = mapping.view(offset, 8).order(ByteOrder.LITTLE_ENDIAN);
    int skip = prefix.getInt(0) == CONTINUATION ? 8 : 4;
    int flatbufferLength = skip == 8 ? prefix.getInt(4) : prefix.getInt(0);
    if (flatbufferLength <= 0 || flatbufferLength > length - skip) {
      throw bad("message at offset " + offset + " declares " + flatbufferLength + " bytes of metadata");
    }
    try {
      return Message.getRootAsMessage(mapping.view(offset + skip, flatbufferLength));
    } catch (RuntimeException e) {
      throw bad("corrupt message at offset " + offset + ": " + e);
    }
  }

  private ArrowBuf body(ArrowBlock block) throws BadFileException {
    long start = block.getOffset() + block.getMetadataLength();
    long length = block.getBodyLength();
    if (length < 0 || start + length > mapping.length()) {
      throw bad("batch body at offset " + start + " runs past the end of the file");
    }
    return mapping.wrap(allocator, start, length);
  }

  /**
   * A batch body read into memory of the reader's allocator with positional reads of the open file, in
   * steps of at most 1 GiB (a view's limit).
   */
  private ArrowBuf readBody(ArrowBlock block) throws IOException {
    long start = block.getOffset() + block.getMetadataLength();
    long length = block.getBodyLength();
    if (length < 0 || start < 0 || start > mapping.length() - length) {
      throw bad("batch body at offset " + start + " runs past the end of the file");
    }
    ArrowBuf copy = allocator.buffer(length);
    try {
      for (long done = 0; done < length; ) {
        int step = (int) Math.min(length - done, 1L << 30);
        ByteBuffer into = org.apache.arrow.memory.util.MemoryUtil.directBuffer(copy.memoryAddress() + done, step);
        if (PositionalReads.readFully(channel, into, start + done) < step) {
          throw bad("batch body at offset " + start + " ends early: the file shrank while it was read");
        }
        done += step;
      }
      copy.writerIndex(length);
      return copy;
    } catch (IOException | RuntimeException e) {
      copy.close();
      throw e;
    }
  }

  private BadFileException bad(String problem) {
    return new BadFileException(path, null, problem);
  }

  @Override
  public long bytesRead() {
    return mapping.length();
  }

  /**
   * Gives up the reader's reference to the mapping, once: Arrow's C stream export (the Parquet writer
   * consumes readers that way) closes a reader when the native side is done, and so does its owner.
   */
  @Override
  protected void closeReadSource() {
    if (!sourceClosed) {
      sourceClosed = true;
      try {
        channel.close();
      } catch (IOException e) {
        // a read-only descriptor: nothing was written that closing could lose
      } finally {
        mapping.close();
      }
    }
  }

  private boolean sourceClosed;
}
