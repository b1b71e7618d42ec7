package io.arrownpz.zip;

import io.arrownpz.BadFileException;
import io.arrownpz.input.InputFile;
import io.arrownpz.internal.io.ReadAhead;
import io.arrownpz.internal.memory.BufferRegion;
import io.arrownpz.cache.ReadCache;
import io.arrownpz.internal.memory.FileMappings;
import io.arrownpz.internal.memory.MappedRegion;
import io.arrownpz.internal.memory.Region;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A ZIP archive read in place. Opening finds the end record (past any comment, and the ZIP64 records when
 * present) and reads the whole central directory in one go; members' local headers are read only when a
 * member is. Local archives up to 2 GiB are mapped whole, so STORED members are views of the mapping;
 * larger ones map each member on demand, whatever its size. An archive on another file system
 * ({@link InputFile}) reads each member asked for into native memory, and nothing else. DEFLATED members are inflated into allocator memory, never past their
 * declared size, and their CRC-32 is checked. Each open reads the central directory, and each member's local
 * header when the member is read: nothing learnt from an earlier open is used.
 */
public final class ZipArchive implements AutoCloseable {
  static {
    io.arrownpz.internal.npy.Internals.grant(new io.arrownpz.internal.npy.Internals.Archives() {
      @Override
      public Region open(ZipArchive zip, ZipEntry entry, BufferAllocator allocator) throws IOException {
        return zip.open(entry, allocator);
      }

      @Override
      public Region stored(ZipArchive zip, ZipEntry entry, long dataOffset) throws IOException {
        return zip.stored(entry, dataOffset);
      }
    });
  }

  private static final Charset CP437 = cp437();
  /** Members at least this far apart on average are each read exactly, closer ones through {@link #ahead}. */
  private static final long SPARSE_MEMBERS = 32 << 10;
  /** Archives up to this size are mapped whole; larger ones member by member, each of any size. */
  private static final long WHOLE_MAPPING_LIMIT = Integer.MAX_VALUE;

  private final InputFile input;
  private final String name;
  private volatile boolean open = true;
  private final long fileSize;
  private final MappedRegion whole;
  /** How a member's bytes are taken where the whole file is not mapped ({@link #whole} null). */
  private final FileMappings mappings;
  /**
   * Reads of bytes used once (headers, data converted on reading) where members are close together (under
   * 32 KiB apart on average): a window read ahead serves several members a system call. Null where they
   * lie far apart: each is then read exactly, rather than read ahead past what is needed.
   */
  private final ReadAhead ahead;
  /** Every read of a file on another file system, runs of them read ahead; null for a local file. */
  private final io.arrownpz.internal.io.SequentialReadAhead remote;
  /** Members of a file elsewhere fetched ahead of a read that takes them all ({@link #willRead}). */
  private volatile io.arrownpz.internal.io.CoalescedRanges fetched = io.arrownpz.internal.io.CoalescedRanges.NONE;
  private final long centralDirectoryOffset;
  /** The members, and the local headers read so far: this open's, or kept from an earlier open of this file. */
  private final Directory directory;
  /** Where {@link #entry} looks first: after the member it found last (a hint: a race only costs a miss). */
  private int nextGuess;
  private long maxInflatedBytes = Integer.MAX_VALUE;

  private ZipArchive(InputFile input, long fileSize, MappedRegion whole, Directory directory,
      FileMappings mappings) {
    this.mappings = mappings;
    long cdOffset = directory.centralDirectoryOffset;
    this.ahead = input.localPath() != null && cdOffset / Math.max(1, directory.entries.size()) < SPARSE_MEMBERS
        ? new ReadAhead(input) : null;
    this.remote = input.localPath() == null ? new io.arrownpz.internal.io.SequentialReadAhead(input) : null;
    this.input = input;
    this.name = input.name();
    this.fileSize = fileSize;
    this.whole = whole;
    this.centralDirectoryOffset = cdOffset;
    this.directory = directory;
  }

  /** Opens an archive whose deflated members may each inflate to at most 2 GiB. */
  public static ZipArchive open(Path path) throws IOException {
    return open(path, Integer.MAX_VALUE);
  }

