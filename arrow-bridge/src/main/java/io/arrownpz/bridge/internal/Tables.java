package io.arrownpz.bridge.internal;

import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.internal.arrow.Vectors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorAppender;

/** Whole tables from batch readers. */
public final class Tables {
  private Tables() {}

  /**
   * All of a reader's batches as one table. A file of one batch keeps that batch's buffers, moved and not
   * copied (for a mapped Feather file, views of the file). With more batches, they are joined into new
   * vectors sized once for all of them (growing by doubling cost a 10M-row Parquet read 4x: every
   * reallocation zeroes and copies what came before): appending writes into the target, and views of a
   * read-only mapping must never be written. Each batch is freed once joined, so the peak is the batches
   * and the table, no more. Dictionary-encoded columns are decoded with the reader's dictionaries, so the
   * table stands alone.
   */
  public static VectorSchemaRoot collect(ArrowReader reader, BufferAllocator allocator) throws IOException {
    VectorSchemaRoot batch = reader.getVectorSchemaRoot();
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try {
      while (reader.loadNextBatch()) {
        if (!(CheckedBatches.isChecked(reader))) {
          validate(batch);
        }
        batches.add(take(batch, allocator, reader));
      }
      if (batches.isEmpty()) {
        // No batch at all: empty vectors of the (decoded) schema. Not a slice: Arrow Java cannot slice
        // some vectors that were never loaded (a large list without offsets).
        Schema schema;
        try (VectorSchemaRoot taken = take(batch, allocator, reader)) {
          schema = taken.getSchema();
        }
        return empty(schema, allocator);
      }
      return batches.size() == 1 ? batches.remove(0) : join(batches, allocator);
    } finally {
      for (VectorSchemaRoot b : batches) {
        if (b != null) {
          b.close();
        }
      }
    }
  }

  /**
   * A table of no rows with {@code schema}, its vectors allocated; nothing is left allocated when a type of
   * the schema cannot be (a fuzzed width: Arrow allocates the vectors before it one by one, 165 KB were left).
   */
  public static VectorSchemaRoot empty(Schema schema, BufferAllocator allocator) {
    VectorSchemaRoot empty = VectorSchemaRoot.create(schema, allocator);
    try {
      empty.allocateNew();
    } catch (RuntimeException e) {
      empty.close();
      throw e;
    }
    empty.setRowCount(0);
    return empty;
  }

