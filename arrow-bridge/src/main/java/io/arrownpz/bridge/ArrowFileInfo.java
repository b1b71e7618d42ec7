package io.arrownpz.bridge;

import io.arrownpz.FileInfo;
import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.internal.arrow.ArrowTypeText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A Feather, Arrow IPC stream or Parquet file (or a folder of files read as one): its schema, rows and
 * batches.
 *
 * @param compressed for Feather: whether its buffers are compressed; null for the other formats
 * @param schemaMetadata the schema metadata's keys, sorted (their values can be large JSON)
 */
public record ArrowFileInfo(String file, String format, long bytes, Boolean compressed, long rows, int batches,
    List<FieldInfo> fields, List<String> schemaMetadata) implements FileInfo {
  public ArrowFileInfo {
    fields = List.copyOf(fields);
    schemaMetadata = List.copyOf(schemaMetadata);
  }

  /** What {@code reader} holds, its batches read to count them; the rest as given. */
  public static ArrowFileInfo read(ArrowReader reader, String file, String format, long bytes, Boolean compressed)
      throws IOException {
    Schema schema = reader.getVectorSchemaRoot().getSchema();
    long rows = 0;
    int batches = 0;
    while (reader.loadNextBatch()) {
      rows += reader.getVectorSchemaRoot().getRowCount();
      batches++;
    }
    List<FieldInfo> fields = new ArrayList<>();
    Map<Long, Dictionary> dictionaries = reader.getDictionaryVectors();
    for (Field f : schema.getFields()) {
      // A dictionary column is stated by its indices' type; its values' type is its dictionary's.
      String type = ArrowTypeText.of(f, id -> dictionaries.containsKey(id) ? dictionaries.get(id).getVector().getField() : null);
      fields.add(new FieldInfo(f.getName(), type, f.isNullable(),
          f.getMetadata() == null ? null : f.getMetadata().get(NumpyMetadata.DESCR)));
    }
    Map<String, String> meta = schema.getCustomMetadata();
    List<String> keys = meta == null ? List.of() : new ArrayList<>(new TreeSet<>(meta.keySet()));
    return new ArrowFileInfo(file, format, bytes, compressed, rows, batches, fields, keys);
  }

  /**
   * One top-level field.
   *
   * @param arrowType the type as pyarrow prints it
   * @param numpyDescr the NumPy dtype the field came from, when it records one
   */
  public record FieldInfo(String name, String arrowType, boolean nullable, String numpyDescr) {}
}
