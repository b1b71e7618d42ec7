package io.arrownpz.bridge;

import io.arrownpz.FileInfo;
import java.util.List;

/**
 * A Feather, Arrow IPC stream or Parquet file: its schema, rows and batches.
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

  /**
   * One top-level field.
   *
   * @param arrowType the type as pyarrow prints it
   * @param numpyDescr the NumPy dtype the field came from, when it records one
   */
  public record FieldInfo(String name, String arrowType, boolean nullable, String numpyDescr) {}
}