  /**
   * Opens an archive whose deflated members may each inflate to at most {@code maxInflatedBytes}: a member
   * declaring more is refused before any memory is set aside for it (a small file can otherwise claim up
   * to 2 GiB per member). Headers are read from a prefix, whatever the limit.
   */
  public static ZipArchive open(Path path, long maxInflatedBytes) throws IOException {
    return open(path, maxInflatedBytes, (ReadCache) null);
  }

  /**
   * As {@link #open(Path, long)}, the file's mapping taken from {@code cache} (owned by the caller) when it
   * keeps one that is still valid, and kept there; null maps afresh.
   */
  public static ZipArchive open(Path path, long maxInflatedBytes, ReadCache cache) throws IOException {
    return open(InputFile.open(path), maxInflatedBytes, FileMappings.of(cache));
  }

  /**
   * As {@link #open(Path, long)}, with the limit, cache and choice of mapping or reading of {@code options}
   * ({@link io.arrownpz.ReadOptions#memoryMap()}: read, members are read into memory as they are asked for).
   */
  public static ZipArchive open(Path path, io.arrownpz.ReadOptions options) throws IOException {
    return open(InputFile.open(path), options.maxInflatedBytes(), FileMappings.of(options));
  }

  /**
   * As {@link #open(Path, long)}, reading {@code input}, which the archive closes with itself (also when
   * the open fails).
   */
  public static ZipArchive open(InputFile input, long maxInflatedBytes) throws IOException {
    return open(input, maxInflatedBytes, FileMappings.FRESH);
  }

  private static ZipArchive open(InputFile input, long maxInflatedBytes, FileMappings mappings) throws IOException {
    ZipArchive archive = open0(input, mappings);
    archive.maxInflatedBytes = Math.min(maxInflatedBytes, Integer.MAX_VALUE);
    return archive;
  }

  /**
   * The first bytes of a STORED member that an open reads with its local header, and that a writer keeps of
   * what it wrote: enough for NumPy's usual NPY headers (128 or 192 bytes).
   */
  public static final int USUAL_HEAD_BYTES = 256;

  private static ZipArchive open0(InputFile input, FileMappings mappings) throws IOException {
    MappedRegion whole = null;
    try {
      long size = input.length();
      if (input.localPath() != null && size <= WHOLE_MAPPING_LIMIT && !mappings.readsIntoMemory()) {
        whole = mappings.mapWhole(input.localPath(), size);
      }
      // The records and the directory are read from the file: each page touched through the new mapping
      // would cost a fault.
      Reader reader = new Reader(input, size);
      CentralDirectory cd = reader.readCentralDirectory();
      // Read at every open: a member's data may have moved (a local header grown or shrunk) with the
      // central directory, size and times as they were.
      Directory directory = new Directory(cd.offset, reader.parseEntries(cd.bytes, cd.count, cd.offset));
      return new ZipArchive(input, size, whole, directory, mappings);
    } catch (IOException | RuntimeException e) {
      if (whole != null) {
        whole.close();
      }
      input.close();
      throw e;
    }
  }

  /** The local file this archive is; null for one on another file system. */
  public Path path() {
    return input.localPath();
  }

  /** How messages name the archive: its path or URI. */
  public String name() {
    return name;
  }

  /** Whether every member is STORED (none compressed); known from the directory, without a walk per open. */
  public boolean allStored() {
    return directory.allStored;
  }

  /** Members in central-directory order. */
  public List<ZipEntry> entries() {
    return directory.entries;
  }

  /**
   * The member with this exact name, or null. Members are mostly asked for in the order they are stored
   * (a frame's blocks, one after another): the one after the last found is tried first.
   */
  public ZipEntry entry(String name) {
    ZipEntry found = directory.entry(name, nextGuess);
    if (found != null) {
      nextGuess = found.index() + 1;
    }
    return found;
  }

  /** Offset in the file of the member's first data byte, from its local header. */
  public long dataOffset(ZipEntry entry) throws IOException {
    return head(entry, 0).dataOffset();
  }

