package io.arrownpz.flight.internal;

import io.arrownpz.bridge.internal.Tables;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Batches already in memory (the endpoints of a dataset, fetched in parallel) as one batch reader, in
 * order, for the bridge's writers. Each batch is closed once it has been handed on.
 *
 * <p>Dictionary columns stay encoded when every batch has the same fields: the reader's dictionaries are
 * switched to each batch's own as it loads, as a stream reader's change with a replacement, and the
 * writers (which look them up batch by batch) follow. Endpoints whose fields differ (files written by
 * different tools number their dictionaries differently) are decoded, each batch with its own dictionaries.
 */
public final class BatchListReader extends ArrowReader {
  private final List<FetchedBatch> batches;
  private final Iterator<FetchedBatch> next;
  /** Every snapshot the batches share, closed with the reader. */
  private final Set<DictionarySnapshot> snapshots = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Schema schema;
  private VectorSchemaRoot root;
  private VectorLoader loader;

  /**
   * @param stated the dataset's schema as GetFlightInfo gave it (IPC form), for a dataset without batches
   */
  public BatchListReader(Schema stated, List<FetchedBatch> fetched, BufferAllocator allocator) {
    super(allocator);
    List<FetchedBatch> taken = fetched;
    for (FetchedBatch b : fetched) {
      if (b.dictionaries() != null) {
        snapshots.add(b.dictionaries());
      }
    }
    if (!fetched.isEmpty() && !sameSchema(fetched)) {
      taken = decoded(fetched, allocator);
    }
    this.batches = taken;
    this.next = taken.iterator();
    this.schema = taken.isEmpty() ? emptyDictionaries(stated, allocator) : taken.get(0).table().getSchema();
  }

  /**
   * Whether every batch has the first one's fields, dictionary ids included. The schemas' metadata may
   * differ (pandas records each partition's categories); the first batch's is written, as for plain columns.
   */
  private static boolean sameSchema(List<FetchedBatch> batches) {
    List<Field> first = batches.get(0).table().getSchema().getFields();
    return batches.stream().allMatch(b -> b.table().getSchema().getFields().equals(first));
  }

  /** Every batch decoded with its own dictionaries; the encoded ones are closed. */
  private static List<FetchedBatch> decoded(List<FetchedBatch> batches, BufferAllocator allocator) {
    List<FetchedBatch> plain = new ArrayList<>();
    for (FetchedBatch b : batches) {
      try (VectorSchemaRoot encoded = b.table()) {
        plain.add(new FetchedBatch(Tables.take(encoded, allocator, b.dictionaries()), null));
      }
    }
    return plain;
  }

  /** The memory form of a schema without batches: its dictionary columns get empty dictionaries. */
  private Schema emptyDictionaries(Schema stated, BufferAllocator allocator) {
    Map<Long, Dictionary> made = new HashMap<>();
    List<Field> fields = new ArrayList<>();
    for (Field field : stated.getFields()) {
      fields.add(DictionaryUtility.toMemoryFormat(field, allocator, made));
    }
    if (!made.isEmpty()) {
      snapshots.add(DictionarySnapshot.owning(made));
    }
    return new Schema(fields, stated.getCustomMetadata());
  }

  @Override
  protected void initialize() {
    root = VectorSchemaRoot.create(schema, allocator);
    loader = new VectorLoader(root);
    dictionaries = new HashMap<>();
    // A writer writes the first dictionaries when it starts, before it asks for a batch.
    if (!batches.isEmpty()) {
      use(batches.get(0).dictionaries());
    } else if (!snapshots.isEmpty()) {
      use(snapshots.iterator().next());
    }
  }

  private void use(DictionarySnapshot snapshot) {
    if (snapshot != null) {
      for (long id : snapshot.getDictionaryIds()) {
        dictionaries.put(id, snapshot.lookup(id));
      }
    }
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws java.io.IOException {
    ensureInitialized();
    return root;
  }

  @Override
  public boolean loadNextBatch() throws java.io.IOException {
    ensureInitialized();
    if (!next.hasNext()) {
      return false;
    }
    FetchedBatch batch = next.next();
    try (VectorSchemaRoot table = batch.table();
        ArrowRecordBatch unloaded = new VectorUnloader(table).getRecordBatch()) {
      loader.load(unloaded);
    }
    use(batch.dictionaries());
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  public void close(boolean closeReadSource) {
    if (root != null) {
      root.close();
    }
    closeReadSource();
  }

  @Override
  protected void closeReadSource() {
    batches.forEach(b -> b.table().close()); // those not handed on (closing twice is harmless)
    snapshots.forEach(DictionarySnapshot::close);
    snapshots.clear();
  }

  /** Not asked: {@link #initialize} builds the table from the batches' own schema. */
  @Override
  protected Schema readSchema() {
    return schema;
  }
}
