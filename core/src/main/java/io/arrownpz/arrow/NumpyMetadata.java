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
   * {@code true} on a field whose values were dictionary-encoded where they were read and are held
   * decoded (a table stands alone, without its reader's dictionaries): NumPy outputs refuse it as they
   * refuse a dictionary, unless the nearest dtype is asked for, and Feather and Parquet say so.
   */
  public static final String DECODED_DICTIONARY = "arrownpz.decoded_dictionary";

  /** Whether {@code field} holds a dictionary's values decoded ({@link #DECODED_DICTIONARY}). */
  public static boolean isDecodedDictionary(Field field) {
    Map<String, String> metadata = field.getMetadata();
    return metadata != null && "true".equals(metadata.get(DECODED_DICTIONARY));
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