  /**
   * Where a member's data starts, and its first bytes (up to {@code prefixBytes}, fewer when the member is
   * shorter or its local header longer than usual) as stored, read from the file, not the mapping: a first
   * touch of a mapped page costs a page fault, several times a small read, and opening a frame would pay
   * one per member just to learn its header.
   */
  public Head head(ZipEntry entry, int prefixBytes) throws IOException {
    Head known = directory.head(entry, prefixBytes);
    if (known != null) {
      return known;
    }
    Head head = readHead(entry, prefixBytes);
    directory.remember(entry, prefixBytes, head);
    return head;
  }

  private Head readHead(ZipEntry entry, int prefixBytes) throws IOException {
    int wanted = (int) Math.min(localHeaderGuess(entry) + prefixBytes,
        Math.max(0, fileSize - entry.localHeaderOffset()));
    ByteBuffer header = ByteBuffer.allocate(wanted).order(ByteOrder.LITTLE_ENDIAN);
    readAt(header, entry.localHeaderOffset());
    header.flip();
    if (header.remaining() < ZipFormat.LOCAL_HEADER_SIZE || header.getInt(0) != ZipFormat.LOCAL_HEADER) {
      throw bad(entry, "no local header at offset " + entry.localHeaderOffset());
    }
    int skip = ZipFormat.LOCAL_HEADER_SIZE + (header.getShort(26) & 0xFFFF) + (header.getShort(28) & 0xFFFF);
    long start = entry.localHeaderOffset() + skip;
    if (start + entry.compressedSize() > centralDirectoryOffset) {
      throw bad(entry, "data (" + entry.compressedSize() + " bytes from offset " + start
          + ") runs past the end of the members");
    }
    int from = Math.min(skip, header.limit());
    int to = (int) Math.min(header.limit(), from + Math.min(prefixBytes, entry.compressedSize()));
    return new Head(start, header.position(from).limit(to).slice().order(ByteOrder.LITTLE_ENDIAN), null);
  }

  /** Reads into {@code into} from {@code position} until it is full or the file ends; the bytes read. */
  private int readAt(ByteBuffer into, long position) throws IOException {
    if (ahead != null) {
      return ahead.read(into, position);
    }
    if (remote == null) {
      return input.read(into, position);
    }
    int wanted = into.remaining();
    return fetched.read(into, position) ? wanted : remote.read(into, position);
  }

  /**
   * Says that a read is about to take these members, headers and data: on a file elsewhere, they are
   * fetched now in as few reads as their gaps allow, and held until the archive closes (or the next call);
   * on a local file, nothing is done (the file is mapped). A read of one column of many does not call this,
   * so that it reads that column alone.
   */
  public void willRead(java.util.Collection<ZipEntry> entries) throws IOException {
    fetch(entries, false);
  }

  /**
   * As {@link #willRead}, for the members' heads alone (local header and first {@value #USUAL_HEAD_BYTES}
   * bytes: an NPY header and a first row), as an outline reads them. Heads closer than the gap a read
   * costs are fetched together with the bytes between them.
   */
  public void willReadHeads(java.util.Collection<ZipEntry> entries) throws IOException {
    fetch(entries, true);
  }

  private void fetch(java.util.Collection<ZipEntry> entries, boolean headsOnly) throws IOException {
    if (remote == null) {
      return;
    }
    java.util.List<long[]> ranges = new java.util.ArrayList<>();
    for (ZipEntry entry : entries) {
      long start = entry.localHeaderOffset();
      long header = localHeaderGuess(entry);
      long data = headsOnly ? USUAL_HEAD_BYTES : Math.max(entry.compressedSize(), USUAL_HEAD_BYTES);
      ranges.add(new long[] {start, Math.min(fileSize, start + header + data)});
    }
    fetched = io.arrownpz.internal.io.CoalescedRanges.NONE;
    fetched = io.arrownpz.internal.io.CoalescedRanges.fetch(input, ranges);
  }

  /** Room read for a local header's name and extra field beyond the central directory's name. */
  private static final int EXTRA_FIELD_GUESS = 64;

  /**
   * Bytes that hold a member's local header, whose length is known only once it is read: its fixed part, the
   * name in UTF-8 at its longest, and room for an extra field.
   */
  private static long localHeaderGuess(ZipEntry entry) {
    return ZipFormat.LOCAL_HEADER_SIZE + entry.name().length() * 3L + EXTRA_FIELD_GUESS;
  }

