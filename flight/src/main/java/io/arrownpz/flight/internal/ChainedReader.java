package io.arrownpz.flight.internal;

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
 * Several batch readers (a dataset's endpoints, one after another) as one, for the bridge's writers: each
 * part's batches in turn, a batch in memory at a time, each part closed once read.
 *
 * <p>Dictionary columns stay encoded when every part has the first one's fields: the reader's dictionaries
 * are the current part's own (which its reader reloads when the part replaces one), so writers, which look
 * them up batch by batch, follow from part to part. Parts whose fields differ (files written by different
 * tools number their dictionaries differently) are decoded, every batch with its own part's dictionaries.
 * The schema's metadata may differ between parts (pandas records each partition's categories); the first
 * part's is written, as for plain columns.
 */
public final class ChainedReader extends ArrowReader implements CountedBatches {
  private final List<ArrowReader> parts;
  private final boolean decode;
  private final Schema schema;
  private int current;
  private long rows;
  private VectorSchemaRoot root;
  private VectorLoader loader;

  /**
   * @param parts opened readers, taken over (closed by this reader)
   * @param stated the schema to give when there are no parts (IPC form, as GetFlightInfo states it)
   */
  public ChainedReader(List<ArrowReader> parts, Schema stated, BufferAllocator allocator) throws IOException {
    super(allocator);
    this.parts = new ArrayList<>(parts);
    if (parts.isEmpty()) {
      this.decode = false;
      this.schema = stated;
      return;
    }
    Schema first = parts.get(0).getVectorSchemaRoot().getSchema();
    boolean differ = false;
    for (ArrowReader part : parts) {
      differ |= !part.getVectorSchemaRoot().getSchema().getFields().equals(first.getFields());
    }
    this.decode = differ;
    this.schema = differ ? decodedSchema(parts.get(0)) : first;
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
  protected void initialize() {
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
      usePart(0);
    }
    loader = new VectorLoader(root);
  }

  /** Looks dictionaries up in part {@code index} from now on (encoded parts only). */
  private void usePart(int index) {
    if (decode) {
      return;
    }
    ArrowReader part = parts.get(index);
    for (long id : part.getDictionaryIds()) {
      dictionaries.put(id, part.lookup(id));
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
      ArrowReader part = parts.get(current);
      if (part.loadNextBatch()) {
        VectorSchemaRoot batch = part.getVectorSchemaRoot();
        try (VectorSchemaRoot decoded = decode ? Tables.take(batch, allocator, part) : null;
            ArrowRecordBatch unloaded = new VectorUnloader(decode ? decoded : batch).getRecordBatch()) {
          loader.load(unloaded);
        }
        rows += root.getRowCount();
        return true;
      }
      // The part's dictionaries go with it: the writer is done with them once it asks for the next batch.
      part.close();
      current++;
      if (current < parts.size()) {
        usePart(current);
      }
    }
    return false;
  }

  @Override
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
    IOException failure = null;
    for (; current < parts.size(); current++) {
      try {
        parts.get(current).close();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Not asked: the constructor takes the parts' own schema. */
  @Override
  protected Schema readSchema() {
    return schema;
  }
}
