package io.arrownpz.arrow;

import io.arrownpz.npy.NpyDtype;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The field metadata keys by which a column remembers the NumPy array it came from, so that writing it
 * back gives the same dtype (byte order, string width, datetime unit) and layout.
 */
public final class NumpyMetadata {
  /** The NumPy descr, e.g. {@code <U7} or {@code >M8[10s]}. */
  public static final String DESCR = "numpy.descr";
  /** The array's shape as Python prints it, e.g. {@code ()} or {@code (7, 3)}. */
  public static final String SHAPE = "numpy.shape";
  /** {@code true} when the array was stored column-major; written back the same way. */
  public static final String FORTRAN_ORDER = "numpy.fortran_order";
  /**
   * Schema metadata: a JSON array of the columns whose values a read decoded from dictionaries (a table
   * stands alone, without its reader's dictionaries). Set afresh by each read that makes a table; NumPy
   * outputs refuse those columns as they refuse a dictionary, unless the nearest dtype is asked for, and
   * Feather and Parquet outputs of such a table (a packed one) carry the statement.
   */
  public static final String DECODED_DICTIONARIES = "arrownpz.decoded_dictionaries";

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** The columns {@link #DECODED_DICTIONARIES} names in {@code schema}; empty when none (or unreadable). */
  public static java.util.Set<String> decodedDictionaries(org.apache.arrow.vector.types.pojo.Schema schema) {
    Map<String, String> metadata = schema.getCustomMetadata();
    String text = metadata == null ? null : metadata.get(DECODED_DICTIONARIES);
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    if (text != null) {
      try {
        JSON.readTree(text).forEach(n -> names.add(n.asText()));
      } catch (java.io.IOException e) {
        // not ours to judge: no names
      }
    }
    return names;
  }

  /** {@code metadata} with {@link #DECODED_DICTIONARIES} naming {@code columns} (removed when none). */
  public static Map<String, String> withDecodedDictionaries(Map<String, String> metadata,
      java.util.Collection<String> columns) {
    Map<String, String> out = new java.util.LinkedHashMap<>(metadata == null ? Map.of() : metadata);
    out.remove(DECODED_DICTIONARIES);
    if (!columns.isEmpty()) {
      try {
        out.put(DECODED_DICTIONARIES, JSON.writeValueAsString(columns));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new java.io.UncheckedIOException(e); // a list of strings always writes
      }
    }
    return out;
  }

  private NumpyMetadata() {}

  /** The metadata of a frame's column: its dtype only (its shape is the frame's rows). */
  static Map<String, String> of(NpyDtype dtype) {
    Map<String, String> meta = new HashMap<>();
    meta.put(DESCR, dtype.descr());
    return meta;
  }

  /** The metadata of an array's field: its dtype, shape and, for a 2-d or deeper array, its order. */
  static Map<String, String> of(NpyDtype dtype, long[] shape, boolean fortranOrder) {
    Map<String, String> meta = of(dtype);
    meta.put(SHAPE, io.arrownpz.npy.NpyHeader.shapeText(shape));
    if (fortranOrder && shape.length >= 2) {
      meta.put(FORTRAN_ORDER, "true");
    }
    return meta;
  }

  /** The recorded dtype, or null when the field has none or it does not parse. */
  public static NpyDtype descr(Field field) {
    String descr = descrText(field);
    if (descr == null) {
      return null;
    }
    try {
      return NpyDtype.parse(descr);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The recorded descr as written, unparsed, or null when the field has none. */
  public static String descrText(Field field) {
    Map<String, String> meta = field.getMetadata();
    return meta == null ? null : meta.get(DESCR);
  }

  public static boolean fortranOrder(Field field) {
    Map<String, String> meta = field.getMetadata();
    return meta != null && "true".equals(meta.get(FORTRAN_ORDER));
  }

  public static boolean wasZeroDimensional(Field field) {
    Map<String, String> meta = field.getMetadata();
    return meta != null && "()".equals(meta.get(SHAPE));
  }
}