  /**
   * The batches one after the other in new vectors; each batch is closed, its slot cleared, once copied.
   * Flat columns (fixed-width values, strings and binaries) are joined a column at a time, each into
   * buffers of their final size ({@link FlatColumnJoin}); the others batch by batch with Arrow Java's
   * appender.
   */
  private static VectorSchemaRoot join(List<VectorSchemaRoot> batches, BufferAllocator allocator) {
    VectorSchemaRoot result = VectorSchemaRoot.create(batches.get(0).getSchema(), allocator);
    try {
      long rows = 0;
      for (VectorSchemaRoot b : batches) {
        rows += b.getRowCount();
      }
      boolean fits = rows <= Integer.MAX_VALUE; // else the appender reports the column that cannot hold them
      List<Integer> appended = new ArrayList<>();
      for (int i = 0; i < result.getFieldVectors().size(); i++) {
        FieldVector into = result.getVector(i);
        if (fits && FlatColumnJoin.join(into, batches, i, (int) rows, allocator)) {
          continue;
        }
        if (fits) {
          VectorCapacity.reserve(into, (int) rows, batches, i);
        }
        into.allocateNew();
        appended.add(i);
      }
      int joined = 0;
      for (int k = 0; k < batches.size(); k++) {
        try (VectorSchemaRoot next = batches.set(k, null)) {
          joined += next.getRowCount();
          append(result, next, appended, joined);
        }
      }
      result.setRowCount((int) rows);
      return result;
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }

  /**
   * Appends {@code next}'s rows of the columns {@code columns} to {@code target}'s, which then hold {@code rows}
   * rows: with Arrow Java's appender, or value by value where it has no way for the type. A column neither
   * can join is named, not the file blamed.
   */
  private static void append(VectorSchemaRoot target, VectorSchemaRoot next, List<Integer> columns, int rows) {
    int start = rows - next.getRowCount();
    for (int i : columns) {
      FieldVector into = target.getVector(i);
      FieldVector from = next.getVector(i);
      try {
        if (appenderJoins(into.getField())) {
          from.accept(new VectorAppender(into), null);
        } else {
          for (int r = 0; r < from.getValueCount(); r++) {
            into.copyFromSafe(r, start + r, from);
          }
        }
      } catch (RuntimeException e) {
        throw new io.arrownpz.UnsupportedDataException(into.getName(), "Arrow Java 18.3 cannot join the record "
            + "batches of a " + into.getField().getType() + " column into one table (" + Errors.oneLine(e) + ")");
      }
      into.setValueCount(rows);
    }
  }

  /**
   * Whether Arrow Java 18.3's {@code VectorAppender} is the way to join a field of this type: not for large
   * lists, anywhere in it (the appender casts them to lists and fails), which are copied value by value. Its
   * failures on list views, run-end encoded and sparse unions stand: copied value by value they fail too, or
   * (sparse unions) come out null.
   */
  private static boolean appenderJoins(Field field) {
    return field.getType().getTypeID() != ArrowType.ArrowTypeID.LargeList
        && field.getChildren().stream().allMatch(Tables::appenderJoins);
  }

  /**
   * Checks that every buffer of a batch is as long as its lengths and offsets say. Arrow's loaders do
   * not, and code that reads vectors straight from memory (ours does) must not run past a buffer of a
   * file that lies about its lengths.
   *
   * @throws IllegalArgumentException naming the column and the problem
   */
  public static void validate(VectorSchemaRoot batch) {
    for (FieldVector v : batch.getFieldVectors()) {
      try {
        VectorChecks.check(v);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("column '" + v.getName() + "': " + e.getMessage(), e);
      }
    }
  }

  /**
   * Checks that every dictionary index of a batch, at any depth, points into its dictionary in
   * {@code dictionaries} (as the batch's reader holds them now).
   *
   * @throws IllegalArgumentException naming the column and the first index outside its dictionary
   */
  public static void validateIndices(VectorSchemaRoot batch, DictionaryProvider dictionaries) {
    for (FieldVector v : batch.getFieldVectors()) {
      try {
        DictionaryIndices.check(v, dictionaries);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("column '" + v.getName() + "': " + e.getMessage(), e);
      }
    }
  }

  /** Whether any of {@code fields}, or anything inside one, is dictionary-encoded. */
  public static boolean hasDictionary(List<Field> fields) {
    for (Field field : fields) {
      if (DictionaryDecoding.hasDictionary(field)) {
        return true;
      }
    }
    return false;
  }

  /** The field a column has once {@link #take} decoded its dictionaries (itself when it has none). */
  public static Field decodedField(Field field, DictionaryProvider dictionaries) {
    return DictionaryDecoding.decodedField(field, dictionaries);
  }

  /**
   * Moves a loaded batch's buffers into a table of its own, so that the reader can be closed; columns
   * that are dictionary-encoded are decoded (a copy) with {@code dictionaries}, and the schema's
   * {@link NumpyMetadata#DECODED_DICTIONARIES} names them.
   */
  public static VectorSchemaRoot take(VectorSchemaRoot batch, BufferAllocator allocator, DictionaryProvider dictionaries) {
    List<FieldVector> vectors = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    List<Field> stated = batch.getSchema().getFields();
    List<String> decoded = new ArrayList<>();
    try {
      for (int i = 0; i < stated.size(); i++) {
        FieldVector v = batch.getVector(i);
        boolean encoded = DictionaryDecoding.hasDictionary(stated.get(i));
        if (encoded) {
          decoded.add(stated.get(i).getName());
        }
        vectors.add(encoded ? DictionaryDecoding.decode(v, dictionaries, allocator) : Vectors.transfer(v, allocator));
        // The schema's field, not the vector's: an Arrow Java list vector reports its child as "$data$",
        // whatever the file named it (pyarrow "item", or a name of the writer's choosing, with metadata).
        fields.add(encoded ? DictionaryDecoding.decodedField(stated.get(i), dictionaries) : stated.get(i));
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    // The schema's metadata carries the pandas and frame descriptions: keep it, saying afresh which columns
    // this read decoded (a file's own statement is of an earlier read).
    Map<String, String> metadata = batch.getSchema().getCustomMetadata();
    if (!decoded.isEmpty() || metadata != null && metadata.containsKey(NumpyMetadata.DECODED_DICTIONARIES)) {
      metadata = NumpyMetadata.withDecodedDictionaries(metadata, decoded);
    }
    return new VectorSchemaRoot(new Schema(fields, metadata), vectors, batch.getRowCount());
  }
}
