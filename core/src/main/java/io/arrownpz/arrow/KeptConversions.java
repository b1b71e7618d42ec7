package io.arrownpz.arrow;

import io.arrownpz.internal.memory.MappedRegion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The columns that reading converts (bools packed to bits, UTF-32 strings decoded to UTF-8), kept from reads
 * of unchanged bytes so that reading them again shares the buffers made before instead of converting
 * again. StaticFrame's mixed and columnar frames hold thousands of such columns (a third of 10,000 on the
 * wide panel frames), and converting them was the largest part of opening such a frame again, and of
 * serving it again over Flight.
 *
 * <p>A column is found by what names its source bytes ({@link io.arrownpz.internal.memory.Region#contentKey}:
 * an archive member of a kept mapping with its CRC-32, or a sealed transposed copy) and by its dtype and
 * field. The buffers of one read's conversions are copied together into one piece of memory, sealed
 * read-only ({@link MappedRegion#anonymous}, {@link MappedRegion#seal}), shared by every later read as a
 * mapped file is: a vector over it is read-only. Pieces count against no allocator while kept, and against
 * the reader's through the vectors made of them. Bounded by bytes and by pieces, the least recently read
 * piece dropped first with all its columns. Thread-safe.
 */
final class KeptConversions {
  /** The one every read uses. */
  static final KeptConversions SHARED = new KeptConversions(64L << 20, 64);

  /** What a column is converted from and to: its bytes (as the region names them), dtype and Arrow type. */
  record Key(Object bytes, String descr, ArrowType type) {}

  /**
   * Where a kept column's buffers lie in its piece: all but its validity bitmap, which each read gives a
   * vector of its own (writable, so that a caller may still set nulls in a column it read).
   */
  record Column(MappedRegion piece, int valueCount, long[] offsets, long[] lengths) {
    /** A new vector of {@code field} over the kept buffers, behind {@code validity}; the caller owns it. */
    FieldVector vector(Field field, ArrowBuf validity, BufferAllocator allocator) {
      FieldVector vector = field.createVector(allocator);
      List<ArrowBuf> buffers = new ArrayList<>(offsets.length + 1);
      buffers.add(validity);
      try {
        for (int i = 0; i < offsets.length; i++) {
          buffers.add(piece.wrap(allocator, offsets[i], lengths[i]));
        }
        vector.loadFieldBuffers(new ArrowFieldNode(valueCount, 0), buffers);
        return vector;
      } catch (RuntimeException e) {
        vector.close();
        throw e;
      } finally {
        buffers.subList(1, buffers.size()).forEach(ArrowBuf::close); // the vector holds its own references
      }
    }
  }

  /** Reads remembered (by their first column's key) as seen once, at most. */
  static final int MAX_SEEN = 256;

  private final long maxBytes;
  private final int maxPieces;
  /**
   * The first keys of reads seen once and not kept: a read's conversions are kept only when the same bytes
   * are read again, so that a file read once (written, read back, deleted: what {@code compare} does on every
   * pass) does not pay for a copy that no later read shares (that made such an open 5-40% slower).
   */
  private final Map<Key, Boolean> seenOnce = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
      return size() > MAX_SEEN;
    }
  };
  private final Map<Key, Column> columns = new HashMap<>();
  private final Map<MappedRegion, List<Key>> pieces = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  KeptConversions(long maxBytes, int maxPieces) {
    this.maxBytes = maxBytes;
    this.maxPieces = maxPieces;
  }

  /** The column kept for {@code key}, or null. */
  synchronized Column get(Key key) {
    Column c = columns.get(key);
    if (c != null) {
      pieces.get(c.piece()); // read lately: the last to be dropped
    }
    return c;
  }

  /**
   * Whether a read whose first converted column is {@code first} was seen before (and is worth keeping); if
   * not, it is remembered as seen once.
   */
  synchronized boolean seenBefore(Key first) {
    if (seenOnce.remove(first) != null) {
      return true;
    }
    seenOnce.put(first, Boolean.TRUE);
    return false;
  }

  /**
   * Whether a vector's buffers can be kept: a flat vector (no children) without nulls, whose first buffer
   * is its validity bitmap, as the conversions make.
   */
  static boolean keepable(FieldVector vector) {
    if (!vector.getChildrenFromFields().isEmpty() || vector.getNullCount() != 0) {
      return false;
    }
    List<ArrowBuf> buffers = vector.getFieldBuffers();
    return buffers.size() >= 2 && buffers.get(0) == vector.getValidityBuffer();
  }

  /**
   * Keeps copies of the buffers of {@code made} ({@link #keepable} vectors converted from the bytes
   * {@code keys} name), their validity bitmaps left out, in one new piece (each buffer on a 64-byte boundary,
   * as Arrow aligns them). Nothing is kept when they are more than a quarter of the bound, or where the
   * platform has no such memory.
   */
  void keep(List<Key> keys, List<FieldVector> made, String description) throws IOException {
    long total = 0;
    List<List<ArrowBuf>> buffers = new ArrayList<>(made.size());
    for (FieldVector v : made) {
      List<ArrowBuf> all = v.getFieldBuffers();
      List<ArrowBuf> b = all.subList(1, all.size()); // the validity bitmap is each read's own
      buffers.add(b);
      for (ArrowBuf buf : b) {
        total += (buf.readableBytes() + 63) & ~63L;
      }
    }
    if (total == 0 || total > maxBytes / 4) {
      return;
    }
    MappedRegion piece = MappedRegion.anonymous(description, total);
    if (piece == null) {
      return;
    }
    List<Column> laid = new ArrayList<>(made.size());
    try {
      long at = 0;
      for (int i = 0; i < made.size(); i++) {
        List<ArrowBuf> b = buffers.get(i);
        long[] offsets = new long[b.size()];
        long[] lengths = new long[b.size()];
        for (int k = 0; k < b.size(); k++) {
          ArrowBuf buf = b.get(k);
          long n = buf.readableBytes();
          if (n > 0) {
            MemoryUtil.copyMemory(buf.memoryAddress() + buf.readerIndex(), piece.address() + at, n);
          }
          offsets[k] = at;
          lengths[k] = n;
          at += (n + 63) & ~63L;
        }
        FieldVector v = made.get(i);
        laid.add(new Column(piece, v.getValueCount(), offsets, lengths));
      }
      piece.seal();
    } catch (IOException | RuntimeException e) {
      piece.close();
      throw e;
    }
    List<MappedRegion> dropped = new ArrayList<>();
    try {
      synchronized (this) {
        List<Key> added = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
          if (columns.putIfAbsent(keys.get(i), laid.get(i)) == null) {
            added.add(keys.get(i));
          }
        }
        if (added.isEmpty()) {
          dropped.add(piece);
          return;
        }
        pieces.put(piece, added);
        bytes += total;
        for (Iterator<Map.Entry<MappedRegion, List<Key>>> it = pieces.entrySet().iterator();
            (bytes > maxBytes || pieces.size() > maxPieces) && it.hasNext(); ) {
          Map.Entry<MappedRegion, List<Key>> eldest = it.next();
          if (eldest.getKey() != piece) {
            eldest.getValue().forEach(columns::remove);
            bytes -= eldest.getKey().length();
            dropped.add(eldest.getKey());
            it.remove();
          }
        }
      }
    } finally {
      dropped.forEach(MappedRegion::close); // outside the lock: a release may retire memory
    }
  }

  /** Lets every piece go (each is released once no vector uses it). */
  void clear() {
    List<MappedRegion> dropped;
    synchronized (this) {
      dropped = new ArrayList<>(pieces.keySet());
      pieces.clear();
      columns.clear();
      seenOnce.clear();
      bytes = 0;
    }
    dropped.forEach(MappedRegion::close);
  }

  synchronized int pieces() {
    return pieces.size();
  }

  synchronized long bytes() {
    return bytes;
  }
}
