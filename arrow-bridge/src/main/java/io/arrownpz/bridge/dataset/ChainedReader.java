package io.arrownpz.bridge.dataset;

import io.arrownpz.bridge.internal.Tables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.DictionaryUtility;

/**
 * Several batch readers (a folder's files, a dataset's endpoints, one after another) as one, for the
 * bridge's writers: each part's batches in turn, a batch in memory at a time, each part opened while the
 * one before it is read ({@link PartsAhead}) and closed once read.
 *
 * <p>Dictionary columns stay encoded when every part has the first one's fields: the reader's dictionaries
 * are the current part's own (which its reader reloads when the part replaces one), so writers, which look
 * them up batch by batch, follow from part to part. Parts whose fields differ (files written by different
 * tools number their dictionaries differently) are decoded, every batch with its own part's dictionaries.
 * The schema's metadata may differ between parts (pandas records each partition's categories); the first
 * part's is written, as for plain columns. A column declared without nulls in some parts only is nullable.
 * Parts whose columns differ otherwise are refused ({@link PartsDiffer}).
 */
public final class ChainedReader extends ArrowReader {
  /**
   * Opens one part; each is opened when its turn comes (or while the one before it is read) and closed when
   * read, so at most two are open at a time. Called on a thread of the reader's own as well.
   */
  @FunctionalInterface
  public interface Part {
    ArrowReader open() throws IOException;
  }

  private final List<Part> parts;
  /** What the parts make up and each part's name, for the refusal of one that differs. */
  private final String source;
  private final List<String> names;
  /** Whether every part is decoded: the first has dictionary columns and some part numbers them otherwise. */
  private final boolean decode;
  /** The first part's fields as read, and dictionaries decoded: what every part must have. */
  private final Schema first;
  private final Schema firstDecoded;
  private final Schema schema;
  private int current;
  /** Opens the next part while one is read. */
  private final PartsAhead ahead;
  /** The part being read, or null between parts. */
  private ArrowReader open;
  /** Whether the open part's batches are decoded (its fields are the first's only once decoded). */
  private boolean decodeOpen;
  private long rows;
  private VectorSchemaRoot root;
  private VectorLoader loader;

  /** As {@link #ChainedReader(String, List, List, Schema, BufferAllocator)}, the parts named by their place. */
  public ChainedReader(List<Part> parts, Schema stated, BufferAllocator allocator) throws IOException {
    this(null, null, parts, stated, allocator);
  }

  /**
   * Looks at the first part's fields, and where it has dictionary columns or columns declared without nulls,
   * at every part's (whether dictionaries stay encoded, and whether a column is nullable, are known before
   * the first batch), one part open at a time: a dataset of thousands of endpoints held a file (and its
   * descriptor) open per endpoint, and failed with "Too many open files" past the limit. Otherwise each
   * part's fields are looked at when it is opened to be read: one open a part, not two (a folder of 1,000
   * Parquet files took twice as long).
   *
   * @param source what the parts make up (a folder, an address), for messages; null: none
   * @param names each part's name, for messages; null: "part N"
   * @param parts the parts, in order
   * @param stated the schema to give when there are no parts (IPC form, as GetFlightInfo states it)
   * @throws PartsDiffer where a part's columns, dictionaries decoded, are not the first's
   */
  public ChainedReader(String source, List<String> names, List<Part> parts, Schema stated, BufferAllocator allocator)
      throws IOException {
    super(allocator);
    this.parts = List.copyOf(parts);
    this.source = source;
    this.names = names == null ? null : List.copyOf(names);
    this.ahead = new PartsAhead(this.parts);
    if (parts.isEmpty()) {
      this.decode = false;
      this.first = this.firstDecoded = this.schema = stated;
      return;
    }
    try (ArrowReader reader = parts.get(0).open()) {
      first = reader.getVectorSchemaRoot().getSchema();
      firstDecoded = decodedSchema(reader);
    }
    boolean differ = false;
    boolean nullability = false;
    // Known before the first batch: whether dictionaries stay encoded, and whether a column the first part
    // declares without nulls has them in another (files of other writers: DuckDB's NOT NULL, pandas').
    if (Tables.hasDictionary(first.getFields()) || Nullability.hasRequired(first.getFields())) {
      for (int i = 1; i < parts.size(); i++) {
        try (ArrowReader reader = parts.get(i).open()) {
          differ |= !sameAsFirst(i, reader);
          // Fields equal to the first's are its nullability too; only others need decoding to tell.
          nullability |= !reader.getVectorSchemaRoot().getSchema().getFields().equals(first.getFields())
              && !decodedSchema(reader).getFields().equals(firstDecoded.getFields());
        }
      }
    }
    this.decode = differ;
    Schema read = differ ? firstDecoded : first;
    this.schema = nullability ? Nullability.allNullable(read) : read;
  }