  /**
   * A member's data offset and its first bytes as stored (compressed, for a DEFLATED member), possibly
   * fewer than asked for.
   */
  /**
   * A member's head: where its data starts, its first bytes, and what a reader made of them on an earlier
   * open of the same unchanged file ({@link #learn}), or null.
   */
  public record Head(long dataOffset, ByteBuffer prefix, Object learnt) {}

  /**
   * Keeps what a reader made of a member's head (a parsed NPY header) with the head, for the next open of
   * the same unchanged file to take instead of working it out again. Anything kept must follow from the
   * head's bytes alone, and be immutable.
   */
  public void learn(ZipEntry entry, Object learnt) {
    directory.learn(entry, learnt);
  }

  /**
   * The uncompressed bytes of a member as a region: a view of the file for STORED members, allocator
   * memory for DEFLATED ones. The caller closes the region.
   */
  Region open(ZipEntry entry, BufferAllocator allocator) throws IOException {
    if (entry.isStored()) {
      return stored(entry);
    }
    if (entry.isDeflated()) {
      return new BufferRegion(inflate(entry, allocator), entry.size());
    }
    throw bad(entry, "compression " + entry.compressionName() + " is not supported (only stored and deflated)");
  }

  /** A STORED member's bytes, in place. */
  Region stored(ZipEntry entry) throws IOException {
    return stored(entry, dataOffset(entry));
  }

  /**
   * A STORED member's bytes in place, its data offset already read ({@link #head}); when the archive is not a
   * local file, read in the ranges its readers use ({@link io.arrownpz.internal.memory.RangeReadRegion}).
   */
  Region stored(ZipEntry entry, long dataOffset) throws IOException {
    if (!entry.isStored()) {
      throw bad(entry, "is " + entry.compressionName() + ", not stored");
    }
    if (entry.size() != entry.compressedSize()) {
      throw bad(entry, "stored member declares " + entry.size() + " bytes but holds " + entry.compressedSize());
    }
    if (whole != null) {
      return new SubRegion(whole.retain(), entry, dataOffset);
    }
    if (input.localPath() != null) {
      return mappings.part(input.localPath(), this::readAt, dataOffset, entry.size(), entry.name());
    }
    // The member's first bytes, read with its local header, serve the reads they hold (a header, a first row).
    Head head = directory.head(entry, USUAL_HEAD_BYTES);
    ByteBuffer first = head != null && head.dataOffset() == dataOffset ? head.prefix() : null;
    return new io.arrownpz.internal.memory.RangeReadRegion(this::readAt, name, dataOffset, entry.size(), entry.name(),
        first);
  }

