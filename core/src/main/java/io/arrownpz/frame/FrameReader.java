package io.arrownpz.frame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arrownpz.BadFileException;
import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.internal.arrow.HashedField;
import io.arrownpz.internal.arrow.TemporalUnits;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyHeader;
import com.fasterxml.jackson.core.JsonGenerator;
import io.arrownpz.internal.memory.SharedWraps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads a StaticFrame frame ({@code Frame.to_npz} or {@code Frame.to_npy}) into a table: one field per
 * index level, then one per column (docs/FORMAT.md sections 3 and 6). 1-d blocks and the columns of
 * Fortran-order 2-d blocks are views of the file; C-order 2-d blocks (StaticFrame's consolidated ones)
 * are transposed, in tiles, and their columns are views of that copy. A window of rows transposes only
 * those rows, so a big frame can be read batch by batch in bounded memory. The schema metadata keeps
 * what rebuilds the frame exactly ({@value #SCHEMA_KEY}) and what pandas needs ({@code pandas}).
 */
public final class FrameReader {
  /** Schema metadata key: the frame's meta, index fields and typed column labels. */
  public static final String SCHEMA_KEY = "arrownpz.frame";
  private static final ObjectMapper JSON = FrameMeta.JSON;

  private final BufferAllocator allocator;
  private final NpyReadOptions options;
  private final NpyVectorReader reader;

  public FrameReader(BufferAllocator allocator, NpyReadOptions options) {
    this.allocator = allocator;
    this.options = options;
    this.reader = new NpyVectorReader(allocator, options);
  }

  public FrameReader(BufferAllocator allocator) {
    this(allocator, NpyReadOptions.DEFAULTS);
  }

  /** Reads the whole frame. The caller closes the table. */
  public VectorSchemaRoot read(FrameSource source) throws IOException {
    return read(source, 0, Long.MAX_VALUE);
  }

  /**
   * Reads rows {@code [from, from + count)} of the frame (as many of them as there are), with the schema
   * and metadata of the whole frame. To read many windows, {@link #open} the frame once.
   */
  public VectorSchemaRoot read(FrameSource source, long from, long count) throws IOException {
    try (OpenFrame frame = open(source)) {
      return frame.read(from, count);
    }
  }

  /**
   * Opens a frame to read it window by window: its meta is parsed, its members mapped (views, no copy) and
   * its labels read once, and its schema is built with the first window. Labels, names and schema are
   * kept for the next open of a frame with the same metadata and labels ({@link FrameLayouts}). C-order
   * blocks are transposed one window at a time, in memory the size of a window. The caller closes it; the
   * tables it gave outlive it.
   */
  /** The array members {@link #open} opens, in the order it opens them: the blocks, then the index levels. */
  private static List<String> arrayMembers(FrameMeta meta, boolean autoIndex) {
    List<String> members = new ArrayList<>(meta.blockCount() + meta.indexDepth());
    for (int b = 0; b < meta.blockCount(); b++) {
      members.add(FrameMembers.block(b));
    }
    for (int i = 0; !autoIndex && i < meta.indexDepth(); i++) {
      members.add(FrameMembers.index(i));
    }
    return members;
  }

  public OpenFrame open(FrameSource source) throws IOException {
    FrameMeta meta;
    byte[] metaBytes = source.bytes(FrameMeta.MEMBER, allocator);
    try {
      meta = FrameMeta.parse(metaBytes);
    } catch (IllegalArgumentException e) {
      throw new BadFileException(source.name(), FrameMeta.MEMBER, e.getMessage());
    }
    List<NpyArray> blocks = new ArrayList<>();
    List<NpyArray> levels = new ArrayList<>();
    try {
      boolean autoIndex = !source.has(FrameMembers.index(0));
      List<String> indexNames = indexNames(meta);
      // Each member's name is made once: the source is told them all, then they are opened in that order.
      List<String> members = arrayMembers(meta, autoIndex);
      source.willOpen(members);
      long rows = -1;
      int columnCount = 0;
      try {
        for (int b = 0; b < meta.blockCount(); b++) {
          String member = members.get(b);
          NpyArray block = source.array(member, allocator);
          blocks.add(block);
          NpyHeader h = block.header();
          if (h.rank() < 1 || h.rank() > 2) {
            throw new BadFileException(source.name(), member, "blocks are 1-d or 2-d, not "
                + NpyHeader.shapeText(h.shape()));
          }
          rows = checkRows(source, member, block, rows);
          columnCount += h.rank() == 1 ? 1 : Math.toIntExact(h.dim(1));
        }
        for (int b = meta.blockCount(); b < members.size(); b++) {
          String member = members.get(b);
          NpyArray level = source.array(member, allocator);
          levels.add(level);
          if (level.header().rank() != 1) {
            throw new BadFileException(source.name(), member, "index levels are 1-d, not "
                + NpyHeader.shapeText(level.header().shape()));
          }
          rows = checkRows(source, member, level, rows);
        }
      } finally {
        source.willOpen(List.of()); // what was looked up ahead stands for this open only
      }
      List<byte[]> labelMembers = new ArrayList<>();
      for (int level = 0; level < meta.columnsDepth(); level++) {
        String member = FrameMembers.columns(level);
        labelMembers.add(source.has(member) ? source.bytes(member, allocator) : null);
      }
      FrameLayouts.Key key = FrameLayouts.key(metaBytes, labelMembers, blocks, levels, rows,
          columnCount + levels.size(), autoIndex, options);
      FrameLayouts.Layout layout = FrameLayouts.get(key);
      if (layout == null) {
        ColumnLabels labels = columnLabels(source, meta, columnCount, labelMembers);
        layout = new FrameLayouts.Layout(labels, new FieldNames(labels, indexNames, autoIndex ? 0 : meta.indexDepth()));
        FrameLayouts.put(key, layout);
      }
      return new OpenFrame(meta, autoIndex, indexNames, layout, blocks, levels, Math.max(rows, 0));
    } catch (IOException | RuntimeException e) {
      blocks.forEach(NpyArray::close);
      levels.forEach(NpyArray::close);
      throw e;
    }
  }

  /** A frame open for reading windows of rows ({@link #open}); holds its members' mappings until closed. */
  public final class OpenFrame implements AutoCloseable {
    private final FrameMeta meta;
    private final boolean autoIndex;
    private final List<String> indexNames;
    private final FrameLayouts.Layout layout;
    private final List<NpyArray> blocks;
    private final List<NpyArray> levels;
    private final long rows;
    private Schema schema; // the whole frame's: the kept one once checked against the first window, or built

    private OpenFrame(FrameMeta meta, boolean autoIndex, List<String> indexNames, FrameLayouts.Layout layout,
        List<NpyArray> blocks, List<NpyArray> levels, long rows) {
      this.meta = meta;
      this.autoIndex = autoIndex;
      this.indexNames = indexNames;
      this.layout = layout;
      this.blocks = blocks;
      this.levels = levels;
      this.rows = rows;
    }

    /** The frame's row count. */
    public long rows() {
      return rows;
    }

    /**
     * The members of an NPZ frame are all in one mapping: while the whole frame is read, its column buffers
     * are slices of one buffer over it rather than an allocation each (a tenth of the cost, per column).
     * Not for windows: the shared buffer counts the whole file against the allocator for as long as any
     * window of it is held, where a window's own slices count only that window.
     */
    private SharedWraps shareWraps() {
      NpyArray any = !blocks.isEmpty() ? blocks.get(0) : levels.isEmpty() ? null : levels.get(0);
      return any == null ? SharedWraps.NONE : io.arrownpz.internal.npy.Internals.arrays().region(any).shareWraps(allocator);
    }

    /**
     * The schema every read of this frame gives: worked out from its first row if no read has been made yet
     * (a C-order block is transposed for that row only: describing a 1 GiB frame needs no more).
     */
    public Schema schema() throws IOException {
      if (schema == null) {
        read(0, Math.min(1, rows)).close();
      }
      return schema;
    }

    /** Rows {@code [from, from + count)} (as many of them as there are) with the whole frame's schema. */
    public VectorSchemaRoot read(long from, long count) throws IOException {
      long first = Math.min(Math.max(from, 0), rows);
      long windowRows = Math.min(Math.max(count, 0), rows - first);
      // The whole frame's fields are kept with its layout after the first whole read (a window's fields
      // carry the window's shape, so windows work theirs out).
      boolean whole = windowRows == rows;
      FieldNames names = layout.names;
      try (SharedWraps shared = whole ? shareWraps() : SharedWraps.NONE;
          Columns columns = new Columns(whole ? layout.readFields() : null, whole)) {
        // A whole read takes arrays as they are; a window takes views of its rows.
        for (int i = 0; i < levels.size(); i++) {
          if (whole) {
            columns.add(levels.get(i), names.index(i));
            continue;
          }
          try (NpyArray level = levels.get(i).rows(first, windowRows)) {
            columns.add(level, names.index(i));
          }
        }
        int column = 0;
        for (NpyArray block : blocks) {
          if (block.header().rank() == 1) {
            if (whole) {
              columns.add(block, names.column(column++));
              continue;
            }
            try (NpyArray window = block.rows(first, windowRows)) {
              columns.add(window, names.column(column++));
            }
            continue;
          }
          // A Fortran block's columns are contiguous: windows of them are views. A C-order block's window
          // is transposed, in tiles, into a copy of that window, whose columns start at its first row.
          boolean fortran = block.header().fortranOrder();
          try (NpyArray window = fortran ? block.inFortranOrder(allocator) : columns.transposed(block, first, windowRows)) {
            for (int j = 0; j < window.header().dim(1); j++) {
              try (NpyArray col = window.fortranColumn(j)) {
                if (whole) {
                  columns.add(col, names.column(column++));
                  continue;
                }
                // A Fortran block holds every row; a window's own transposed copy starts at its first.
                long start = fortran ? first : 0;
                try (NpyArray part = col.rows(start, windowRows)) {
                  columns.add(part, names.column(column++));
                }
              }
            }
          }
        }
        if (schema == null) {
          Schema kept = layout.schema();
          schema = kept != null && (columns.madeFrom(kept) || matches(kept, columns.vectors)) ? kept
              : schemaOf(columns.vectors);
          layout.schema(schema);
        }
        if (columns.made != null) {
          layout.readFields(asInSchema(columns.made, schema));
        }
        VectorSchemaRoot table = new VectorSchemaRoot(schema, columns.vectors, (int) windowRows);
        columns.handOver();
        return table;
      }
    }

    /**
     * The vectors of one read, made from the kept fields where there are some, else recording theirs, in one
     * batch of the reader (their small bitmaps share allocations). Closing it closes the vectors too unless
     * {@link #handOver()} gave them away.
     */
    private final class Columns implements AutoCloseable {
      final List<FieldVector> vectors = new ArrayList<>();
      final List<Field> known;
      final List<Field> made;
      /** Whether every vector added so far has the kept field it was made from. */
      private boolean allKnown = true;
      private final NpyVectorReader.Batch batch = reader.batch();
      private boolean handedOver;

      Columns(List<Field> known, boolean record) {
        this.known = known;
        this.made = known == null && record ? new ArrayList<>() : null;
      }

      void add(NpyArray array, String name) throws IOException {
        Field wanted = known != null ? known.get(vectors.size()) : null;
        FieldVector v = wanted != null ? batch.read(array, wanted) : batch.readColumn(array, name);
        if (made != null) {
          made.add(v.getField());
        }
        FieldVector added;
        try {
          added = TemporalUnits.asMillis(v);
        } catch (RuntimeException e) {
          v.close();
          throw e;
        }
        vectors.add(added);
        allKnown &= wanted != null && added.getField() == wanted;
      }

      /**
       * Whether every vector has exactly the field of {@code schema} at its place: made from the kept fields,
       * and each one's field the kept one still (values decide some types). Compares references only, while
       * the vectors are fresh: at 10,000 columns, asking each vector again for its field later was a tenth of
       * an open again, a cache miss per column.
       */
      boolean madeFrom(Schema schema) {
        if (!allKnown || schema.getFields().size() != known.size()) {
          return false;
        }
        List<Field> fields = schema.getFields();
        for (int i = 0; i < fields.size(); i++) {
          if (fields.get(i) != known.get(i)) {
            return false;
          }
        }
        return true;
      }

      /**
       * Rows {@code [first, first + windowRows)} of a C-order block, transposed into a copy whose columns
       * start at its first row. A small copy is cut from the batch's shared memory, so the thousands of
       * small blocks of a wide frame are not an allocation and a release each.
       */
      NpyArray transposed(NpyArray block, long first, long windowRows) throws IOException {
        if (first == 0 && windowRows == block.header().dim(0)) {
          return block.inFortranOrder(batch::buffer);
        }
        try (NpyArray window = block.rows(first, windowRows)) {
          return window.inFortranOrder(batch::buffer);
        }
      }

      /** The vectors are the caller's now: closing this leaves them open. */
      void handOver() {
        handedOver = true;
      }

      @Override
      public void close() {
        batch.close();
        if (!handedOver) {
          vectors.forEach(FieldVector::close);
        }
      }
    }

    private NpyArray transposed(NpyArray block, long first, long windowRows) throws IOException {
      try (NpyArray window = block.rows(first, windowRows)) {
        return window.inFortranOrder(allocator);
      }
    }

    /**
     * The fields vectors were made of, each the schema's own field where that is equal to it: vectors made
     * later of those fields then match the schema by identity, with no field compared ({@link #matches}).
     */
    private List<Field> asInSchema(List<Field> made, Schema schema) {
      List<Field> fields = schema.getFields();
      List<Field> out = new ArrayList<>(made.size());
      for (int i = 0; i < made.size(); i++) {
        Field f = made.get(i);
        Field kept = i < fields.size() ? fields.get(i) : null;
        out.add(kept != null && (kept == f || kept.equals(f)) ? kept : f);
      }
      return List.copyOf(out);
    }

    /**
     * Whether a kept schema names and types these vectors as they are: equal content gives equal fields, and
     * this cheap check keeps it so should anything else ever decide a field.
     */
    private boolean matches(Schema schema, List<FieldVector> vectors) {
      List<Field> fields = schema.getFields();
      if (fields.size() != vectors.size()) {
        return false;
      }
      for (int i = 0; i < fields.size(); i++) {
        Field kept = fields.get(i);
        Field now = vectors.get(i).getField();
        if (kept == now) {
          continue; // a kept field the vector was made of: the usual case when the layout was seen before
        }
        if (!kept.getName().equals(now.getName()) || !kept.getType().equals(now.getType())
            || kept.isNullable() != now.isNullable()) {
          return false;
        }
      }
      return true;
    }

    /** The frame's schema from a window's vectors: their fields (no shape: a window's is not the frame's), and the metadata. */
    private Schema schemaOf(List<FieldVector> vectors) {
      List<Field> indexFields = new ArrayList<>();
      List<Field> columnFields = new ArrayList<>();
      for (int i = 0; i < vectors.size(); i++) {
        // Kept with the layout for every later read of the same frame, whose table is keyed by them.
        Field field = HashedField.of(vectors.get(i).getField());
        (i < levels.size() ? indexFields : columnFields).add(field);
      }
      List<Integer> widths = new ArrayList<>();
      blocks.forEach(b -> widths.add(b.header().rank() == 1 ? 1 : (int) b.header().dim(1)));
      List<Field> fields = new ArrayList<>(indexFields);
      fields.addAll(columnFields);
      Map<String, String> metadata = new HashMap<>();
      ColumnLabels labels = layout.labels;
      metadata.put(SCHEMA_KEY, frameMetadata(meta, indexFields, autoIndex, labels, widths, columnFields));
      metadata.put("pandas", PandasMetadata.of(indexFields, indexPandasNames(indexNames, indexFields.size()), rows,
          columnFields, labels.texts, labels.dtypes, labels.levelNames));
      return new Schema(fields, metadata);
    }

    @Override
    public void close() {
      blocks.forEach(NpyArray::close);
      levels.forEach(NpyArray::close);
    }
  }

  private static long checkRows(FrameSource source, String member, NpyArray array, long rows) throws BadFileException {
    long n = array.header().rank() == 0 ? 1 : array.header().dim(0);
    if (rows >= 0 && n != rows) {
      throw new BadFileException(source.name(), member, "has " + n + " rows; the frame's other members have " + rows);
    }
    if (n > Integer.MAX_VALUE) {
      throw new BadFileException(source.name(), member, n + " rows exceed what an Arrow table holds");
    }
    return n;
  }

  /**
   * A name as text: a string as it is, a tuple as Python prints it with its items as strings (as pyarrow
   * writes a tuple name for pandas), anything else as its JSON text; null for none.
   */
  private static String nameText(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isArray()) {
      List<String> items = new ArrayList<>();
      n.forEach(item -> items.add(item.isTextual() ? item.asText() : item.toString()));
      return Labels.tuple(items);
    }
    return n.toString();
  }

  /** Index level names: the index name for one level, the items of a tuple name for several. */
  private static List<String> indexNames(FrameMeta meta) {
    List<String> names = new ArrayList<>();
    JsonNode name = meta.indexName();
    for (int i = 0; i < meta.indexDepth(); i++) {
      JsonNode n = meta.indexDepth() == 1 ? name : name != null && name.isArray() && name.size() == meta.indexDepth()
          ? name.get(i) : null;
      names.add(nameText(n));
    }
    return names;
  }

  /**
   * The index level names pandas gets: the frame's, and for unnamed levels of a hierarchy the names
   * StaticFrame's own {@code to_pandas} gives them ({@code __index0__}, {@code __index1__}, ...).
   */
  private static List<String> indexPandasNames(List<String> names, int fields) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < fields; i++) {
      String name = names.get(i);
      out.add(name == null && fields > 1 ? "__index" + i + "__" : name);
    }
    return out;
  }

  /**
   * Field names, unique across the table as pandas, polars and Parquet need them: a column is named by
   * its label (a repeated label gets a numbered suffix); an index level by its name, unless it has none
   * or a column has it, then {@code __index_level_i__} as pyarrow names it (suffixed if a column is
   * labelled that too). The labels and names themselves travel in the pandas and frame metadata.
   */
  static final class FieldNames {
    private final List<String> columns = new ArrayList<>();
    private final List<String> index = new ArrayList<>();

    FieldNames(ColumnLabels labels, List<String> indexNames, int indexDepth) {
      java.util.Set<String> used = new java.util.HashSet<>();
      for (int c = 0; c < labels.texts.size(); c++) {
        columns.add(unique(labels.fieldName(c), used));
      }
      for (int i = 0; i < indexDepth; i++) {
        String name = indexNames.get(i);
        index.add(unique(name != null && !used.contains(name) ? name : "__index_level_" + i + "__", used));
      }
    }

    private static String unique(String name, java.util.Set<String> used) {
      String candidate = name;
      for (int k = 1; !used.add(candidate); k++) {
        candidate = name + "_" + k;
      }
      return candidate;
    }

    String column(int c) {
      return columns.get(c);
    }

    String index(int level) {
      return index.get(level);
    }
  }

  /** The column labels: texts per column and level, each level's dtype and its NPY bytes. */
  static final class ColumnLabels {
    final List<List<String>> texts = new ArrayList<>();
    final List<NpyDtype> dtypes = new ArrayList<>();
    final List<String> levelNames = new ArrayList<>();
    /** Each level's member as StaticFrame stored it (null where it has none): written back byte for byte. */
    final List<byte[]> npyLevels;

    ColumnLabels(List<byte[]> npyLevels) {
      this.npyLevels = npyLevels;
    }

    String fieldName(int column) {
      List<String> label = texts.get(column);
      return label.size() == 1 ? label.get(0) : Labels.tuple(label);
    }
  }

  /** The labels of each column level, decoded from the level's member ({@code labelMembers}, null where there is none). */
  private ColumnLabels columnLabels(FrameSource source, FrameMeta meta, int columnCount, List<byte[]> labelMembers)
      throws IOException {
    ColumnLabels labels = new ColumnLabels(labelMembers);
    for (int c = 0; c < columnCount; c++) {
      labels.texts.add(new ArrayList<>(meta.columnsDepth()));
    }
    JsonNode name = meta.columnsName();
    for (int level = 0; level < meta.columnsDepth(); level++) {
      JsonNode n = meta.columnsDepth() == 1 ? name : name != null && name.isArray() ? name.get(level) : null;
      labels.levelNames.add(nameText(n));
      String member = FrameMembers.columns(level);
      if (labelMembers.get(level) == null) {
        // Automatic columns: 0 .. n-1.
        for (int c = 0; c < columnCount; c++) {
          labels.texts.get(c).add(Integer.toString(c));
        }
        labels.dtypes.add(NpyDtype.parse("<i8"));
        continue;
      }
      try (NpyArray array = source.array(member, allocator); FieldVector v = reader.read(array, member)) {
        if (v.getValueCount() != columnCount) {
          throw new BadFileException(source.name(), member, "has " + v.getValueCount() + " labels for "
              + columnCount + " columns");
        }
        for (int c = 0; c < columnCount; c++) {
          labels.texts.get(c).add(Labels.text(v, c));
        }
        labels.dtypes.add(array.dtype());
      }
    }
    return labels;
  }

  private static String frameMetadata(FrameMeta meta, List<Field> indexFields, boolean autoIndex, ColumnLabels labels,
      List<Integer> blockWidths, List<Field> columnFields) {
    // A stream rather than a tree, as for the pandas metadata: it grows with the columns.
    StringWriter out = new StringWriter(256 + 32 * columnFields.size());
    try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeFieldName("meta");
      json.writeTree(meta.toJsonNode());
      json.writeBooleanField("auto_index", autoIndex);
      json.writeArrayFieldStart("index_fields");
      for (Field f : indexFields) {
        json.writeString(f.getName());
      }
      json.writeEndArray();
      json.writeArrayFieldStart("column_levels");
      for (byte[] npy : labels.npyLevels) {
        if (npy == null) {
          json.writeNull();
        } else {
          json.writeBinary(npy); // base64, as RecordedFrame decodes it
        }
      }
      json.writeEndArray();
      json.writeArrayFieldStart("block_widths");
      for (int width : blockWidths) {
        json.writeNumber(width);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("column_names");
      for (Field f : columnFields) {
        json.writeString(f.getName());
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }
}
