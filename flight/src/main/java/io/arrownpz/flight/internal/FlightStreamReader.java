package io.arrownpz.flight.internal;

import io.arrownpz.bridge.internal.CheckedBatches;
import io.arrownpz.bridge.internal.Tables;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A Flight stream (an upload, or a DoGet answer) as a batch reader, so that the bridge's writers take it
 * like a file: one batch in memory at a time, read in place. The reader's table is the stream's own, which
 * Flight loads each batch into, so a writer takes the buffers as they came off the network. (Moving them
 * into a table of the reader's first cost half the server's time for an upload of 10,000 columns.)
 *
 * <p>Dictionary columns stay encoded: the reader's dictionaries are the stream's, which Flight reloads in
 * place when the sender replaces one between batches, so a writer that looks a dictionary up for each batch
 * (the bridge's do) sees the one that batch was sent with. A file reader has its first dictionaries when it
 * opens; a stream sends them just before its first batch, which is therefore read ahead when the stream has
 * dictionary columns, before any writer starts.
 */
public final class FlightStreamReader extends ArrowReader implements CheckedBatches, CountedBatches {
  private final FlightStream stream;
  /** Whether initialize read the first batch ahead (to have the dictionaries), and what next() said. */
  private boolean readAhead;
  private boolean firstBatch;
  /** Batches loaded so far: the next one's number, in errors. */
  private long batches;
  private long rows;

  public FlightStreamReader(FlightStream stream, BufferAllocator allocator) {
    super(allocator);
    this.stream = stream;
  }

  @Override
  public boolean loadNextBatch() throws java.io.IOException {
    ensureInitialized();
    boolean more = readAhead ? firstBatch : stream.next();
    readAhead = false;
    if (!more) {
      return false;
    }
    VectorSchemaRoot incoming = stream.getRoot();
    try {
      Tables.validate(incoming);
      if (!dictionaries.isEmpty()) {
        Tables.validateIndices(incoming, this);
      }
    } catch (IllegalArgumentException e) {
      throw new MalformedStreamException("batch " + batches + ": " + e.getMessage(), e);
    }
    batches++;
    rows += incoming.getRowCount();
    return true;
  }

  @Override
  protected void initialize() throws java.io.IOException {
    stream.getRoot(); // waits for the schema, which makes the stream's dictionaries
    DictionaryProvider sent = stream.getDictionaryProvider();
    if (!sent.getDictionaryIds().isEmpty()) {
      firstBatch = stream.next();
      readAhead = true;
    }
    // The same Dictionary objects throughout: Flight loads a replacement into the dictionary's vector.
    Map<Long, Dictionary> byId = new HashMap<>();
    for (long id : sent.getDictionaryIds()) {
      byId.put(id, sent.lookup(id));
    }
    dictionaries = byId;
  }

  /** The stream's own table, which each batch is loaded into. */
  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws java.io.IOException {
    ensureInitialized();
    return stream.getRoot();
  }

  @Override
  public void close(boolean closeReadSource) {
    // The table and the dictionaries are the stream's, closed with it; the stream belongs to whoever
    // opened it (Flight, for an upload).
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
  protected void closeReadSource() {
    // See close: nothing here is the reader's own.
  }

  /** Not asked: {@link #initialize} takes the stream's schema and dictionaries as they are. */
  @Override
  protected Schema readSchema() {
    return stream.getSchema();
  }
}