  /**
   * Whether part {@code i}, open in {@code reader}, can be read as it is (its columns the first part's, each
   * maybe declared with or without nulls otherwise); false where only once decoded (dictionaries numbered or
   * typed otherwise).
   *
   * @throws PartsDiffer where it has other columns, which would be loaded wrongly
   */
  private boolean sameAsFirst(int i, ArrowReader reader) throws IOException {
    Schema fields = reader.getVectorSchemaRoot().getSchema();
    if (Nullability.sameColumns(fields.getFields(), first.getFields())) {
      return true;
    }
    Schema decoded = decodedSchema(reader);
    if (!Nullability.sameColumns(decoded.getFields(), firstDecoded.getFields())) {
      throw new PartsDiffer(source, nameOf(0), nameOf(i), i, firstDecoded, decoded);
    }
    return false;
  }

  private String nameOf(int part) {
    return names != null ? names.get(part) : "part " + part;
  }

  /** A part whose columns, dictionaries decoded, are not the first part's. */
  public static final class PartsDiffer extends io.arrownpz.BadFileException {
    private final int part;
    private final transient Schema first;
    private final transient Schema other;

    PartsDiffer(String source, String firstName, String name, int part, Schema first, Schema other) {
      super(source == null ? "parts" : source, null, "its parts differ in columns: " + firstName + " has "
          + columns(first) + ", " + name + " has " + columns(other));
      this.part = part;
      this.first = first;
      this.other = other;
    }

    /** Its index in the parts given. */
    public int part() {
      return part;
    }

    /** The first part's columns, as "name: type" in order. */
    public String firstColumns() {
      return columns(first);
    }

    public String partColumns() {
      return columns(other);
    }

    private static String columns(Schema schema) {
      return schema.getFields().stream().map(f -> f.getName() + ": " + f.getType()).toList().toString();
    }
  }

  private static Schema decodedSchema(ArrowReader part) throws IOException {
    Schema encoded = part.getVectorSchemaRoot().getSchema();
    List<Field> fields = new ArrayList<>();
    for (Field field : encoded.getFields()) {
      fields.add(Tables.decodedField(field, part));
    }
    return new Schema(fields, encoded.getCustomMetadata());
  }

  @Override
  protected void initialize() throws IOException {
    dictionaries = new HashMap<>();
    if (parts.isEmpty()) {
      // No batches: the stated schema, its dictionary columns with empty dictionaries.
      Map<Long, Dictionary> made = new HashMap<>();
      List<Field> fields = new ArrayList<>();
      for (Field field : schema.getFields()) {
        fields.add(DictionaryUtility.toMemoryFormat(field, allocator, made));
      }
      dictionaries.putAll(made);
      root = VectorSchemaRoot.create(new Schema(fields, schema.getCustomMetadata()), allocator);
    } else {
      root = VectorSchemaRoot.create(schema, allocator);
      openPart();
    }
    loader = new VectorLoader(root);
  }

  /**
   * Opens the current part (its fields checked, where the constructor did not), and looks dictionaries up in
   * it from now on (encoded parts only).
   */
  private void openPart() throws IOException {
    open = ahead.open(current); // initialized: a reader knows its dictionaries then (Parquet's: not at open)
    try {
      decodeOpen = decode || current > 0 && !sameAsFirst(current, open);
    } catch (IOException | RuntimeException e) {
      ArrowReader failed = open;
      open = null;
      failed.close();
      throw e;
    }
    if (decodeOpen) {
      return;
    }
    for (long id : open.getDictionaryIds()) {
      dictionaries.put(id, open.lookup(id));
    }
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
    ensureInitialized();
    return root;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    ensureInitialized();
    while (current < parts.size()) {
      if (open == null) {
        openPart();
      }
      if (open.loadNextBatch()) {
        VectorSchemaRoot batch = open.getVectorSchemaRoot();
        try (VectorSchemaRoot decoded = decodeOpen ? Tables.take(batch, allocator, open) : null;
            ArrowRecordBatch unloaded = new VectorUnloader(decodeOpen ? decoded : batch).getRecordBatch()) {
          loader.load(unloaded);
        }
        rows += root.getRowCount();
        return true;
      }
      // The part's dictionaries go with it: the writer is done with them once it asks for the next batch.
      ArrowReader done = open;
      open = null;
      current++;
      done.close();
    }
    return false;
  }

  /** The rows of the batches given so far. */
  public long rowsRead() {
    return rows;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  public void close(boolean closeReadSource) throws IOException {
    if (root != null) {
      root.close();
    }
    if (parts.isEmpty()) {
      dictionaries.values().forEach(d -> d.getVector().close());
    }
    closeReadSource();
  }

  @Override
  protected void closeReadSource() throws IOException {
    try {
      if (open != null) {
        ArrowReader part = open;
        open = null;
        part.close();
      }
    } finally {
      ahead.close();
    }
  }

  /** Not asked: the constructor takes the parts' own schema. */
  @Override
  protected Schema readSchema() {
    return schema;
  }
}
