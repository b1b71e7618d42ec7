package io.arrownpz.frame;

import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyHeader;
import io.arrownpz.internal.io.ContentHash;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What opening a frame works out from its metadata rather than its values, kept for the next open of the
 * same content: the decoded column labels, the field names, and the Arrow schema with its {@code pandas}
 * and {@code arrownpz.frame} metadata. At 10,000 columns that work is most of an open (labels decoded and
 * re-encoded, two JSON documents written, a metadata map per field), and a service or a loop opens the
 * same frames again and again.
 *
 * <p>The key is the content that determines all of it: the bytes of {@code __meta__.json} and of every
 * column-label member, each block's and index level's dtype, order and shape, the row count and the
 * read options. Equal content gives an equal layout whatever the file is called or when it was written;
 * changed content is a new key. Entries are immutable once their schema is set and are shared between
 * threads; the cache holds at most {@value #MAX_WEIGHT} bytes of heap, least recently used first out. An
 * entry weighs what it holds per column (its labels, names and fields), not per array: one 2-d block of
 * 10,000 columns holds ten thousand columns' worth.
 */
final class FrameLayouts {
  static final long MAX_WEIGHT = 64L << 20;
  /**
   * Heap bytes per column of an entry, rounded up from a heap histogram of kept 10,000-column layouts
   * (1,140 bytes a column): the decoded label, the field name, and the field in the schema with its type
   * and metadata map.
   */
  static final long WEIGHT_PER_COLUMN = 1200;

  private static final Map<Key, Layout> CACHE = new LinkedHashMap<>(16, 0.75f, true);
  private static long weight;

  private FrameLayouts() {}

  /** The layout found for a frame's content, or null. */
  static synchronized Layout get(Key key) {
    return CACHE.get(key);
  }

  /** Keeps a layout, making room by dropping the least recently used; one too big to keep is not kept. */
  static synchronized void put(Key key, Layout layout) {
    long w = key.weight();
    if (w > MAX_WEIGHT / 4) {
      return;
    }
    Layout previous = CACHE.put(key, layout);
    if (previous == null) {
      weight += w;
    }
    var eldest = CACHE.entrySet().iterator();
    while (weight > MAX_WEIGHT && eldest.hasNext()) {
      Map.Entry<Key, Layout> e = eldest.next();
      weight -= e.getKey().weight();
      eldest.remove();
    }
  }

  /** Empties the cache (tests). */
  static synchronized void clear() {
    CACHE.clear();
    weight = 0;
  }

  static synchronized int size() {
    return CACHE.size();
  }

  /**
   * The key for a frame: its meta and label members' bytes, its arrays' headers, rows and options; {@code
   * columns} (the blocks' columns and the index levels) weighs it.
   */
  static Key key(byte[] meta, List<byte[]> labelMembers, List<NpyArray> blocks, List<NpyArray> levels, long rows,
      long columns, boolean autoIndex, NpyReadOptions options) {
    StringBuilder arrays = new StringBuilder(16 * (blocks.size() + levels.size()));
    for (List<NpyArray> group : List.of(blocks, levels)) {
      for (NpyArray a : group) {
        NpyHeader h = a.header();
        arrays.append(h.dtype().descr()).append(h.fortranOrder() ? 'F' : 'C');
        for (long d : h.shape()) {
          arrays.append(',').append(d);
        }
        arrays.append(';');
      }
      arrays.append('|');
    }
    return new Key(meta, labelMembers.toArray(byte[][]::new),
        arrays.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), columns, rows, autoIndex, options);
  }

  /** Content equality over byte arrays (a record would compare the arrays by identity). */
  static final class Key {
    private final byte[] meta;
    private final byte[][] labelMembers;
    private final byte[] arrays;
    private final long rows;
    private final boolean autoIndex;
    private final NpyReadOptions options;
    private final int hash;
    private final long weight;

    private Key(byte[] meta, byte[][] labelMembers, byte[] arrays, long columns, long rows, boolean autoIndex,
        NpyReadOptions options) {
      this.meta = meta;
      this.labelMembers = labelMembers;
      this.arrays = arrays;
      this.rows = rows;
      this.autoIndex = autoIndex;
      this.options = options;
      int h = 31 * ContentHash.of(meta) + ContentHash.of(arrays);
      long labels = 0;
      for (byte[] m : labelMembers) {
        h = 31 * h + ContentHash.of(m);
        labels += m == null ? 0 : m.length;
      }
      this.hash = h + Long.hashCode(rows) + (autoIndex ? 1 : 0) + options.hashCode();
      this.weight = meta.length + labels + arrays.length + WEIGHT_PER_COLUMN * columns;
    }

    long weight() {
      return weight;
    }

    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Key k && hash == k.hash && rows == k.rows && autoIndex == k.autoIndex
          && options.equals(k.options) && Arrays.equals(arrays, k.arrays) && Arrays.equals(meta, k.meta)
          && Arrays.deepEquals(labelMembers, k.labelMembers);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * The decoded labels and field names; the schema once the first window has been read, and the fields of
   * the vectors read from the arrays once the whole frame has been read.
   */
  static final class Layout {
    final FrameReader.ColumnLabels labels;
    final FrameReader.FieldNames names;
    private volatile Schema schema;
    private volatile List<Field> readFields;

    Layout(FrameReader.ColumnLabels labels, FrameReader.FieldNames names) {
      this.labels = labels;
      this.names = names;
    }

    Schema schema() {
      return schema;
    }

    void schema(Schema value) {
      schema = value;
    }

    /** The fields NpyVectorReader made of the whole frame's arrays, in table order, or null. */
    List<Field> readFields() {
      return readFields;
    }

    void readFields(List<Field> value) {
      readFields = value;
    }
  }
}
