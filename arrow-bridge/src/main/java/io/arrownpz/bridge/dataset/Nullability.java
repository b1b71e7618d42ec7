package io.arrownpz.bridge.dataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Files of one dataset written by different tools may declare the same column with and without nulls
 * (DuckDB's {@code NOT NULL}, pandas' and pyarrow's nullable columns): such a dataset's columns are all
 * declared nullable, as its parts are read together ({@link ChainedReader}) and as they are served.
 */
public final class Nullability {
  private Nullability() {}

  /** Whether the fields are alike but for whether they are declared nullable, at every depth. */
  public static boolean sameColumns(List<Field> a, List<Field> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Field x = a.get(i);
      Field y = b.get(i);
      if (!x.getName().equals(y.getName()) || !x.getType().equals(y.getType())
          || !Objects.equals(x.getDictionary(), y.getDictionary())
          || !Objects.equals(x.getMetadata(), y.getMetadata())
          || !sameColumns(x.getChildren(), y.getChildren())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The schema of a dataset whose parts so far agreed on {@code sofar}, once a part of {@code next} joins:
   * {@code sofar} where their fields are equal, every field declared nullable where they differ only in that,
   * null where they differ otherwise (the metadata is the first part's).
   */
  public static Schema merged(Schema sofar, Schema next) {
    if (sofar.getFields().equals(next.getFields())) {
      return sofar;
    }
    return sameColumns(sofar.getFields(), next.getFields()) ? allNullable(sofar) : null;
  }

  /** Whether some field, at any depth, is declared without nulls. */
  public static boolean hasRequired(List<Field> fields) {
    return fields.stream().anyMatch(f -> !f.isNullable() || hasRequired(f.getChildren()));
  }

  /** The fields declared nullable at every depth, all else kept. */
  public static List<Field> allNullable(List<Field> fields) {
    List<Field> all = new ArrayList<>();
    for (Field f : fields) {
      all.add(new Field(f.getName(), new FieldType(true, f.getType(), f.getDictionary(), f.getMetadata()),
          allNullable(f.getChildren())));
    }
    return all;
  }

  /** The schema with its fields declared nullable at every depth, its metadata kept. */
  public static Schema allNullable(Schema schema) {
    return hasRequired(schema.getFields()) ? new Schema(allNullable(schema.getFields()), schema.getCustomMetadata())
        : schema;
  }

  /**
   * {@code reader}'s batches with every field declared nullable, its vectors shared; {@code reader} itself
   * where none is declared otherwise. {@code reader} is taken over: closed with the reader returned.
   */
  public static ArrowReader allNullable(ArrowReader reader, BufferAllocator allocator) throws IOException {
    try {
      return hasRequired(reader.getVectorSchemaRoot().getSchema().getFields())
          ? new NullableReader(reader, allocator) : reader;
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }
}
