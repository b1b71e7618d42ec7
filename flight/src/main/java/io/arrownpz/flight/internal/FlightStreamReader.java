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
 */
public final class FlightStreamReader extends ArrowReader implements CheckedBatches {
  private final FlightStream stream;

  public FlightStreamReader(FlightStream stream, BufferAllocator allocator) {
    super(allocator);
    this.stream = stream;
  }

  @Override
  public boolean loadNextBatch() throws java.io.IOException {
    ensureInitialized();
    if (!stream.next()) {
      return false;
    }
    VectorSchemaRoot incoming = stream.getRoot();
    Tables.validate(incoming);
    try (VectorSchemaRoot taken = Tables.take(incoming, allocator, stream.getDictionaryProvider())) {
      loadRecordBatch(new VectorUnloader(taken).getRecordBatch());
    }
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {
    // The stream belongs to whoever opened it (Flight, for an upload).
  }

  @Override
  protected Schema readSchema() {
    return withoutDictionaries(stream.getSchema());
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
