package io.arrownpz.bridge.dataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The columns a file of a partitioned dataset gets from where it is (Hive's {@code key=value} folders):
 * one value per column for all its rows; none for a dataset that is not partitioned so.
 *
 * @param fields the columns, the same for every file of the dataset
 * @param values each column's value for this file: a {@code Long}, a {@code String}, or null
 */
public record PartitionColumns(List<Field> fields, List<Object> values) {
  public static final PartitionColumns NONE = new PartitionColumns(List.of(), List.of());

  public PartitionColumns {
    fields = List.copyOf(fields);
    values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
  }

  public boolean isEmpty() {
    return fields.isEmpty();
  }

  /** Which of the columns a file of {@code schema} gets: those it does not hold a column of that name for. */
  public PartitionColumns missingFrom(Schema schema) {
    List<Field> keep = new ArrayList<>();
    List<Object> kept = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).getName();
      if (schema.getFields().stream().noneMatch(f -> f.getName().equals(name))) {
        keep.add(fields.get(i));
        kept.add(values.get(i));
      }
    }
    return kept.size() == values.size() ? this : new PartitionColumns(keep, kept);
  }

  /** {@code schema} with these columns after its own, its metadata kept. */
  public Schema appendedTo(Schema schema) {
    if (isEmpty()) {
      return schema;
    }
    List<Field> all = new ArrayList<>(schema.getFields());
    all.addAll(fields);
    return new Schema(all, schema.getCustomMetadata());
  }

  /**
   * The batches of {@code file} with those of these columns it does not hold itself after its own (its
   * vectors shared); {@code file} itself where it holds them all. {@code file} is taken over: closed with
   * the reader returned, or here if this fails.
   */
  public ArrowReader appendedTo(ArrowReader file, BufferAllocator allocator) throws IOException {
    if (isEmpty()) {
      return file;
    }
    try {
      PartitionColumns missing = missingFrom(file.getVectorSchemaRoot().getSchema());
      return missing.isEmpty() ? file : new PartitionColumnsReader(file, missing, allocator);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }
}
