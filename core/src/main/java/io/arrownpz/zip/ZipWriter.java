package io.arrownpz.zip;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a ZIP archive member by member, streaming each member's bytes to the file: nothing is held in
 * memory but the central directory. The layout is Python's zipfile's, as NumPy uses it (version 45,
 * 1980-01-01 timestamps, a ZIP64 extra field in every local header, ZIP64 end records past 65,535
 * entries or 2 GiB), so that {@code np.load} and StaticFrame read the result. The CRC-32 and, for
 * DEFLATED members, the sizes are patched into the local header once the member is written.
 */
public final class ZipWriter implements AutoCloseable {
  private static final int VERSION = 45;
  private static final int MADE_BY = 3 << 8 | VERSION; // Unix, 4.5
  private static final short DOS_DATE_1980_01_01 = 0x0021;
  private static final int EXTERNAL_ATTRIBUTES = 0600 << 16; // rw-------, as zipfile gives np.savez members
  private static final int LOCAL_ZIP64_EXTRA = 20;

  /** Writes one member's uncompressed bytes. */
  @FunctionalInterface
  public interface Content {
    void writeTo(WritableByteChannel out) throws IOException;
  }

  private final FileChannel file;
  private final PositionalWrites out;
  private final int alignment;
  private final int deflateLevel;
  private final List<Written> written = new ArrayList<>();
  private long position;
  private ExecutorService crcThread;

  private record Written(byte[] name, int method, int crc, long compressedSize, long size, long offset) {}

  /**
   * @param file the output, positioned at its start
   * @param alignment 0, or a power of two: STORED members' data then start on a multiple of it
   * @param deflateLevel 0-9 for DEFLATED members (Python's default is 6)
   */
  public ZipWriter(FileChannel file, int alignment, int deflateLevel) throws IOException {
    if (alignment < 0 || alignment > 4096 || alignment != 0 && Integer.bitCount(alignment) != 1) {
      throw new IllegalArgumentException("alignment must be 0 or a power of two up to 4096");
    }
    this.file = file;
    this.alignment = alignment;
    this.deflateLevel = deflateLevel;
    this.position = file.position();
    this.out = new PositionalWrites(file);
  }

