package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.internal.KeptByBytes;
import io.arrownpz.bridge.internal.SchemaHeap;
import io.arrownpz.internal.arrow.HashedField;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Feather footers parsed lately, found again by their bytes: a file read again, or another with the very
 * same footer (the same content written again), gets the footer parsed the first time, its schema's fields
 * with their hashes kept ({@link HashedField}). At 10,000 columns with their metadata, parsing the footer
 * was 29% of reading the file whole, and hashing the fields for Arrow's {@code VectorSchemaRoot} (a map
 * keyed by field) another 27%. Equal bytes, equal footer: nothing else decides what is parsed
 * ({@link KeptByBytes}: bounded, least recently read first out, thread-safe).
 */
final class KeptFooters {
  /** Heap kept at most: the footers' bytes and what their parsed schemas hold ({@link SchemaHeap}). */
  static final long MAX_HEAP_BYTES = 32L << 20;
  /** Heap bytes of one batch's or dictionary's place in a parsed footer. */
  private static final long BLOCK_BYTES = 48;
  /** The one every Feather read uses. */
  static final KeptFooters SHARED = new KeptFooters(16, MAX_HEAP_BYTES);

  /** A footer as parsed and checked: the Arrow footer, and whether its batches are big-endian. */
  record Parsed(ArrowFooter footer, boolean bigEndian) {}

  private final KeptByBytes<Parsed> kept;

  KeptFooters(int maxFooters, long maxBytes) {
    this.kept = new KeptByBytes<>(maxFooters, maxBytes, parsed -> SchemaHeap.of(parsed.footer().getSchema())
        + BLOCK_BYTES * (parsed.footer().getRecordBatches().size() + parsed.footer().getDictionaries().size()));
  }

  /** The footer parsed before from these very bytes (the footer's, in the file), or null. */
  Parsed get(ByteBuffer footer) {
    return kept.get(footer);
  }

  /**
   * Keeps {@code parsed}, the footer parsed from {@code footer}'s bytes, with its fields' hashes kept; the
   * footer to read with (the one kept; another reader's, should it have kept one meanwhile).
   */
  Parsed keep(ByteBuffer footer, Parsed parsed) {
    return kept.keep(footer, new Parsed(withHashedFields(parsed.footer()), parsed.bigEndian()));
  }

  int size() {
    return kept.size();
  }

  void clear() {
    kept.clear();
  }

  private static ArrowFooter withHashedFields(ArrowFooter footer) {
    Schema schema = footer.getSchema();
    List<Field> fields = new ArrayList<>(schema.getFields().size());
    for (Field f : schema.getFields()) {
      fields.add(HashedField.of(f));
    }
    return new ArrowFooter(new Schema(fields, schema.getCustomMetadata()), footer.getDictionaries(),
        footer.getRecordBatches());
  }
}
