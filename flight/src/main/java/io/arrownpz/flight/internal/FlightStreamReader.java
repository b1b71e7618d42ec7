package io.arrownpz.flight.internal;

import io.arrownpz.bridge.internal.CheckedBatches;
import io.arrownpz.bridge.internal.Tables;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A Flight stream (an upload, or a DoGet answer) as a batch reader, so that the bridge's writers take it
 * like a file: one batch in memory at a time. Dictionary-encoded columns arrive decoded, because Flight's
 * dictionaries belong to the stream and what is written must stand alone.
 *
 * <p>A stream without dictionaries is read in place: the reader's table is the stream's own, which
 * Flight loads each batch into, so a writer takes the buffers as they came off the network. Moving
 * them into a table of the reader's first (take, unload, load, close: two more tables of vectors)
 * cost half the server's time for an upload of 10,000 columns.
 */
public final class FlightStreamReader extends ArrowReader implements CheckedBatches {
  private final FlightStream stream;
  /** Whether batches are read in place, in the stream's table (no dictionaries); set by initialize. */
  private boolean inPlace;
  /** Whether readSchema read the first batch ahead (to have the dictionaries), and what next() said. */
  private boolean readAhead;
  private boolean firstBatch;

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
    Tables.validate(incoming);
    if (inPlace) {
      return true;
    }
    try (VectorSchemaRoot taken = Tables.take(incoming, allocator, stream.getDictionaryProvider())) {
      loadRecordBatch(new VectorUnloader(taken).getRecordBatch());
    }
    return true;
  }

  @Override
  protected void initialize() throws java.io.IOException {
    inPlace = !Tables.hasDictionary(stream.getSchema().getFields());
    if (!inPlace) {
      super.initialize();
      return;
    }
    dictionaries = new java.util.HashMap<>(); // none: lookups by writers find nothing, as they should
  }

  /** The stream's own table when batches are read in place, else the reader's. */
  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws java.io.IOException {
    ensureInitialized();
    return inPlace ? stream.getRoot() : super.getVectorSchemaRoot();
  }

  @Override
  public void close(boolean closeReadSource) throws java.io.IOException {
    if (inPlace) {
      return; // the table is the stream's, closed with it; there is no source of the reader's own
    }
    super.close(closeReadSource);
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {
    // The stream belongs to whoever opened it (Flight, for an upload).
  }

  /**
   * The schema of the batches this reader gives: dictionary columns as their values' type. Arrow Java's
   * stream states a dictionary column by its index type; the values' type is the dictionary's, which
   * arrives after the schema, so the first batch (and the dictionaries before it) is read ahead.
   */
  @Override
  protected Schema readSchema() {
    Schema schema = stream.getSchema();
    if (!Tables.hasDictionary(schema.getFields())) {
      return schema;
    }
    firstBatch = stream.next();
    readAhead = true;
    List<Field> fields = new ArrayList<>();
    for (Field field : schema.getFields()) {
      try {
        fields.add(Tables.decodedField(field, stream.getDictionaryProvider()));
      } catch (RuntimeException e) {
        fields.add(withoutDictionary(field)); // a stream of no batches may send no dictionary
      }
    }
    return new Schema(fields, schema.getCustomMetadata());
  }

  /** A schema in IPC form as its batches look once {@link Tables#take} decoded their dictionaries. */
  public static Schema withoutDictionaries(Schema schema) {
    List<Field> fields = new ArrayList<>();
    for (Field field : schema.getFields()) {
      fields.add(withoutDictionary(field));
    }
    return new Schema(fields, schema.getCustomMetadata());
  }

  /** The field as {@link Tables#take} leaves it: IPC form gives a dictionary field its values' type. */
  private static Field withoutDictionary(Field field) {
    List<Field> children = new ArrayList<>();
    for (Field child : field.getChildren()) {
      children.add(withoutDictionary(child));
    }
    FieldType type = new FieldType(field.isNullable(), field.getType(), null, field.getMetadata());
    return new Field(field.getName(), type, children);
  }
}