  /** Adds a STORED member of exactly {@code size} bytes. */
  public void addStored(String name, long size, Content content) throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    long offset = position;
    int padding = alignment == 0 ? 0 : paddingFor(offset + ZipFormat.LOCAL_HEADER_SIZE + nameBytes.length + LOCAL_ZIP64_EXTRA);
    writeLocalHeader(name, nameBytes, ZipFormat.METHOD_STORED, 0, size, size, padding);
    CrcCounter counter = new CrcCounter(file);
    content.writeTo(counter);
    if (counter.count != size) {
      throw new IOException("member '" + name + "' wrote " + counter.count + " bytes, not the announced " + size);
    }
    position += size;
    int crc = (int) counter.crc.getValue();
    patchInt(offset + 14, crc);
    written.add(new Written(nameBytes, ZipFormat.METHOD_STORED, crc, size, size, offset));
  }

  /** Adds a DEFLATED member; its sizes are known only once it is written. */
  public void addDeflated(String name, Content content) throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    long offset = position;
    writeLocalHeader(name, nameBytes, ZipFormat.METHOD_DEFLATED, 0, 0, 0, 0);
    DeflatingChannel deflating = new DeflatingChannel(deflateLevel);
    CrcCounter counter = new CrcCounter(deflating);
    try {
      content.writeTo(counter);
      deflating.finish();
    } finally {
      deflating.end();
    }
    long compressed = deflating.compressed;
    position += compressed;
    int crc = (int) counter.crc.getValue();
    patchInt(offset + 14, crc);
    long extra = offset + ZipFormat.LOCAL_HEADER_SIZE + nameBytes.length;
    patchLong(extra + 4, counter.count);
    patchLong(extra + 12, compressed);
    written.add(new Written(nameBytes, ZipFormat.METHOD_DEFLATED, crc, compressed, counter.count, offset));
  }

  /** Offset in the archive where the next member's local header goes. */
  public long position() {
    return position;
  }

  /** Writes the central directory and end records. */
  public void finish() throws IOException {
    long cdStart = position;
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (Written w : written) {
      // As zipfile does: both sizes go to the ZIP64 field when either is too big; the offset on its own.
      boolean bigSizes = w.size > ZipFormat.ZIP64_LIMIT || w.compressedSize > ZipFormat.ZIP64_LIMIT;
      boolean bigOffset = w.offset > ZipFormat.ZIP64_LIMIT;
      int extraLength = bigSizes || bigOffset ? 4 + (bigSizes ? 16 : 0) + (bigOffset ? 8 : 0) : 0;
      int needed = ZipFormat.CENTRAL_HEADER_SIZE + w.name.length + extraLength;
      if (b.remaining() < needed) {
        flush(b);
        if (b.capacity() < needed) {
          b = ByteBuffer.allocate(needed).order(ByteOrder.LITTLE_ENDIAN);
        }
      }
      b.putInt(ZipFormat.CENTRAL_HEADER).putShort((short) MADE_BY).putShort((short) VERSION)
          .putShort((short) flags(w.name)).putShort((short) w.method).putShort((short) 0)
          .putShort(DOS_DATE_1980_01_01).putInt(w.crc)
          .putInt(bigSizes ? -1 : (int) w.compressedSize)
          .putInt(bigSizes ? -1 : (int) w.size)
          .putShort((short) w.name.length).putShort((short) extraLength).putShort((short) 0)
          .putShort((short) 0).putShort((short) 0).putInt(EXTERNAL_ATTRIBUTES)
          .putInt(bigOffset ? -1 : (int) w.offset).put(w.name);
      if (extraLength > 0) {
        b.putShort(ZipFormat.ZIP64_EXTRA_ID).putShort((short) (extraLength - 4));
        if (bigSizes) {
          b.putLong(w.size).putLong(w.compressedSize);
        }
        if (bigOffset) {
          b.putLong(w.offset);
        }
      }
    }
    flush(b);
    long cdSize = position - cdStart;
    int count = written.size();
    boolean zip64 = count > ZipFormat.ZIP_FILECOUNT_LIMIT || cdStart > ZipFormat.ZIP64_LIMIT
        || cdSize > ZipFormat.ZIP64_LIMIT;
    ByteBuffer end = ByteBuffer.allocate(ZipFormat.ZIP64_END_SIZE + ZipFormat.ZIP64_LOCATOR_SIZE + ZipFormat.END_SIZE)
        .order(ByteOrder.LITTLE_ENDIAN);
    if (zip64) {
      long zip64End = position;
      end.putInt(ZipFormat.ZIP64_END_OF_CENTRAL_DIRECTORY).putLong(ZipFormat.ZIP64_END_SIZE - 12)
          .putShort((short) VERSION).putShort((short) VERSION).putInt(0).putInt(0)
          .putLong(count).putLong(count).putLong(cdSize).putLong(cdStart);
      end.putInt(ZipFormat.ZIP64_LOCATOR).putInt(0).putLong(zip64End).putInt(1);
    }
    end.putInt(ZipFormat.END_OF_CENTRAL_DIRECTORY).putShort((short) 0).putShort((short) 0)
        .putShort((short) Math.min(count, ZipFormat.ZIP_FILECOUNT_LIMIT))
        .putShort((short) Math.min(count, ZipFormat.ZIP_FILECOUNT_LIMIT))
        .putInt((int) Math.min(cdSize, 0xFFFFFFFFL)).putInt((int) Math.min(cdStart, 0xFFFFFFFFL))
        .putShort((short) 0);
    flush(end);
    out.flush();
  }

  private void writeLocalHeader(String name, byte[] nameBytes, int method, int crc, long compressed, long size,
      int padding) throws IOException {
    if (nameBytes.length > 0xFFFF) {
      throw new IllegalArgumentException("member name too long: " + name.substring(0, 40) + "...");
    }
    ByteBuffer b = ByteBuffer.allocate(ZipFormat.LOCAL_HEADER_SIZE + nameBytes.length + LOCAL_ZIP64_EXTRA + padding)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(ZipFormat.LOCAL_HEADER).putShort((short) VERSION).putShort((short) flags(nameBytes))
        .putShort((short) method).putShort((short) 0).putShort(DOS_DATE_1980_01_01).putInt(crc)
        .putInt(-1).putInt(-1) // sizes are in the ZIP64 extra field, as zipfile writes them
        .putShort((short) nameBytes.length).putShort((short) (LOCAL_ZIP64_EXTRA + padding))
        .put(nameBytes)
        .putShort(ZipFormat.ZIP64_EXTRA_ID).putShort((short) 16).putLong(size).putLong(compressed);
    if (padding > 0) {
      // zipalign's alignment record: the alignment, then zeros; readers skip unknown extra records.
      b.putShort(ZipFormat.ALIGNMENT_EXTRA_ID).putShort((short) (padding - 4)).putShort((short) alignment);
      while (b.hasRemaining()) {
        b.put((byte) 0);
      }
    }
    flush(b);
  }

  /** Bytes of padding record so that data at {@code dataStart} moves to the next aligned offset (0 or >= 6). */
  private int paddingFor(long dataStart) {
    int pad = (int) ((alignment - dataStart % alignment) % alignment);
    while (pad != 0 && pad < 6) {
      pad += alignment;
    }
    return pad;
  }

  private static int flags(byte[] name) {
    for (byte c : name) {
      if (c < 0) {
        return ZipFormat.FLAG_UTF8;
      }
    }
    return 0;
  }

  private void flush(ByteBuffer b) throws IOException {
    b.flip();
    int n = b.remaining();
    out.write(b, position);
    position += n;
    b.clear();
  }

  private void patchInt(long at, int value) throws IOException {
    out.patch(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).flip(), at);
  }

  private void patchLong(long at, long value) throws IOException {
    out.patch(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).flip(), at);
  }

  /**
   * Passes bytes on at the archive's position while counting them and computing their CRC-32. For large
   * writes the CRC runs on a helper thread, piece by piece, while this thread writes the same pieces:
   * both only read the caller's buffer, and the call returns only when both are done with it.
   */
  private final class CrcCounter implements WritableByteChannel {
    // 1 MiB: small enough that the CRC thread reads bytes the write has just brought into cache (measured
    // against 256 KiB and 4 MiB on this machine).
    private static final int PIECE = 1 << 20;
    private final WritableByteChannel target;
    private final CRC32 crc = new CRC32();
    private long count;
    CrcCounter(WritableByteChannel target) {
      this.target = target;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = src.remaining();
      ExecutorService helper = n >= 2 * PIECE ? crcThread() : null;
      if (helper == null) {
        crc.update(src.duplicate());
        pass(src);
        return n;
      }
      Future<?> last = null;
      while (src.hasRemaining()) {
        ByteBuffer piece = src.slice();
        piece.limit(Math.min(PIECE, piece.remaining()));
        ByteBuffer forCrc = piece.duplicate();
        last = helper.submit(() -> crc.update(forCrc));
        src.position(src.position() + piece.remaining());
        pass(piece);
      }
      try {
        last.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while computing a CRC-32");
      } catch (ExecutionException e) {
        throw new IOException("CRC-32 computation failed", e.getCause());
      }
      return n;
    }

    private void pass(ByteBuffer b) throws IOException {
      int n = b.remaining();
      if (target == file) {
        out.write(b, position + count);
      } else {
        while (b.hasRemaining()) {
          target.write(b);
        }
      }
      count += n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  /** The helper thread for CRC-32s, when there is a second core to run it on. */
  private ExecutorService crcThread() {
    if (crcThread == null && Runtime.getRuntime().availableProcessors() > 1) {
      crcThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "arrow-npz-crc32");
        t.setDaemon(true);
        return t;
      });
    }
    return crcThread;
  }

  /** Stops the helper thread; the archive itself is finished by {@link #finish()}. */
  @Override
  public void close() {
    out.release();
    if (crcThread != null) {
      crcThread.shutdownNow();
      crcThread = null;
    }
  }

  /** Deflates (raw, no zlib header) what is written to it and writes the result at the archive's position. */
  private final class DeflatingChannel implements WritableByteChannel {
    private final Deflater deflater;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
    private long compressed;

    DeflatingChannel(int level) {
      this.deflater = new Deflater(level, true);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = src.remaining();
      deflater.setInput(src);
      while (!deflater.needsInput()) {
        drain(Deflater.NO_FLUSH);
      }
      return n;
    }

    void finish() throws IOException {
      deflater.finish();
      while (!deflater.finished()) {
        drain(Deflater.NO_FLUSH);
      }
    }

    private void drain(int flush) throws IOException {
      buffer.clear();
      deflater.deflate(buffer, flush);
      buffer.flip();
      int n = buffer.remaining();
      out.write(buffer, position + compressed);
      compressed += n;
    }

    void end() {
      deflater.end();
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
