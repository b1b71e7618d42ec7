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
 * bridge's writers: each part's batches in turn, a batch in memory at a time, each part opened when its
 * turn comes and closed once read.
 *
 * <p>Dictionary columns stay encoded when every part has the first one's fields: the reader's dictionaries
 * are the current part's own (which its reader reloads when the part replaces one), so writers, which look
 * them up batch by batch, follow from part to part. Parts whose fields differ (files written by different
 * tools number their dictionaries differently) are decoded, every batch with its own part's dictionaries.
 * The schema's metadata may differ between parts (pandas records each partition's categories); the first
 * part's is written, as for plain columns.
 */
public final class ChainedReader extends ArrowReader {
  /** Opens one part; each is opened when its turn comes and closed when read, so one is open at a time. */
  @FunctionalInterface
  public interface Part {
    ArrowReader open() throws IOException;
  }

  private final List<Part> parts;
  private final boolean decode;
  private final Schema schema;
  private int current;
  /** The part being read, or null between parts. */
  private ArrowReader open;
  private long rows;
  private VectorSchemaRoot root;
  private VectorLoader loader;

  /**
   * Looks at every part's fields first, one part open at a time: a dataset of thousands of endpoints held
   * a file (and its descriptor) open per endpoint, and failed with "Too many open files" past the limit.
   *
   * @param parts the parts, in order
   * @param stated the schema to give when there are no parts (IPC form, as GetFlightInfo states it)
   */
  public ChainedReader(List<Part> parts, Schema stated, BufferAllocator allocator) throws IOException {
    super(allocator);
    this.parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      this.decode = false;
      this.schema = stated;
      return;
    }
    Schema first = null;
    Schema firstDecoded = null;
    boolean differ = false;
    for (int i = 0; i < parts.size(); i++) {
      try (ArrowReader reader = parts.get(i).open()) {
        Schema fields = reader.getVectorSchemaRoot().getSchema();
        if (first == null) {
          first = fields;
          firstDecoded = decodedSchema(reader);
        } else if (!fields.getFields().equals(first.getFields())) {
          // Dictionaries numbered or typed otherwise are decoded; other columns would be loaded wrongly.
          Schema decoded = decodedSchema(reader);
          if (!decoded.getFields().equals(firstDecoded.getFields())) {
            throw new PartsDiffer(i, firstDecoded, decoded);
          }
          differ = true;
        }
      }
    }
    this.decode = differ;
    this.schema = differ ? firstDecoded : first;
  }

  /** A part whose columns, dictionaries decoded, are not the first part's. */
  public static final class PartsDiffer extends IOException {
    private final int part;
    private final transient Schema first;
    private final transient Schema other;

    PartsDiffer(int part, Schema first, Schema other) {
      super("part " + part + " has other columns than the first: " + columns(other) + " against " + columns(first));
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

  /** Opens the current part, and looks dictionaries up in it from now on (encoded parts only). */
  private void openPart() throws IOException {
    open = parts.get(current).open();
    if (decode) {
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
        try (VectorSchemaRoot decoded = decode ? Tables.take(batch, allocator, open) : null;
            ArrowRecordBatch unloaded = new VectorUnloader(decode ? decoded : batch).getRecordBatch()) {
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
    if (open != null) {
      ArrowReader part = open;
      open = null;
      part.close();
    }
  }

  /** Not asked: the constructor takes the parts' own schema. */
  @Override
  protected Schema readSchema() {
    return schema;
  }
}