  /** Inflates a DEFLATED member into a new buffer, checking its size and CRC-32. The caller closes it. */
  public ArrowBuf inflate(ZipEntry entry, BufferAllocator allocator) throws IOException {
    long declared = entry.size();
    if (declared > Integer.MAX_VALUE) {
      throw bad(entry, "members over 2 GiB uncompressed are not supported when deflated");
    }
    if (declared > maxInflatedBytes) {
      throw bad(entry, "declares " + declared + " bytes uncompressed, more than the " + maxInflatedBytes
          + " allowed for inflating one member");
    }
    if (declared > entry.compressedSize() * ZipFormat.MAX_DEFLATE_RATIO + 1024) {
      throw bad(entry, "declares " + declared + " bytes from " + entry.compressedSize()
          + " compressed, more than DEFLATE can produce");
    }
    long start = dataOffset(entry);
    ByteBuffer input = read(start, Math.toIntExact(entry.compressedSize()));
    ArrowBuf out = allocator.buffer(Math.max(declared, 1));
    Inflater inflater = new Inflater(true);
    try {
      ByteBuffer output = out.nioBuffer(0, (int) declared);
      inflater.setInput(input);
      while (!inflater.finished()) {
        int n = inflater.inflate(output);
        if (n == 0) {
          if (!output.hasRemaining()) {
            if (inflater.inflate(ByteBuffer.allocate(1)) > 0) {
              throw bad(entry, "inflates past its declared size of " + declared + " bytes");
            }
            if (inflater.finished()) {
              break;
            }
          }
          if (inflater.needsInput()) {
            throw bad(entry, "compressed data ends before the deflate stream does (truncated or corrupt)");
          }
          if (inflater.needsDictionary()) {
            throw bad(entry, "deflate stream needs a preset dictionary");
          }
        }
      }
      if (output.position() != declared) {
        throw bad(entry, "inflates to " + output.position() + " bytes, not the declared " + declared);
      }
      CRC32 crc = new CRC32();
      crc.update(out.nioBuffer(0, (int) declared));
      if ((int) crc.getValue() != entry.crc32()) {
        throw bad(entry, String.format("CRC-32 mismatch: the archive says %08x, the data gives %08x",
            entry.crc32(), crc.getValue()));
      }
      out.writerIndex(declared);
      return out;
    } catch (DataFormatException e) {
      out.close();
      throw bad(entry, "corrupt deflate stream: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    } finally {
      inflater.end();
    }
  }

  /**
   * The first {@code maxBytes} uncompressed bytes of a member (fewer when it is shorter): a STORED member's
   * as a view, valid while the archive is open; a DEFLATED member's inflated as a stream that stops there. Enough to learn
   * an NPY header without inflating, or even mapping, the whole member. No CRC check (the data is partial).
   */
  public ByteBuffer prefix(ZipEntry entry, int maxBytes) throws IOException {
    int wanted = (int) Math.min(maxBytes, entry.size());
    Head head = head(entry, entry.isStored() ? wanted : 0);
    long start = head.dataOffset();
    if (entry.isStored()) {
      // Read with the local header; a view of the mapping (or the bytes read) when that header was longer.
      return head.prefix().remaining() == wanted ? head.prefix() : read(start, wanted);
    }
    if (!entry.isDeflated()) {
      throw bad(entry, "compression " + entry.compressionName() + " is not supported (only stored and deflated)");
    }
    ByteBuffer output = ByteBuffer.allocate(wanted).order(ByteOrder.LITTLE_ENDIAN);
    Inflater inflater = new Inflater(true);
    try {
      long consumed = 0;
      while (output.hasRemaining() && !inflater.finished()) {
        if (inflater.needsInput()) {
          if (consumed >= entry.compressedSize()) {
            throw bad(entry, "compressed data ends before the deflate stream does (truncated or corrupt)");
          }
          int chunk = (int) Math.min(64 * 1024, entry.compressedSize() - consumed);
          ByteBuffer input = read(start + consumed, chunk);
          consumed += chunk;
          inflater.setInput(input);
        }
        if (inflater.inflate(output) == 0 && inflater.needsDictionary()) {
          throw bad(entry, "deflate stream needs a preset dictionary");
        }
      }
      return output.flip();
    } catch (DataFormatException e) {
      throw bad(entry, "corrupt deflate stream: " + e.getMessage());
    } finally {
      inflater.end();
    }
  }

  /** Computes a STORED member's CRC-32 and compares it with the archive's (reads every byte). */
  public void verifyStored(ZipEntry entry) throws IOException {
    try (Region data = stored(entry)) {
      CRC32 crc = new CRC32();
      long done = 0;
      while (done < data.length()) {
        int n = (int) Math.min(1 << 30, data.length() - done);
        crc.update(data.view(done, n));
        done += n;
      }
      if ((int) crc.getValue() != entry.crc32()) {
        throw bad(entry, String.format("CRC-32 mismatch: the archive says %08x, the data gives %08x",
            entry.crc32(), crc.getValue()));
      }
    }
  }

  private ByteBuffer read(long position, int length) throws IOException {
    return Reader.read(input, whole, fileSize, position, length);
  }

  private BadFileException bad(ZipEntry entry, String problem) {
    return new BadFileException(name, entry.name(), problem);
  }

  @Override
  public void close() throws IOException {
    if (ahead != null) {
      ahead.close();
    }
    if (remote != null) {
      remote.close();
      fetched = io.arrownpz.internal.io.CoalescedRanges.NONE;
    }
    if (whole != null) {
      whole.close();
    }
    open = false;
    input.close();
  }

  private static Charset cp437() {
    try {
      return Charset.forName("IBM437");
    } catch (RuntimeException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  /** The central directory as read: {@code count} entries' bytes, not parsed yet. */
  private record CentralDirectory(long offset, ByteBuffer bytes, int count) {}

  /** Reads the end records and the central directory. */
  private static final class Reader {
    private final InputFile input;
    private final long size;
    Reader(InputFile input, long size) {
      this.input = input;
      this.size = size;
    }

    static ByteBuffer read(InputFile input, MappedRegion whole, long size, long position, int length)
        throws IOException {
      if (position < 0 || position > size) {
        return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
      }
      int n = (int) Math.min(length, size - position);
      if (whole != null) {
        return whole.view(position, n);
      }
      ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
      input.read(b, position);
      return b.flip();
    }

    /** Bytes of the end records or the directory, read from the file. */
    private ByteBuffer read(long position, int length) throws IOException {
      return read(input, null, size, position, length);
    }

    private BadFileException bad(String problem) {
      return new BadFileException(input.name(), null, problem);
    }

    CentralDirectory readCentralDirectory() throws IOException {
      if (size < ZipFormat.END_SIZE) {
        throw bad(size == 0 ? "empty file, not a ZIP archive" : "too short to be a ZIP archive");
      }
      long endPosition = findEnd();
      ByteBuffer end = read(endPosition, ZipFormat.END_SIZE);
      long count = end.getShort(10) & 0xFFFF;
      long cdSize = end.getInt(12) & 0xFFFFFFFFL;
      long cdOffset = end.getInt(16) & 0xFFFFFFFFL;
      long cdLimit = endPosition;
      if (endPosition >= ZipFormat.ZIP64_LOCATOR_SIZE) {
        ByteBuffer locator = read(endPosition - ZipFormat.ZIP64_LOCATOR_SIZE, ZipFormat.ZIP64_LOCATOR_SIZE);
        if (locator.getInt(0) == ZipFormat.ZIP64_LOCATOR) {
          long zip64End = locator.getLong(8);
          ByteBuffer record = read(zip64End, ZipFormat.ZIP64_END_SIZE);
          if (record.remaining() < ZipFormat.ZIP64_END_SIZE || record.getInt(0) != ZipFormat.ZIP64_END_OF_CENTRAL_DIRECTORY) {
            throw bad("the ZIP64 locator points to no ZIP64 end record");
          }
          count = record.getLong(32);
          cdSize = record.getLong(40);
          cdOffset = record.getLong(48);
          cdLimit = zip64End;
        }
      }
      if (cdOffset < 0 || cdSize < 0 || cdOffset > cdLimit || cdSize > cdLimit - cdOffset) {
        throw bad("central directory (" + cdSize + " bytes at offset " + cdOffset
            + ") runs past the end of the archive");
      }
      if (count < 0 || count > cdSize / ZipFormat.CENTRAL_HEADER_SIZE) {
        throw bad("central directory is truncated: " + count + " entries cannot fit in " + cdSize + " bytes");
      }
      if (cdSize > Integer.MAX_VALUE) {
        throw bad("central directory of " + cdSize + " bytes is too large");
      }
      return new CentralDirectory(cdOffset, read(cdOffset, (int) cdSize), (int) count);
    }

    /** The end record is the last 22 bytes, unless a comment (up to 64 KiB) follows it. */
    private long findEnd() throws IOException {
      // Most archives end with the record itself, without a comment: one small read finds it.
      ByteBuffer last = read(size - ZipFormat.END_SIZE, ZipFormat.END_SIZE);
      if (last.getInt(0) == ZipFormat.END_OF_CENTRAL_DIRECTORY && last.getShort(20) == 0) {
        return size - ZipFormat.END_SIZE;
      }
      int tailLength = (int) Math.min(size, ZipFormat.END_SIZE + ZipFormat.MAX_COMMENT);
      long tailStart = size - tailLength;
      ByteBuffer tail = read(tailStart, tailLength);
      long loose = -1;
      for (int i = tailLength - ZipFormat.END_SIZE; i >= 0; i--) {
        if (tail.getInt(i) == ZipFormat.END_OF_CENTRAL_DIRECTORY) {
          int commentLength = tail.getShort(i + 20) & 0xFFFF;
          if (i + ZipFormat.END_SIZE + commentLength == tailLength) {
            return tailStart + i;
          }
          if (loose < 0 && i + ZipFormat.END_SIZE + commentLength <= tailLength) {
            loose = tailStart + i;
          }
        }
      }
      if (loose >= 0) {
        return loose;
      }
      throw bad("not a ZIP archive: no end of central directory record");
    }

    private List<ZipEntry> parseEntries(ByteBuffer cd, int count, long cdOffset) throws BadFileException {
      List<ZipEntry> entries = new ArrayList<>(count);
      int p = 0;
      for (int i = 0; i < count; i++) {
        if (p + ZipFormat.CENTRAL_HEADER_SIZE > cd.limit() || cd.getInt(p) != ZipFormat.CENTRAL_HEADER) {
          throw bad("central directory is truncated or corrupt at entry " + i);
        }
        int flags = cd.getShort(p + 8) & 0xFFFF;
        int method = cd.getShort(p + 10) & 0xFFFF;
        int crc = cd.getInt(p + 16);
        long compressed = cd.getInt(p + 20) & 0xFFFFFFFFL;
        long uncompressed = cd.getInt(p + 24) & 0xFFFFFFFFL;
        int nameLength = cd.getShort(p + 28) & 0xFFFF;
        int extraLength = cd.getShort(p + 30) & 0xFFFF;
        int commentLength = cd.getShort(p + 32) & 0xFFFF;
        long localOffset = cd.getInt(p + 42) & 0xFFFFFFFFL;
        int nameStart = p + ZipFormat.CENTRAL_HEADER_SIZE;
        int next = nameStart + nameLength + extraLength + commentLength;
        if (next > cd.limit()) {
          throw bad("central directory is truncated at entry " + i);
        }
        String name = decodeName(cd, nameStart, nameLength, (flags & ZipFormat.FLAG_UTF8) != 0);
        if ((flags & 1) != 0) {
          throw new BadFileException(input.name(), name, "encrypted members are not supported");
        }
        if (uncompressed == 0xFFFFFFFFL || compressed == 0xFFFFFFFFL || localOffset == 0xFFFFFFFFL) {
          long[] values = zip64Values(cd, nameStart + nameLength, extraLength, name,
              uncompressed == 0xFFFFFFFFL, compressed == 0xFFFFFFFFL, localOffset == 0xFFFFFFFFL);
          uncompressed = values[0] >= 0 ? values[0] : uncompressed;
          compressed = values[1] >= 0 ? values[1] : compressed;
          localOffset = values[2] >= 0 ? values[2] : localOffset;
        }
        if (localOffset + ZipFormat.LOCAL_HEADER_SIZE > cdOffset || compressed > cdOffset - localOffset
            || compressed < 0 || uncompressed < 0) {
          throw new BadFileException(input.name(), name, "declared size " + compressed + " at offset "
              + localOffset + " runs past the end of the members");
        }
        entries.add(new ZipEntry(name, method, crc, compressed, uncompressed, localOffset, i));
        p = next;
      }
      checkDistinct(entries);
      return entries;
    }

    /**
     * Refuses what Python's zipfile warns about or flags: two members of one name (np.load would give the
     * last for both, and which one a reader takes is anyone's guess) and members whose bytes overlap (two
     * entries sharing a local header, or one's data running into the next's header: a ZIP bomb's trick).
     */
    private void checkDistinct(List<ZipEntry> entries) throws BadFileException {
      java.util.Set<String> names = new java.util.HashSet<>();
      for (ZipEntry e : entries) {
        if (!names.add(e.name())) {
          throw new BadFileException(input.name(), e.name(), "appears twice in the archive");
        }
      }
      List<ZipEntry> byOffset = new ArrayList<>(entries);
      byOffset.sort(java.util.Comparator.comparingLong(ZipEntry::localHeaderOffset));
      for (int i = 1; i < byOffset.size(); i++) {
        ZipEntry before = byOffset.get(i - 1);
        ZipEntry after = byOffset.get(i);
        long end = before.localHeaderOffset() + ZipFormat.LOCAL_HEADER_SIZE + before.compressedSize();
        if (after.localHeaderOffset() < end) {
          throw new BadFileException(input.name(), after.name(), "overlaps member '" + before.name()
              + "' (its header at offset " + after.localHeaderOffset() + " lies inside bytes "
              + before.localHeaderOffset() + " to " + end + ")");
        }
      }
    }

    /** Reads the ZIP64 extended-information extra field: u64 values, only for fields set to 0xFFFFFFFF. */
    private long[] zip64Values(ByteBuffer cd, int start, int length, String name, boolean size,
        boolean compressed, boolean offset) throws BadFileException {
      int p = start;
      int end = start + length;
      while (p + 4 <= end) {
        int id = cd.getShort(p) & 0xFFFF;
        int dataLength = cd.getShort(p + 2) & 0xFFFF;
        if (p + 4 + dataLength > end) {
          break;
        }
        if (id == ZipFormat.ZIP64_EXTRA_ID) {
          long[] values = {-1, -1, -1};
          int q = p + 4;
          boolean[] wanted = {size, compressed, offset};
          for (int k = 0; k < 3; k++) {
            if (wanted[k]) {
              if (q + 8 > p + 4 + dataLength) {
                throw new BadFileException(input.name(), name, "ZIP64 extra field is too short");
              }
              values[k] = cd.getLong(q);
              q += 8;
            }
          }
          return values;
        }
        p += 4 + dataLength;
      }
      throw new BadFileException(input.name(), name, "sizes need a ZIP64 extra field, and there is none");
    }

    private static String decodeName(ByteBuffer cd, int start, int length, boolean utf8) {
      byte[] bytes = new byte[length];
      cd.get(start, bytes);
      boolean ascii = true;
      for (byte b : bytes) {
        if (b < 0) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
      }
      return new String(bytes, utf8 ? StandardCharsets.UTF_8 : CP437);
    }
  }

  /**
   * A part of the archive's mapping, holding one reference to it; copies of it are read from the archive's
   * file while the archive is open.
   */
  private final class SubRegion implements Region {
    private final MappedRegion parent;
    private final String member;
    private final long start;
    private final long length;

    SubRegion(MappedRegion parent, ZipEntry entry, long start) {
      this.parent = parent;
      this.member = entry.name();
      this.start = start;
      this.length = entry.size();
    }

    @Override
    public boolean prefersReads() {
      return open && parent.viewsFile();
    }

    @Override
    public void read(long offset, long len, long address) throws IOException {
      check(offset, len);
      if (!prefersReads()) {
        Region.super.read(offset, len, address);
        return;
      }
      try {
        io.arrownpz.internal.memory.Reads reads = ZipArchive.this::readAt;
        if (!reads.readFully(start + offset, len, address)) {
          throw new BadFileException(name, member, "changed while it was read (ends before byte "
              + (start + offset + len) + ")");
        }
      } catch (java.nio.channels.ClosedChannelException e) {
        Region.super.read(offset, len, address); // the archive was closed meanwhile: the mapping stays
      }
    }

    @Override
    public long address() {
      return parent.address() + start;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public boolean isLive() {
      return parent.isLive();
    }

    @Override
    public Region retain() {
      parent.retain();
      return this;
    }

    @Override
    public void close() {
      parent.close();
    }

    @Override
    public ArrowBuf wrap(BufferAllocator allocator, long offset, long len) {
      check(offset, len);
      return parent.wrap(allocator, start + offset, len);
    }

    @Override
    public io.arrownpz.internal.memory.SharedWraps shareWraps(BufferAllocator allocator) {
      return parent.shareWraps(allocator);
    }

    @Override
    public ByteBuffer view(long offset, int len) {
      check(offset, len);
      return parent.view(start + offset, len);
    }

    private void check(long offset, long len) {
      if (offset < 0 || len < 0 || offset > length - len) {
        throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + len) + ") outside "
            + length + " bytes");
      }
    }
  }
}
