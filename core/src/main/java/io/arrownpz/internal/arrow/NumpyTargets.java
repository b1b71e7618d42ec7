package io.arrownpz.internal.arrow;

import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.UnsupportedDataException;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The gate before a table is written as NumPy arrays: Arrow types whose values NumPy can hold but whose
 * type it cannot (they would come back as another type) are refused unless the user asked for the
 * nearest dtype. Types NumPy cannot hold at all are refused by the writers themselves.
 */
public final class NumpyTargets {
  private NumpyTargets() {}

  /**
   * Refuses, unless {@code nearest}, the first column NumPy would hold as another type: a dictionary, or
   * a column the schema says a read decoded from one ({@link io.arrownpz.arrow.NumpyMetadata#DECODED_DICTIONARIES}).
   *
   * @throws UnsupportedDataException naming the first such column
   */
  public static void check(Schema schema, boolean nearest) {
    if (nearest) {
      return;
    }
    java.util.Set<String> decoded = io.arrownpz.arrow.NumpyMetadata.decodedDictionaries(schema);
    for (Field field : schema.getFields()) {
      String problem = decoded.contains(field.getName()) ? DICTIONARY : inexact(field);
      if (problem != null) {
        throw new UnsupportedDataException(field.getName(), problem
            + "; write it as the nearest NumPy type, or cast the column first", io.arrownpz.Remedy.NEAREST_DTYPE);
      }
    }
  }

  private static final String DICTIONARY =
      "dictionary-encoded (NumPy has no categorical type; it would hold the values)";

  private static String inexact(Field field) {
    ArrowType type = field.getType();
    if (type instanceof ArrowType.Timestamp ts && ts.getTimezone() != null) {
      return "timestamp with time zone " + ts.getTimezone() + " (NumPy's datetime64 has no time zone)";
    }
    if (type instanceof ArrowType.Time) {
      return "time of day " + type + " (NumPy has no time-of-day type)";
    }
    if (type instanceof ArrowType.Date d && d.getUnit() == DateUnit.MILLISECOND) {
      return "date64 (NumPy would hold it as datetime64[ms], which reads back as a timestamp)";
    }
    if (field.getDictionary() != null) {
      return DICTIONARY;
    }
    if (type instanceof ArrowType.FixedSizeBinary && NumpyMetadata.descr(field) == null) {
      return "fixed_size_binary (NumPy would hold it as bytes, which read back as binary)";
    }
    if (type instanceof ArrowType.FixedSizeList && NumpyMetadata.descr(field) == null) {
      // A complex column is a pair list with its NumPy dtype recorded; any other becomes a 2-d array.
      return "fixed-size list (NumPy would hold it as a 2-d array, which reads back as a fixed_shape_tensor)";
    }
    boolean list = type instanceof ArrowType.List || type instanceof ArrowType.LargeList;
    for (Field child : field.getChildren()) {
      String problem = inexact(child);
      if (problem != null) {
        // Said of the column, so the child's type alone would puzzle the reader: name where it is.
        return (list ? "its list elements: " : "its field '" + child.getName() + "': ") + problem;
      }
    }
    return null;
  }
}
