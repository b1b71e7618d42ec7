package io.arrownpz.bridge.ipc;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.bridge.internal.DictionaryValues;
import io.arrownpz.bridge.internal.HeldDictionary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * One dictionary per column across an IPC file, whatever the batches written into it bring. A file may
 * hold one dictionary per column and deltas that extend it, never a replacement; but batches read from
 * Parquet come with each row group's own dictionary, and streams may replace theirs. Arrow Java's file
 * writer writes the first dictionary only, so later batches' indices would point at the wrong values.
 * Here each batch's dictionary is matched, value by value, to what the file holds so far: values it has
 * not seen are written as a delta, and the batch's indices are rewritten to the file's positions.
 *
 * <p>Only top-level dictionary columns are rewritten; a dictionary that changes under a nested column is
 * refused, as are more values in all than the column's index type can number.
 */
final class FileDictionaries implements AutoCloseable {
  /** Writes the values a dictionary gains as a delta batch (the sink closes nothing). */
  @FunctionalInterface
  interface DeltaSink {
    void write(long id, FieldVector newValues) throws IOException;
  }

  /**
   * What the file holds of one dictionary: its values in file order, each with its position; and the
   * batches' dictionary as last seen, with where its positions went (null: the same).
   */
  private static final class Held {
    final Map<Object, Integer> positions = new HashMap<>();
    int size;
    final HeldDictionary lastSeen = new HeldDictionary();
    int[] lastPositions;
  }

  private final Map<Long, Held> held = new LinkedHashMap<>();
  /** The top-level columns that use each dictionary; null until the first batch. */
  private Map<Long, List<Integer>> columns;

  /**
   * The batch to write in place of {@code root}: {@code root} itself when every dictionary still matches
   * the file's (the first batch always does: its dictionaries are the file's), or a table whose dictionary
   * columns point at the file's positions. The caller closes the batch. New values go to {@code deltas}
   * first.
   */
  Batch align(VectorSchemaRoot root, DictionaryProvider provider, DeltaSink deltas) throws IOException {
    if (columns == null) { // the first batch: its dictionaries are the file's
      columns = dictionaryColumns(root);
      for (long id : provider.getDictionaryIds()) {
        Held h = new Held();
        FieldVector values = provider.lookup(id).getVector();
        for (int i = 0; i < values.getValueCount(); i++) {
          h.positions.putIfAbsent(DictionaryValues.key(values, i), i);
        }
        h.size = values.getValueCount();
        h.lastSeen.hold(values);
        held.put(id, h);
      }
      return new Batch(root, List.of());
    }
    Map<Integer, int[]> remaps = new HashMap<>();
    for (Map.Entry<Long, Held> e : held.entrySet()) {
      long id = e.getKey();
      FieldVector values = provider.lookup(id).getVector();
      Held h = e.getValue();
      if (!h.lastSeen.unchanged(values)) { // a new dictionary: matched value by value
        h.lastPositions = positions(h, id, values, deltas);
        h.lastSeen.hold(values);
      }
      int[] positions = h.lastPositions;
      if (positions == null) {
        continue;
      }
      List<Integer> users = columns.get(id);
      if (users == null) {
        throw new UnsupportedDataException(nestedUser(root, provider, id), "its dictionary changes from one batch to the next "
            + "inside a nested column, which an IPC file cannot hold; write an IPC stream (.arrows) instead");
      }
      for (int column : users) {
        Field field = root.getSchema().getFields().get(column);
        checkIndexWidth(field, e.getValue().size);
        remaps.put(column, positions);
      }
    }
    return remaps.isEmpty() ? new Batch(root, List.of()) : remapped(root, remaps);
  }

  /**
   * Each of the batch's dictionary positions as a position in the file's dictionary, or null when they
   * are the same; values the file lacks are added (and written as a delta).
   */
  private static int[] positions(Held h, long id, FieldVector values, DeltaSink deltas) throws IOException {
    int n = values.getValueCount();
    int[] positions = new int[n];
    List<Integer> added = new ArrayList<>();
    boolean same = true;
    for (int i = 0; i < n; i++) {
      Object key = DictionaryValues.key(values, i);
      Integer at = h.positions.get(key);
      if (at == null) {
        at = h.size++;
        h.positions.put(key, at);
        added.add(i);
      }
      positions[i] = at;
      same &= at == i;
    }
    if (!added.isEmpty()) {
      FieldVector delta = values.getField().createVector(values.getAllocator());
      try (delta) {
        delta.setInitialCapacity(added.size());
        delta.allocateNew();
        for (int k = 0; k < added.size(); k++) {
          delta.copyFromSafe(added.get(k), k, values);
        }
        delta.setValueCount(added.size());
        deltas.write(id, delta);
      }
    }
    return same ? null : positions;
  }

