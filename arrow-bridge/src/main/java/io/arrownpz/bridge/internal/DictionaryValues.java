package io.arrownpz.bridge.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.ValueVector;

/**
 * A dictionary's values as Java objects that compare by content, to tell whether a batch's dictionary
 * is the one already written or sent: bytes wrapped (arrays compare by identity), the rest as Arrow Java
 * gives them (strings as {@code Text}, which compares its bytes).
 */
public final class DictionaryValues {
  private DictionaryValues() {}

  /** Value {@code i} of a dictionary, as a key. */
  public static Object key(ValueVector values, int i) {
    Object value = values.getObject(i);
    return value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
  }

  /** Every value of a dictionary, as keys, in order. */
  public static List<Object> of(ValueVector values) {
    List<Object> keys = new ArrayList<>(values.getValueCount());
    for (int i = 0; i < values.getValueCount(); i++) {
      keys.add(key(values, i));
    }
    return keys;
  }
}
