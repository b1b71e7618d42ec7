package io.arrownpz.bridge.parquet;

import static io.arrownpz.bridge.parquet.CompactThrift.TYPE_LIST;
import static io.arrownpz.bridge.parquet.CompactThrift.TYPE_STRUCT;
import static io.arrownpz.bridge.parquet.CompactThrift.TYPE_TRUE;
import static io.arrownpz.bridge.parquet.CompactThrift.find;
import static io.arrownpz.bridge.parquet.CompactThrift.i32;
import static io.arrownpz.bridge.parquet.CompactThrift.i64;
import static io.arrownpz.bridge.parquet.CompactThrift.put;
import static io.arrownpz.bridge.parquet.CompactThrift.readStruct;
import static io.arrownpz.bridge.parquet.CompactThrift.readStructList;
import static io.arrownpz.bridge.parquet.CompactThrift.writeStruct;
import static io.arrownpz.bridge.parquet.CompactThrift.writeStructList;

import io.arrownpz.bridge.parquet.CompactThrift.Field;
import io.arrownpz.bridge.parquet.CompactThrift.Reader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Copies an uncompressed Parquet file with every page compressed. Arrow Java 18.3's dataset writer
 * takes no writer properties, so Arrow C++ encodes the values (dictionaries, levels, statistics) into
 * uncompressed pages; this pass only compresses each page's body with the chosen codec and puts the new
 * sizes and offsets in the page headers and the footer, as a compressing writer would have written them.
 *
 * <p>A data page v1 and a dictionary page are compressed whole; a data page v2 keeps its repetition and
 * definition levels uncompressed in front of the compressed values, as the format asks. Page checksums,
 * page indexes and Bloom filters (which Arrow's default writer leaves out) would be stale and are dropped.
 */
final class PageCompressor {
  // PageHeader, and the DataPageHeaderV2 inside it
  private static final int PAGE_TYPE = 1;
  private static final int PAGE_UNCOMPRESSED_SIZE = 2;
  private static final int PAGE_COMPRESSED_SIZE = 3;
  private static final int PAGE_CRC = 4;
  private static final int PAGE_V2_HEADER = 8;
  private static final int DICTIONARY_PAGE = 2;
  private static final int DATA_PAGE_V2 = 3;
  private static final int V2_DEFINITION_LEVELS_LENGTH = 5;
  private static final int V2_REPETITION_LEVELS_LENGTH = 6;
  private static final int V2_IS_COMPRESSED = 7;
  // FileMetaData, RowGroup, ColumnChunk, ColumnMetaData
  private static final int FILE_ROW_GROUPS = 4;
  private static final int GROUP_COLUMNS = 1;
  private static final int GROUP_TOTAL_BYTE_SIZE = 2;
  private static final int GROUP_FILE_OFFSET = 5;
  private static final int GROUP_TOTAL_COMPRESSED_SIZE = 6;
  private static final int CHUNK_FILE_OFFSET = 2;
  private static final int CHUNK_META_DATA = 3;
  private static final int CHUNK_FIRST_INDEX_FIELD = 4; // offset and column index: 4 to 7
  private static final int CHUNK_LAST_INDEX_FIELD = 7;
  private static final int META_CODEC = 4;
  private static final int META_TOTAL_UNCOMPRESSED_SIZE = 6;
  private static final int META_TOTAL_COMPRESSED_SIZE = 7;
  private static final int META_DATA_PAGE_OFFSET = 9;
  private static final int META_INDEX_PAGE_OFFSET = 10;
  private static final int META_DICTIONARY_PAGE_OFFSET = 11;
  private static final int META_BLOOM_FILTER_OFFSET = 14;
  private static final int META_BLOOM_FILTER_LENGTH = 15;

  private final Path source;
  private final ParquetCompression codec;
  private final FileChannel in;
  private final StagedOutput out;
  private final SequentialWindow window;
  private final long sourceSize;
  /** Where a page body is compressed before its header, which states the compressed size, is written. */
  private ByteBuffer scratch;
  private final Buffers buffers;

  private PageCompressor(Path source, ParquetCompression codec, FileChannel in, StagedOutput out, Buffers buffers)
      throws IOException {
    this.source = source;
    this.codec = codec;
    this.in = in;
    this.out = out;
    this.buffers = buffers;
    this.window = new SequentialWindow(in, buffers);
    this.sourceSize = in.size();
    this.scratch = buffers.get(1 << 20);
  }

  /** Writes {@code target}, a new file: {@code source} (written uncompressed) with its pages compressed. */
  static void compress(Path source, Path target, ParquetCompression codec, BufferAllocator allocator)
      throws IOException {
    try (Buffers buffers = new Buffers(allocator);
        FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      StagedOutput out = new StagedOutput(channel, buffers.get(1 << 20));
      new PageCompressor(source, codec, in, out, buffers).copy();
      out.flush();
    }
  }

  private void copy() throws IOException {
    List<Field> file = readStruct(ParquetFooter.read(in, source));
    out.put(ParquetFooter.MAGIC);
    Field groups = find(file, FILE_ROW_GROUPS);
    if (groups != null) {
      List<List<Field>> rowGroups = readStructList(groups.value());
      for (List<Field> group : rowGroups) {
        copyRowGroup(group);
      }
      put(file, new Field(FILE_ROW_GROUPS, TYPE_LIST, writeStructList(rowGroups)));
    }
    byte[] footer = writeStruct(file);
    out.put(footer);
    out.put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, footer.length).array());
    out.put(ParquetFooter.MAGIC);
  }

  private void copyRowGroup(List<Field> group) throws IOException {
    List<List<Field>> chunks = readStructList(find(group, GROUP_COLUMNS).value());
    long start = out.position();
    long compressed = 0;
    long uncompressed = 0;
    for (List<Field> chunk : chunks) {
      List<Field> meta = readStruct(find(chunk, CHUNK_META_DATA).value());
      ChunkWritten written = copyChunk(meta);
      compressed += written.compressed;
      uncompressed += written.uncompressed;
      put(meta, i32(META_CODEC, codec.codecId));
      put(meta, i64(META_TOTAL_UNCOMPRESSED_SIZE, written.uncompressed));
      put(meta, i64(META_TOTAL_COMPRESSED_SIZE, written.compressed));
      put(meta, i64(META_DATA_PAGE_OFFSET, written.dataPage));
      meta.removeIf(f -> f.id() == META_INDEX_PAGE_OFFSET || f.id() == META_DICTIONARY_PAGE_OFFSET
          || f.id() == META_BLOOM_FILTER_OFFSET || f.id() == META_BLOOM_FILTER_LENGTH);
      if (written.dictionaryPage >= 0) {
        put(meta, i64(META_DICTIONARY_PAGE_OFFSET, written.dictionaryPage));
      }
      put(chunk, new Field(CHUNK_META_DATA, TYPE_STRUCT, writeStruct(meta)));
      if (find(chunk, CHUNK_FILE_OFFSET) != null) {
        put(chunk, i64(CHUNK_FILE_OFFSET, written.start));
      }
      chunk.removeIf(f -> f.id() >= CHUNK_FIRST_INDEX_FIELD && f.id() <= CHUNK_LAST_INDEX_FIELD);
    }
    put(group, new Field(GROUP_COLUMNS, TYPE_LIST, writeStructList(chunks)));
    put(group, i64(GROUP_TOTAL_BYTE_SIZE, uncompressed));
    if (find(group, GROUP_FILE_OFFSET) != null) {
      put(group, i64(GROUP_FILE_OFFSET, start));
    }
    if (find(group, GROUP_TOTAL_COMPRESSED_SIZE) != null) {
      put(group, i64(GROUP_TOTAL_COMPRESSED_SIZE, compressed));
    }
  }

  private record ChunkWritten(long start, long dataPage, long dictionaryPage, long compressed, long uncompressed) {}

  /** Copies one column chunk's pages, compressed; says where they went. */
  private ChunkWritten copyChunk(List<Field> meta) throws IOException {
    long inputCodec = integer(meta, META_CODEC, 0);
    if (inputCodec != ParquetCompression.NONE.codecId) {
      throw new IOException(source + ": a column chunk is already compressed (codec " + inputCodec + ")");
    }
    long dataPage = integer(meta, META_DATA_PAGE_OFFSET, -1);
    long dictionaryPage = integer(meta, META_DICTIONARY_PAGE_OFFSET, -1);
    long begin = dictionaryPage > 0 && dictionaryPage < dataPage ? dictionaryPage : dataPage;
    long length = integer(meta, META_TOTAL_COMPRESSED_SIZE, -1);
    if (begin < 4 || length < 0 || begin + length > sourceSize) {
      throw new IOException(source + ": a column chunk's pages lie outside the file");
    }
    if (length > Integer.MAX_VALUE) {
      throw new IOException(source + ": a column chunk of " + length + " bytes is over 2 GiB, too big to "
          + "compress here; write it uncompressed");
    }
    ByteBuffer pages = window.view(begin, (int) length);
    long start = out.position();
    long newDataPage = -1;
    long newDictionaryPage = -1;
    long uncompressed = 0;
    int at = 0;
    while (at < length) {
      Reader reader = new Reader(pages.duplicate().position(at));
      List<Field> header = readStruct(reader);
      int bodyStart = reader.position();
      int type = (int) integer(header, PAGE_TYPE, -1);
      long size = integer(header, PAGE_COMPRESSED_SIZE, -1);
      if (size < 0 || size > length - bodyStart) {
        throw new IOException(source + ": a page runs past its column chunk");
      }
      ByteBuffer body = pages.slice(bodyStart, (int) size);
      int kept = 0;
      if (type == DATA_PAGE_V2) {
        List<Field> v2 = readStruct(find(header, PAGE_V2_HEADER).value());
        kept = Math.toIntExact(integer(v2, V2_DEFINITION_LEVELS_LENGTH, 0) + integer(v2, V2_REPETITION_LEVELS_LENGTH, 0));
        put(v2, new Field(V2_IS_COMPRESSED, TYPE_TRUE, new byte[0]));
        put(header, new Field(PAGE_V2_HEADER, TYPE_STRUCT, writeStruct(v2)));
      }
      ByteBuffer compressedBody = compressBody(body, kept);
      put(header, i32(PAGE_COMPRESSED_SIZE, compressedBody.remaining()));
      header.removeIf(f -> f.id() == PAGE_CRC);
      if (type == DICTIONARY_PAGE) {
        newDictionaryPage = out.position();
      } else if (newDataPage < 0) {
        newDataPage = out.position();
      }
      byte[] headerBytes = writeStruct(header);
      out.put(headerBytes);
      out.put(compressedBody);
      uncompressed += headerBytes.length + integer(header, PAGE_UNCOMPRESSED_SIZE, 0);
      at = bodyStart + (int) size;
    }
    return new ChunkWritten(start, newDataPage < 0 ? start : newDataPage, newDictionaryPage, out.position() - start,
        uncompressed);
  }

  /** The body with its first {@code kept} bytes as they are and the rest compressed, in {@code scratch}. */
  private ByteBuffer compressBody(ByteBuffer body, int kept) throws IOException {
    int need = kept + codec.maxCompressedLength(body.remaining() - kept);
    if (scratch.capacity() < need) {
      scratch = buffers.get(Math.max(need, scratch.capacity() * 2));
    }
    scratch.clear();
    scratch.put(body.slice(0, kept));
    int n = codec.compress(body.slice(kept, body.remaining() - kept), scratch.slice(kept, scratch.capacity() - kept));
    return scratch.slice(0, kept + n);
  }

  private static long integer(List<Field> fields, int id, long absent) {
    Field f = find(fields, id);
    return f == null ? absent : f.integer();
  }

  /**
   * Column chunks lie one after another in the file, so they are read in 1 MiB windows (larger when a
   * chunk is): few reads for a wide table of small chunks, and memory bounded by a chunk, not the file.
   */
  private static final class SequentialWindow {
    private final FileChannel channel;
    private final Buffers buffers;
    private ByteBuffer buffer;
    private long start;
    private int valid;

    SequentialWindow(FileChannel channel, Buffers buffers) {
      this.channel = channel;
      this.buffers = buffers;
      this.buffer = buffers.get(1 << 20);
    }

    /** The bytes from {@code begin}, {@code length} of them, valid until the next call. */
    ByteBuffer view(long begin, int length) throws IOException {
      if (begin < start || begin + length > start + valid) {
        if (buffer.capacity() < length) {
          buffer = buffers.get(length);
        }
        buffer.clear();
        start = begin;
        while (buffer.position() < length) {
          if (channel.read(buffer, begin + buffer.position()) < 0) {
            throw new java.io.EOFException("the file ends inside a column chunk");
          }
        }
        valid = buffer.position();
      }
      return buffer.slice((int) (begin - start), length);
    }
  }

  /** Writes through a staging buffer: a wide table has two small pages per column. */
  private static final class StagedOutput {
    private final FileChannel channel;
    private final ByteBuffer staged;
    private long flushed;

    StagedOutput(FileChannel channel, ByteBuffer staged) {
      this.channel = channel;
      this.staged = staged;
    }

    long position() {
      return flushed + staged.position();
    }

    void put(byte[] bytes) throws IOException {
      put(ByteBuffer.wrap(bytes));
    }

    void put(ByteBuffer bytes) throws IOException {
      if (bytes.remaining() > staged.remaining()) {
        flush();
      }
      if (bytes.remaining() > staged.remaining()) {
        long n = bytes.remaining();
        writeFully(bytes);
        flushed += n;
      } else {
        staged.put(bytes);
      }
    }

    void flush() throws IOException {
      staged.flip();
      long n = staged.remaining();
      writeFully(staged);
      flushed += n;
      staged.clear();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }

  /**
   * Direct memory for the windows and buffers above, from the caller's allocator: pooled, so a conversion
   * reuses the last one's pages (fresh direct buffers cost a page fault per 4 KiB, which on a small table
   * took longer than the compression). Everything taken is given back on close.
   */
  private static final class Buffers implements AutoCloseable {
    private final BufferAllocator allocator;
    private final List<ArrowBuf> taken = new java.util.ArrayList<>();

    Buffers(BufferAllocator allocator) {
      this.allocator = allocator;
    }

    ByteBuffer get(int size) {
      ArrowBuf b = allocator.buffer(size);
      taken.add(b);
      return b.nioBuffer(0, size);
    }

    @Override
    public void close() {
      taken.forEach(ArrowBuf::close);
      taken.clear();
    }
  }
}