  /** Lets go of the dictionary buffers held since they were last seen. */
  @Override
  public void close() {
    held.values().forEach(h -> h.lastSeen.close());
  }

  /** The top-level columns that use each dictionary. */
  private static Map<Long, List<Integer>> dictionaryColumns(VectorSchemaRoot root) {
    Map<Long, List<Integer>> columns = new HashMap<>();
    List<Field> fields = root.getSchema().getFields();
    for (int c = 0; c < fields.size(); c++) {
      DictionaryEncoding encoding = fields.get(c).getDictionary();
      if (encoding != null) {
        columns.computeIfAbsent(encoding.getId(), k -> new ArrayList<>()).add(c);
      }
    }
    return columns;
  }

  /** The top-level column whose values use dictionary {@code id}, inside its own type or its dictionaries'. */
  private static String nestedUser(VectorSchemaRoot root, DictionaryProvider provider, long id) {
    for (Field f : root.getSchema().getFields()) {
      if (uses(f, id, provider, new java.util.HashSet<>())) {
        return f.getName();
      }
    }
    return "dictionary " + id;
  }

  private static boolean uses(Field field, long id, DictionaryProvider provider, java.util.Set<Long> seen) {
    DictionaryEncoding encoding = field.getDictionary();
    if (encoding != null) {
      if (encoding.getId() == id) {
        return true;
      }
      org.apache.arrow.vector.dictionary.Dictionary values = seen.add(encoding.getId())
          ? provider.lookup(encoding.getId()) : null;
      if (values != null && uses(values.getVector().getField(), id, provider, seen)) {
        return true;
      }
    }
    return field.getChildren().stream().anyMatch(c -> uses(c, id, provider, seen));
  }

  private static void checkIndexWidth(Field field, int size) {
    ArrowType.Int index = field.getDictionary().getIndexType();
    int bits = index.getBitWidth() - (index.getIsSigned() ? 1 : 0);
    if (bits < 31 && size - 1 > (1L << bits) - 1) {
      throw new UnsupportedDataException(field.getName(), "its batches' dictionaries hold " + size
          + " values together, more than its " + (index.getIsSigned() ? "int" : "uint") + index.getBitWidth()
          + " indices can number in one IPC file; write an IPC stream (.arrows) instead");
    }
  }

  /**
   * A batch to write: a table, and the vectors of it that were made for it (rewritten indices), which
   * closing it closes; its other vectors are the source batch's own.
   */
  record Batch(VectorSchemaRoot root, List<FieldVector> made) implements AutoCloseable {
    @Override
    public void close() {
      made.forEach(FieldVector::close);
    }
  }

  /** The batch with the given columns' indices rewritten; the other columns are {@code root}'s. */
  private static Batch remapped(VectorSchemaRoot root, Map<Integer, int[]> remaps) {
    int rows = root.getRowCount();
    List<FieldVector> vectors = new ArrayList<>(root.getFieldVectors());
    List<FieldVector> made = new ArrayList<>();
    try {
      for (Map.Entry<Integer, int[]> e : remaps.entrySet()) {
        FieldVector old = vectors.get(e.getKey());
        FieldVector indices = remappedIndices((BaseIntVector) old, e.getValue(), rows, old.getAllocator());
        made.add(indices);
        vectors.set(e.getKey(), indices);
      }
    } catch (RuntimeException ex) {
      made.forEach(FieldVector::close);
      throw ex;
    }
    return new Batch(new VectorSchemaRoot(root.getSchema().getFields(), vectors, rows), made);
  }

  private static FieldVector remappedIndices(BaseIntVector indices, int[] positions, int rows, BufferAllocator allocator) {
    FieldVector source = (FieldVector) indices;
    FieldVector target = source.getField().createVector(allocator);
    try {
      target.setInitialCapacity(rows);
      target.allocateNew();
      BaseIntVector out = (BaseIntVector) target;
      for (int i = 0; i < rows; i++) {
        if (!source.isNull(i)) { // a new vector's slots start null
          out.setWithPossibleTruncate(i, positions[(int) indices.getValueAsLong(i)]);
        }
      }
      target.setValueCount(rows);
      return target;
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
  }
}
