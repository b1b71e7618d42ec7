package io.arrownpz.npz;

import io.arrownpz.cache.ReadCache;
import io.arrownpz.BadFileException;
import io.arrownpz.internal.memory.Region;
import io.arrownpz.internal.npy.HeaderCache;
import io.arrownpz.internal.npy.Internals;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyHeader;
import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.zip.ZipArchive;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * An NPZ file: a ZIP archive whose {@code .npy} members are read as {@link NpyArray}s, in place for
 * STORED members and inflated for DEFLATED ones.
 *
 * <p>Threads: one thread at a time (its header cache is not shared safely); the arrays and vectors it
 * opens may be read by many.
 */
public final class NpzArchive implements AutoCloseable {
  public static final String NPY_SUFFIX = ".npy";
  static final String FRAME_MARKER = "__meta__.json";
  static final String PACKED_OFFSETS = "__offsets__.npy";

  private final ZipArchive zip;
  private final HeaderCache headers = new HeaderCache();

  private NpzArchive(ZipArchive zip) {
    this.zip = zip;
  }

  public static NpzArchive open(Path path) throws IOException {
    return new NpzArchive(ZipArchive.open(path));
  }

  /** Opens an archive whose deflated members may each inflate to at most {@code maxInflatedBytes}. */
  public static NpzArchive open(Path path, long maxInflatedBytes) throws IOException {
    return new NpzArchive(ZipArchive.open(path, maxInflatedBytes));
  }

  /** As {@link #open(Path, long)}, mapping through {@code cache} (owned by the caller; null keeps nothing). */
  public static NpzArchive open(Path path, long maxInflatedBytes, ReadCache cache) throws IOException {
    return new NpzArchive(ZipArchive.open(path, maxInflatedBytes, cache));
  }

  /**
   * Opens an archive with the limit, cache and choice of mapping or reading of {@code options} ({@link
   * io.arrownpz.ReadOptions#memoryMap()}).
   */
  public static NpzArchive open(Path path, io.arrownpz.ReadOptions options) throws IOException {
    return new NpzArchive(ZipArchive.open(path, options));
  }

  /**
   * As {@link #open(Path, long)}, reading {@code input} (a file on another file system, say), which the
   * archive closes with itself.
   */
  public static NpzArchive open(io.arrownpz.input.InputFile input, long maxInflatedBytes) throws IOException {
    return new NpzArchive(ZipArchive.open(input, maxInflatedBytes));
  }

  /** The local file this archive is; null for one on another file system. */
  public Path path() {
    return zip.path();
  }

  /** How messages name the archive: its path or URI. */
  public String name() {
    return zip.name();
  }

  public ZipArchive zip() {
    return zip;
  }

  public List<ZipEntry> entries() {
    return zip.entries();
  }

  public NpzLayout layout() {
    if (zip.entry(FRAME_MARKER) != null) {
      return NpzLayout.FRAME;
    }
    if (zip.entry(PACKED_OFFSETS) != null) {
      return NpzLayout.PACKED;
    }
    return NpzLayout.PLAIN;
  }

  /** The entry of a member, by its exact name or by its key (the name without {@code .npy}). */
  public ZipEntry entry(String member) throws BadFileException {
    ZipEntry entry = zip.entry(member);
    if (entry == null) {
      entry = zip.entry(member + NPY_SUFFIX);
    }
    if (entry == null) {
      throw new BadFileException(path(), member, "no such member");
    }
    return entry;
  }

  /**
   * Reads and checks only a member's NPY header, from a prefix of the member: a DEFLATED member is
   * inflated only as far as its header goes, a STORED one is not mapped.
   */
  public NpyHeader header(ZipEntry entry) throws IOException {
    return header(entry, zip.prefix(entry, HEADER_PREFIX));
  }

  /** The header parsed from a prefix of the member's bytes, read further when it reaches past it. */
  private NpyHeader header(ZipEntry entry, ByteBuffer firstBytes) throws IOException {
    ByteBuffer[] prefix = {firstBytes};
    return NpyHeaderCodec.read((position, length) -> {
      long end = position + length;
      if (end > prefix[0].limit() && prefix[0].limit() < entry.size()) {
        // A header longer than the usual prefix (a few exist): read as far as it reaches.
        prefix[0] = zip.prefix(entry, (int) Math.min(Math.max(end, 2L * prefix[0].limit()), Integer.MAX_VALUE));
      }
      int from = (int) Math.min(position, prefix[0].limit());
      int to = (int) Math.min(end, prefix[0].limit());
      return prefix[0].duplicate().position(from).limit(to).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }, entry.size(), name(), entry.name(), headers);
  }

  /**
   * Bytes read to learn a member's header: NumPy's headers are 128 or 192 bytes, and a longer one is read on.
   * The same as a STORED member's read with its local header, so that a member's head is read once an open.
   */
  private static final int HEADER_PREFIX = ZipArchive.USUAL_HEAD_BYTES;

  /** Bytes read with a STORED member's local header: NumPy's usual headers fit, longer ones are read on. */
  private static final int STORED_HEADER_READ = ZipArchive.USUAL_HEAD_BYTES;

  /** Opens a member as an NPY array; the caller closes it. */
  public NpyArray array(String member, BufferAllocator allocator) throws IOException {
    return array(entry(member), allocator);
  }

  public NpyArray array(ZipEntry entry, BufferAllocator allocator) throws IOException {
    if (entry.isStored()) {
      // The header from one small read, not through the mapping: the member's pages stay untouched until
      // its values are read (a frame's open would otherwise fault in a page per member).
      ZipArchive.Head head = zip.head(entry, STORED_HEADER_READ);
      NpyHeader header;
      if (head.learnt() instanceof NpyHeader known) {
        header = known; // parsed earlier in this open of the archive, from the same bytes
      } else {
        header = header(entry, head.prefix());
        zip.learn(entry, header);
      }
      Region bytes = Internals.archives().stored(zip, entry, head.dataOffset());
      return Internals.arrays().array(name(), entry.name(), header, bytes, header.dataOffset());
    }
    Region bytes = Internals.archives().open(zip, entry, allocator);
    try {
      NpyHeader header = NpyHeaderCodec.read(
          (position, length) -> bytes.view(position, (int) Math.min(length, bytes.length() - position)),
          bytes.length(), name(), entry.name(), headers);
      return Internals.arrays().array(name(), entry.name(), header, bytes, header.dataOffset());
    } catch (IOException | RuntimeException e) {
      bytes.close();
      throw e;
    }
  }

  /** The column name of a member: its name without the {@code .npy} that np.savez adds. */
  public static String key(String memberName) {
    return memberName.endsWith(NPY_SUFFIX) ? memberName.substring(0, memberName.length() - NPY_SUFFIX.length())
        : memberName;
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
